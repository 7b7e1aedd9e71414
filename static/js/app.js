// courtlearn's own script: no inline scripts anywhere (CSP script-src 'self' + nonce).
document.addEventListener("DOMContentLoaded", () => {
  // Auto-submit selects marked data-autosubmit (filters, language).
  document.querySelectorAll("select[data-autosubmit]").forEach((el) => {
    el.addEventListener("change", () => el.form && el.form.submit());
  });
  // Buttons with data-confirm ask before submitting.
  document.querySelectorAll("[data-confirm]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!window.confirm(el.dataset.confirm)) event.preventDefault();
    });
  });
});
