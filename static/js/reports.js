// Dashboard charts: data comes from json_script, Chart.js is vendored (static/vendor/chart.js-4.6.1).
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("trend-data");
  const canvas = document.getElementById("trend-chart");
  if (!source || !canvas || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  new Chart(canvas, {
    type: "line",
    data: {
      labels: data.labels,
      datasets: data.series.map((s) => ({ label: s.label, data: s.data, spanGaps: true, tension: 0.2 })),
    },
    options: { responsive: true, interaction: { mode: "index", intersect: false }, scales: { y: { beginAtZero: true } } },
  });
});
