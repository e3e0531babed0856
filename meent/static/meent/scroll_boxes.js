/* Wide tables and code blocks scroll inside their own box, not the page (WCAG 1.4.10, Reflow).

The stylesheet lets a <pre> scroll sideways. A table gets a box around it here: a table that is
itself display: block loses its table semantics in some screen readers. A box that really scrolls
becomes a named region in the Tab order, so that it can be scrolled with the keyboard too; one
that fits is left out of the Tab order. A ResizeObserver keeps that true when the window or the
text size changes. Content being edited (contenteditable) is never touched.

Without JavaScript a <pre> still scrolls in its box; a table wider than the screen then widens
the page.
*/

const main = document.querySelector("main");
const boxes = [];

function nameOf(box) {
  const caption = box.querySelector("caption")?.textContent.trim();
  if (caption) return caption;
  return (box.matches("pre") ? main.dataset.scrollCode : main.dataset.scrollTable) ?? "";
}

function update(box) {
  const scrolls = box.scrollWidth > box.clientWidth + 1;
  if (scrolls === (box.dataset.scrolls === "true")) return;
  box.dataset.scrolls = String(scrolls);
  if (scrolls) {
    box.tabIndex = 0;
    box.setAttribute("role", "region");
    box.setAttribute("aria-label", nameOf(box));
  } else {
    box.removeAttribute("tabindex");
    box.removeAttribute("role");
    box.removeAttribute("aria-label");
  }
}

if (main && "ResizeObserver" in window) {
  for (const table of main.querySelectorAll(".rich-text table, table.table")) {
    if (table.closest("[contenteditable]") || table.parentElement.matches(".scroll-box")) continue;
    const box = document.createElement("div");
    box.className = "scroll-box";
    table.before(box);
    box.append(table);
    boxes.push(box);
  }
  for (const pre of main.querySelectorAll(".rich-text pre")) {
    // A block that is already keyboard-reachable (it says so with a tabindex) stays as it is.
    if (pre.closest("[contenteditable]") || pre.hasAttribute("tabindex")) continue;
    pre.classList.add("scroll-box");
    boxes.push(pre);
  }
  const observer = new ResizeObserver((entries) => {
    for (const entry of entries) update(entry.target);
  });
  for (const box of boxes) observer.observe(box);
}
