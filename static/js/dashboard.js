// The 驾驶舱's two charts (reports/dashboard.html): data from json_script, Chart.js vendored
// in static/vendor/chart.js-4.6.1. Counts and rates never share an axis.
document.addEventListener("DOMContentLoaded", () => {
  const source = document.getElementById("dashboard-charts");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const narrow = window.matchMedia("(max-width: 575.98px)").matches;
  const colors = ["#0d6efd", "#198754", "#fd7e14", "#6f42c1", "#d63384"];

  const datasets = (series) =>
    series.map((s, i) => ({
      label: s.label,
      data: s.data,
      borderColor: colors[i % colors.length],
      backgroundColor: colors[i % colors.length],
      borderWidth: 2,
      pointRadius: narrow ? 2 : 3,
      spanGaps: false, // an unbuilt period is a gap, not a zero
      tension: 0, // straight lines: a curve would show values between periods that never were
    }));

  const options = (y, percent) => ({
    responsive: true,
    maintainAspectRatio: false, // the .chart-box sets the height
    interaction: { mode: "index", intersect: false },
    plugins: {
      legend: {
        position: "bottom", // never over the plot
        labels: { boxWidth: 10, boxHeight: 10, padding: narrow ? 8 : 12, font: { size: narrow ? 11 : 12 } },
      },
      tooltip: {
        callbacks: {
          title: (items) => (items.length ? data.titles[items[0].dataIndex] : ""),
          label: (item) => `${item.dataset.label}: ${item.formattedValue}${percent ? "%" : ""}`,
        },
      },
    },
    scales: {
      x: { ticks: { autoSkip: true, maxRotation: 0, font: { size: narrow ? 10 : 12 } } },
      y,
    },
  });

  const counts = document.getElementById("chart-counts");
  if (counts) {
    new Chart(counts, {
      type: "line",
      data: { labels: data.labels, datasets: datasets(data.counts) },
      options: options({ beginAtZero: true, ticks: { precision: 0 } }, false),
    });
  }
  const rates = document.getElementById("chart-rates");
  if (rates) {
    new Chart(rates, {
      type: "line",
      data: { labels: data.labels, datasets: datasets(data.rates) },
      options: options({ min: 0, max: 100, ticks: { stepSize: 25, callback: (v) => `${v}%` } }, true),
    });
  }
});

// Back at the section the reader was using (e.g. #compare after choosing another figure), once
// the charts above it have taken their height: the browser's own jump happens before that.
window.addEventListener("load", () => {
  const target = window.location.hash && document.getElementById(window.location.hash.slice(1));
  if (target) target.scrollIntoView();
});
