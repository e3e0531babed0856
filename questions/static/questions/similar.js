// Similar questions while typing a question's title (progressive enhancement: without this
// script the form is a plain form). Asks /questions/similar.json ~300 ms after the last key,
// shows at most five links, and says how many in a polite live region.
const DELAY_MS = 300;

function setUp(input) {
  const url = input.dataset.similarUrl;
  const group = input.dataset.similarGroup || "";
  const form = input.form;
  const section = form.querySelector(".similar-questions");
  const list = form.querySelector(".similar-questions__list");
  const status = document.getElementById("similar-questions-status");
  if (!url || !section || !list || !status) return;
  let timer = null;
  let asked = "";
  let controller = null;

  function show(results) {
    list.replaceChildren(
      ...results.map((result) => {
        const item = document.createElement("li");
        const link = document.createElement("a");
        link.href = result.url;
        link.textContent = result.title;
        item.append(link);
        return item;
      }),
    );
    section.hidden = results.length === 0;
    const count = results.length;
    status.textContent =
      count === 0 ? "" : count === 1 ? status.dataset.one : status.dataset.many.replace("{count}", count);
  }

  async function ask() {
    const text = input.value.trim();
    if (text === asked) return;
    asked = text;
    if (text.length < 2) {
      show([]);
      return;
    }
    if (controller) controller.abort();
    controller = new AbortController();
    const params = new URLSearchParams({ q: input.value.slice(0, 200) });
    if (group) params.set("group", group);
    try {
      const response = await fetch(`${url}?${params}`, {
        headers: { Accept: "application/json" },
        signal: controller.signal,
      });
      if (!response.ok) return;
      const data = await response.json();
      show(Array.isArray(data.results) ? data.results : []);
    } catch (error) {
      if (error.name !== "AbortError") show([]);
    }
  }

  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(ask, DELAY_MS);
  });
}

document.querySelectorAll("input[data-similar-url]").forEach(setUp);
