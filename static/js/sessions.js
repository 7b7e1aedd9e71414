// Sessions: the organizer's sign-in screen refreshes the rotating code and its QR code.
document.addEventListener("DOMContentLoaded", () => {
  const screen = document.getElementById("code-screen");
  const codeEl = document.getElementById("sign-in-code");
  if (!screen || !codeEl) return;
  const qr = document.getElementById("sign-in-qr");
  const seconds = document.getElementById("code-seconds");
  const count = document.getElementById("signed-in-count");
  let left = parseInt(seconds ? seconds.textContent : "60", 10) || 60;

  async function refresh() {
    try {
      const response = await fetch(screen.dataset.jsonUrl, { credentials: "same-origin", cache: "no-store" });
      if (!response.ok) return;
      const data = await response.json();
      if (!data.open) { window.location.reload(); return; }
      if (data.code !== codeEl.textContent) {
        codeEl.textContent = data.code;
        if (qr) qr.src = `${screen.dataset.qrUrl}?c=${data.code}`;
      }
      left = data.seconds_left;
      if (count) count.textContent = data.signed_in;
    } catch (error) {
      // Keep showing the last code; the next tick tries again.
    }
  }

  setInterval(() => {
    left -= 1;
    if (seconds) seconds.textContent = Math.max(left, 0);
    if (left <= 0) refresh();
  }, 1000);
  setInterval(refresh, 10000);
});
