/* The header's Menu button on narrow screens: a disclosure (WAI-ARIA APG, "Disclosure").

Without this script the button stays hidden and the menu (navigation, search, account and
language) is shown open below the brand, so everything is reachable. With it, the button appears
and the menu starts closed on narrow screens; the button opens and closes it (Enter and Space work
because it is a real <button>), Escape closes it and puts focus back on the button. The menu
pushes the page down rather than covering it, so the Tab order stays the document's.

The stylesheet decides what "closed" means: on wide screens (the desktop header) the menu is
always shown and the button is not, whatever state this script left.
*/

const button = document.querySelector("[data-menu-button]");
const header = button?.closest("header");
const menu = button && document.getElementById(button.getAttribute("aria-controls"));

function isOpen() {
  return button.getAttribute("aria-expanded") === "true";
}

function setOpen(open) {
  button.setAttribute("aria-expanded", String(open));
  header.dataset.menu = open ? "open" : "closed";
}

if (header && menu) {
  setOpen(false);
  button.hidden = false;
  button.addEventListener("click", () => setOpen(!isOpen()));
  header.addEventListener("keydown", (event) => {
    // The search box uses Escape itself (to close its suggestions) and says so.
    if (event.key !== "Escape" || event.defaultPrevented || !isOpen()) return;
    // On a wide screen the button is not shown and there is nothing to close.
    if (button.getClientRects().length === 0) return;
    event.preventDefault();
    setOpen(false);
    button.focus();
  });
}
