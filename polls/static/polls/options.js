// "Add more options" adds one empty row in place instead of sending the form back (which is
// what the button does without this script). The new row is labelled like the others and
// takes the focus; at 20 rows the button goes.
const MAX_OPTIONS = 20;

function setUp(fieldset) {
  const list = fieldset.querySelector("[data-option-rows]");
  const button = fieldset.querySelector("[data-add-option]");
  if (!list || !button) return;
  button.addEventListener("click", (event) => {
    const rows = list.querySelectorAll("li");
    if (rows.length >= MAX_OPTIONS) return;
    event.preventDefault();
    const last = rows[rows.length - 1];
    const row = last.cloneNode(true);
    const number = rows.length + 1;
    const input = row.querySelector("input");
    const label = row.querySelector("label");
    input.id = `option-${number}`;
    input.value = "";
    label.htmlFor = input.id;
    label.textContent = label.textContent.replace(/\d+\s*$/, String(number));
    list.appendChild(row);
    input.focus();
    if (number >= MAX_OPTIONS) button.hidden = true;
  });
}

document.querySelectorAll("[data-options]").forEach(setUp);
