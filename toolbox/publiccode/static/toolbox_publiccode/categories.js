// The publiccode.yml generator's categories: a filter above the groups. Without JavaScript the
// filter stays hidden and every group shows.
//
// Typing hides the categories whose label (in the page's language) and standard word (the slug)
// do not contain the text, ignoring case, accents, spaces and punctuation ("factuur" finds
// "Factuurverwerking", "financiele" finds "Financiële", "e mail" finds "E-mail"). A checked
// category is never hidden: a person must see what they chose. Groups left empty are hidden, and
// a polite live region says how many categories show. The texts come from the server (data-*).

function fold(text) {
  return text
    .normalize("NFD")
    .replace(/\p{M}/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]/gu, "");
}

function setUp(filter) {
  const list = document.getElementById(filter.dataset.categoryFilter);
  const input = filter.querySelector("input");
  const count = filter.querySelector("[data-category-count]");
  if (!list || !input || !count) return;

  const categories = Array.from(list.querySelectorAll("[data-category]"), (item) => {
    const checkbox = item.querySelector("input[type=checkbox]");
    return { item, checkbox, text: fold(`${item.textContent} ${checkbox ? checkbox.value : ""}`) };
  });
  const groups = Array.from(list.querySelectorAll("[data-category-group]"));

  function announce(shown) {
    let text = filter.dataset.countMany.replace("{count}", String(shown));
    if (shown === 0) text = filter.dataset.countNone;
    else if (shown === 1) text = filter.dataset.countOne;
    count.textContent = text;
  }

  function apply() {
    const query = fold(input.value);
    let shown = 0;
    for (const { item, checkbox, text } of categories) {
      const visible = !query || text.includes(query) || Boolean(checkbox && checkbox.checked);
      item.hidden = !visible;
      if (visible) shown += 1;
    }
    for (const group of groups) {
      group.hidden = !group.querySelector("[data-category]:not([hidden])");
    }
    announce(shown);
  }

  // Enter in the filter filters; it does not send the whole form.
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter") event.preventDefault();
  });
  input.addEventListener("input", apply);
  // Unchecking a box does not hide it at once (the focus is on it); the next filtering does.
  filter.hidden = false;
  if (input.value) apply();
}

for (const filter of document.querySelectorAll("[data-category-filter]")) {
  setUp(filter);
}
