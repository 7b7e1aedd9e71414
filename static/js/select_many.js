// "Select many" controls (templates/includes/select_many.html): tick all shown rows, find rows
// by name or number, count the ticked ones. Without this script the page still works: tick rows
// one by one, tick "everyone in this list", or paste employee numbers.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-select-many]").forEach((box) => {
    const form = box.closest("form");
    if (!form) return;
    box.querySelectorAll("[data-select-many-js]").forEach((el) => { el.hidden = false; });
    // form.elements also holds checkboxes placed elsewhere with form="…" (the attendance table).
    const items = () => Array.from(form.elements).filter((el) => el.matches("input[data-select-many-item]"));
    const rowOf = (input) => input.closest("[data-select-many-row]") || input.parentElement;
    const shown = () => items().filter((input) => !rowOf(input).hidden);
    const page = box.querySelector("[data-select-many-page]");
    const count = box.querySelector("[data-select-many-count]");
    const find = box.querySelector("[data-select-many-find]");
    const refresh = () => {
      const ticked = items().filter((input) => input.checked).length;
      if (count) count.textContent = String(ticked);
      if (page) {
        const visible = shown();
        page.checked = visible.length > 0 && visible.every((input) => input.checked);
        page.indeterminate = !page.checked && visible.some((input) => input.checked);
      }
    };
    if (page) {
      page.addEventListener("change", () => {
        shown().forEach((input) => { input.checked = page.checked; });
        refresh();
      });
    }
    if (find) {
      find.addEventListener("input", () => {
        const text = find.value.trim().toLowerCase();
        items().forEach((input) => {
          const row = rowOf(input);
          row.hidden = text !== "" && !row.textContent.toLowerCase().includes(text);
        });
        refresh();
      });
      // Enter in the find box must not submit the form's first action.
      find.addEventListener("keydown", (event) => { if (event.key === "Enter") event.preventDefault(); });
    }
    document.addEventListener("change", (event) => {
      const el = event.target;
      if (el.form === form && el.matches("input[data-select-many-item]")) refresh();
    });
    refresh();
  });
});
