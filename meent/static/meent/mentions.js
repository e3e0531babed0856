/* The mention picker: type "@" and the start of a name in a comment or a chat message, choose
a person with the arrow keys and Enter (or a tap), and their whole name is written
("@Mohamed Yılmaz "), which is how a mention names someone (meent/mentions.py compares names
without regard to case or accents). Without JavaScript people type the name themselves.

Every textarea[data-mentions] gets it. The textarea stays a text box: aria-autocomplete="list",
aria-controls and aria-activedescendant point at a listbox right below it, and a polite status
says how many people were found. Keys are taken in the capture phase on the form, so that a
chat's "Enter sends" does not send while a name is being chosen.
*/

const FRAGMENT = /(?:^|[\s([{"'“‘])@(\p{L}[\p{L}\p{M}'’-]*(?: \p{L}[\p{L}\p{M}'’-]*)?)$/u;
const DELAY_MS = 150;
let counter = 0;

function attach(textarea) {
  const url = textarea.dataset.mentionsUrl;
  if (!url) return;
  counter += 1;
  const listbox = document.createElement("ul");
  listbox.id = `mention-picker-${counter}`;
  listbox.className = "mention-picker";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", textarea.dataset.mentionsLabel || "People");
  listbox.hidden = true;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("aria-live", "polite");
  textarea.insertAdjacentElement("afterend", listbox);
  listbox.insertAdjacentElement("afterend", status);
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-controls", listbox.id);

  let people = [];
  let active = -1;
  let fragment = null; // {start, end} of "@text" before the caret
  let timer = null;
  let request = null;

  function close() {
    people = [];
    active = -1;
    fragment = null;
    listbox.hidden = true;
    listbox.replaceChildren();
    textarea.removeAttribute("aria-activedescendant");
  }

  function highlight(index) {
    active = index;
    for (const [position, option] of [...listbox.children].entries()) {
      option.setAttribute("aria-selected", String(position === index));
    }
    if (index >= 0) {
      textarea.setAttribute("aria-activedescendant", `${listbox.id}-${index}`);
      listbox.children[index].scrollIntoView({ block: "nearest" });
    } else {
      textarea.removeAttribute("aria-activedescendant");
    }
  }

  function choose(index) {
    const person = people[index];
    if (!person || !fragment) return;
    const value = textarea.value;
    const inserted = `@${person.name} `;
    textarea.value = value.slice(0, fragment.start) + inserted + value.slice(fragment.end);
    const caret = fragment.start + inserted.length;
    textarea.setSelectionRange(caret, caret);
    close();
    textarea.focus();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  }

  function show(found) {
    people = found;
    listbox.replaceChildren();
    for (const [index, person] of found.entries()) {
      const option = document.createElement("li");
      option.id = `${listbox.id}-${index}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.textContent = person.organisation ? `${person.name} (${person.organisation})` : person.name;
      // mousedown, not click: the textarea keeps its focus and its caret.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(index);
      });
      listbox.append(option);
    }
    listbox.hidden = found.length === 0;
    status.textContent = found.length
      ? (textarea.dataset.mentionsCount || "%s").replace("%s", String(found.length))
      : textarea.dataset.mentionsNone || "";
    highlight(found.length ? 0 : -1);
  }

  async function lookUp(text) {
    request?.abort();
    request = new AbortController();
    try {
      const response = await fetch(`${url}?${new URLSearchParams({ q: text })}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
        signal: request.signal,
      });
      if (!response.ok) return close();
      const data = await response.json();
      if (fragment) show(Array.isArray(data.people) ? data.people : []);
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  textarea.addEventListener("input", () => {
    const caret = textarea.selectionStart;
    const before = textarea.value.slice(0, caret);
    const match = FRAGMENT.exec(before);
    clearTimeout(timer);
    if (!match || textarea.selectionEnd !== caret) {
      close();
      return;
    }
    fragment = { start: caret - match[1].length - 1, end: caret };
    timer = setTimeout(() => lookUp(match[1]), DELAY_MS);
  });
  textarea.addEventListener("blur", () => setTimeout(close, 100));

  const keys = (event) => {
    if (event.target !== textarea || listbox.hidden || !people.length) return;
    const handled = {
      ArrowDown: () => highlight((active + 1) % people.length),
      ArrowUp: () => highlight((active - 1 + people.length) % people.length),
      Enter: () => choose(active),
      Tab: () => choose(active),
      Escape: () => close(),
    }[event.key];
    if (!handled || event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    handled();
  };
  (textarea.form || textarea.parentElement).addEventListener("keydown", keys, true);
}

for (const textarea of document.querySelectorAll("textarea[data-mentions]")) {
  attach(textarea);
}
