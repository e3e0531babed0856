// Saves checklist ticks as soon as a box changes and announces the progress ("3 of 7 done").
// Without JavaScript the form's "Save progress" button does the same with a page load.

const status = document.querySelector("[data-toolbox-progress]");
const bar = document.querySelector("[data-toolbox-progress-bar]");

async function save(form, box) {
  const data = new FormData();
  data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
  data.append("item", box.value);
  if (box.checked) data.append("done", box.value);
  const response = await fetch(form.action, {
    method: "POST",
    body: data,
    headers: { Accept: "application/json" },
    credentials: "same-origin",
  });
  const answer = await response.json();
  if (!response.ok) throw new Error(answer.error || String(response.status));
  return answer;
}

function announce(text) {
  if (status) status.textContent = text;
}

for (const form of document.querySelectorAll("form[data-toolbox-checklist]")) {
  form.addEventListener("change", async (event) => {
    const box = event.target;
    if (!(box instanceof HTMLInputElement) || box.type !== "checkbox") return;
    try {
      const answer = await save(form, box);
      announce(answer.label);
      if (bar) {
        bar.max = answer.total;
        bar.value = answer.done;
      }
    } catch (error) {
      announce(status?.dataset.error || String(error));
    }
  });
}
