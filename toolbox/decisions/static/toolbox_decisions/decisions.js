// Decision aids: the outcome's Copy link and Print buttons. Without JavaScript they stay hidden:
// the link can be selected and copied by hand, and the browser prints the page as it is.

const status = document.querySelector("[data-copy-status]");

for (const button of document.querySelectorAll("[data-copy-target]")) {
  const field = document.getElementById(button.dataset.copyTarget);
  if (!field || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      if (status) status.textContent = button.dataset.copiedText;
    } catch {
      field.select();
    }
  });
}

for (const button of document.querySelectorAll("[data-print]")) {
  button.hidden = false;
  button.addEventListener("click", () => window.print());
}
for (const hint of document.querySelectorAll("[data-print-hint]")) {
  hint.hidden = true;
}
