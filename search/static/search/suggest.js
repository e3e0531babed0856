/* Suggestions while typing in the header's search box (ARIA 1.2 combobox with a listbox).

Without this script the box is a plain search form. With it, typing two or more characters asks
/search/suggest/ (debounced; an older request is aborted) for titles of groups, wiki pages and
people the person may see, and shows them in a listbox under the box:

- ArrowDown / ArrowUp move through the suggestions (aria-activedescendant; focus stays in the box),
- Enter opens the chosen suggestion, or searches when none is chosen,
- Escape closes the list (a second Escape empties the box), Tab and leaving the box close it too.

Suggestions are written with textContent only. Labels come, translated, from the input's data-*.
*/

const DELAY = 200;
const MIN_LENGTH = 2;

function enhance(input) {
  const form = input.form;
  const box = input.parentElement;
  const listId = `${input.id}-listbox`;
  const list = document.createElement("ul");
  list.id = listId;
  list.className = "site-search__suggestions";
  list.setAttribute("role", "listbox");
  list.setAttribute("aria-label", input.dataset.suggestLabel ?? "");
  list.hidden = true;
  const status = document.createElement("span");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  box.append(list, status);

  input.setAttribute("role", "combobox");
  input.setAttribute("aria-autocomplete", "list");
  input.setAttribute("aria-expanded", "false");
  input.setAttribute("aria-controls", listId);

  let suggestions = [];
  let active = -1;
  let timer = null;
  let controller = null;

  function options() {
    return Array.from(list.querySelectorAll("[role=option]"));
  }

  function setActive(index) {
    const all = options();
    active = all.length ? (index + all.length) % all.length : -1;
    all.forEach((option, i) => option.setAttribute("aria-selected", String(i === active)));
    if (active >= 0) {
      input.setAttribute("aria-activedescendant", all[active].id);
      all[active].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  }

  function close() {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  }

  function open() {
    if (!suggestions.length) return close();
    list.hidden = false;
    input.setAttribute("aria-expanded", "true");
  }

  function go(suggestion) {
    const url = String(suggestion.url ?? "");
    // Only addresses on this site.
    if (url.startsWith("/") && !url.startsWith("//")) window.location.assign(url);
  }

  function render(items) {
    suggestions = Array.isArray(items) ? items : [];
    const nodes = suggestions.map((suggestion, i) => {
      const option = document.createElement("li");
      option.id = `${listId}-${i}`;
      option.setAttribute("role", "option");
      option.setAttribute("aria-selected", "false");
      option.className = "site-search__option";
      const title = document.createElement("span");
      title.className = "site-search__option-title";
      title.textContent = String(suggestion.title ?? "");
      const type = document.createElement("span");
      type.className = "site-search__option-type";
      type.textContent = String(suggestion.type_label ?? "");
      option.append(title, " ", type);
      // mousedown, not click: the box keeps its focus (no blur that closes the list first).
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        go(suggestion);
      });
      return option;
    });
    list.replaceChildren(...nodes);
    active = -1;
    input.removeAttribute("aria-activedescendant");
    status.textContent = suggestions.length
      ? `${suggestions.length} ${input.dataset.suggestCount ?? ""}`
      : "";
    if (document.activeElement === input) open();
  }

  async function load() {
    const text = input.value.trim();
    if (controller) controller.abort();
    if (text.length < MIN_LENGTH) {
      render([]);
      close();
      return;
    }
    controller = new AbortController();
    const url = new URL(input.dataset.suggestUrl, window.location.href);
    url.searchParams.set("q", text);
    try {
      const response = await fetch(url, {
        signal: controller.signal,
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
      if (!response.ok) return;
      const data = await response.json();
      if (input.value.trim() === text) render(data.suggestions);
    } catch (error) {
      if (error.name !== "AbortError") close();
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(load, DELAY);
  });

  input.addEventListener("keydown", (event) => {
    const expanded = !list.hidden;
    switch (event.key) {
      case "ArrowDown":
        event.preventDefault();
        if (!expanded) {
          open();
          if (suggestions.length) setActive(0);
        } else {
          setActive(active + 1);
        }
        break;
      case "ArrowUp":
        event.preventDefault();
        if (!expanded) {
          open();
          if (suggestions.length) setActive(suggestions.length - 1);
        } else {
          setActive(active - 1);
        }
        break;
      case "Enter":
        if (expanded && active >= 0) {
          event.preventDefault();
          go(suggestions[active]);
        }
        break;
      case "Escape":
        if (expanded) {
          event.preventDefault();
          close();
        } else if (input.value) {
          event.preventDefault();
          input.value = "";
          render([]);
        }
        break;
      case "Tab":
        close();
        break;
      default:
        break;
    }
  });

  input.addEventListener("blur", close);
  input.addEventListener("focus", () => {
    if (suggestions.length && input.value.trim().length >= MIN_LENGTH) open();
  });
  form?.addEventListener("submit", close);
}

const input = document.querySelector("input[data-suggest-url]");
if (input) enhance(input);
