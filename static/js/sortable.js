// Drag items of a list into order, with a mouse or a finger, or with the arrow keys on the handle.
// <ol data-sortable data-sortable-form="FORM-ID"> with <li data-sortable-item data-id="…"> items,
// each with a [data-sortable-handle] and optionally an input[data-sortable-position].
// The new order goes into the form's input[data-sortable-order] as "id,id,…" and the position
// numbers are renumbered; without this script the numbers alone can be typed and saved.
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("[data-sortable]").forEach((list) => {
    const form = document.getElementById(list.dataset.sortableForm || "");
    const orderInput = form && form.querySelector("[data-sortable-order]");
    const items = () => Array.from(list.querySelectorAll(":scope > [data-sortable-item]"));
    const changed = () => {
      const all = items();
      if (orderInput) orderInput.value = all.map((item) => item.dataset.id).join(",");
      all.forEach((item, index) => {
        const position = item.querySelector("[data-sortable-position]");
        if (position) position.value = String(index + 1);
      });
      const save = document.getElementById("save-order");
      if (save) save.classList.add("btn-warning");
    };
    let dragging = null;
    let pointerId = null;
    const itemAt = (x, y) => {
      const el = document.elementFromPoint(x, y);
      const item = el && el.closest("[data-sortable-item]");
      return item && item.parentElement === list ? item : null;
    };
    list.addEventListener("pointerdown", (event) => {
      const handle = event.target.closest("[data-sortable-handle]");
      if (!handle || !list.contains(handle)) return;
      dragging = handle.closest("[data-sortable-item]");
      pointerId = event.pointerId;
      handle.setPointerCapture(pointerId);
      dragging.classList.add("sortable-dragging");
      event.preventDefault();
    });
    list.addEventListener("pointermove", (event) => {
      if (!dragging || event.pointerId !== pointerId) return;
      // Near the top or bottom of the screen the page scrolls, so a long list can be crossed on a phone.
      if (event.clientY < 60) window.scrollBy(0, -12);
      else if (event.clientY > window.innerHeight - 60) window.scrollBy(0, 12);
      const over = itemAt(event.clientX, event.clientY);
      if (!over || over === dragging) return;
      const box = over.getBoundingClientRect();
      const after = event.clientY > box.top + box.height / 2;
      list.insertBefore(dragging, after ? over.nextSibling : over);
    });
    const drop = (event) => {
      if (!dragging || event.pointerId !== pointerId) return;
      dragging.classList.remove("sortable-dragging");
      dragging = null;
      pointerId = null;
      changed();
    };
    list.addEventListener("pointerup", drop);
    list.addEventListener("pointercancel", drop);
    list.addEventListener("keydown", (event) => {
      const handle = event.target.closest("[data-sortable-handle]");
      if (!handle || (event.key !== "ArrowUp" && event.key !== "ArrowDown")) return;
      const item = handle.closest("[data-sortable-item]");
      const sibling = event.key === "ArrowUp" ? item.previousElementSibling : item.nextElementSibling;
      if (!sibling) return;
      event.preventDefault();
      list.insertBefore(item, event.key === "ArrowUp" ? sibling : sibling.nextSibling);
      handle.focus();
      changed();
    });
    // Typed numbers go with the form as they are; a drag afterwards renumbers them.
    list.querySelectorAll("[data-sortable-position]").forEach((input) => {
      input.addEventListener("change", () => { if (orderInput) orderInput.value = ""; });
    });
  });
});
