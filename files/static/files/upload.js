/* Uploading files into a folder, enhanced (files/templates/files/folder.html).

Without this script the form posts every chosen file at once and the page answers with a
message per file. With it, the chosen or dropped files are sent one request each
(Accept: application/json), each with its own progress bar; a live region says when each one is
done or refused and why; at the end the folder's list is fetched again and put in place. The file
input stays where it is: choosing files with the keyboard works as before, the drop zone is
only an extra. No library: XMLHttpRequest is what reports upload progress.
*/

const form = document.querySelector("form[data-upload]");

function say(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) => (key in values ? values[key] : whole));
}

function errorOf(xhr) {
  try {
    return JSON.parse(xhr.responseText).error || "";
  } catch {
    return "";
  }
}

function start(form) {
  const texts = form.dataset;
  const section = form.closest("section") || form.parentElement;
  const list = section.querySelector("[data-upload-list]");
  const live = section.querySelector("[data-upload-live]");
  const zone = form.querySelector("[data-drop-zone]");
  const input = form.querySelector("input[type=file]");
  const token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  let running = 0;
  let changed = false;

  form.querySelector("[data-drop-hint]").hidden = false;

  function announce(text) {
    // A fresh text node each time, so that the same words twice are read twice.
    live.textContent = "";
    window.setTimeout(() => {
      live.textContent = text;
    }, 50);
  }

  function row(file) {
    const item = document.createElement("li");
    item.className = "upload__item";
    const name = document.createElement("span");
    name.className = "upload__name";
    name.textContent = file.name;
    const bar = document.createElement("progress");
    bar.max = 100;
    bar.value = 0;
    bar.setAttribute("aria-label", say(texts.textUploading, { name: file.name }));
    const status = document.createElement("p");
    status.className = "upload__status";
    item.append(name, bar, status);
    list.hidden = false;
    list.append(item);
    return { item, bar, status };
  }

  function finish(view, state, text) {
    view.item.classList.add(`upload__item--${state}`);
    view.status.textContent = text;
    if (state === "done") view.bar.value = 100;
    else view.bar.remove();
    announce(text);
    running -= 1;
    if (running === 0) refresh();
  }

  async function refresh() {
    if (!changed) return;
    changed = false;
    try {
      const response = await fetch(window.location.href, { headers: { Accept: "text/html" } });
      const page = new DOMParser().parseFromString(await response.text(), "text/html");
      const fresh = page.querySelector("[data-file-list]");
      const current = document.querySelector("[data-file-list]");
      if (!response.ok || !fresh || !current) throw new Error("no list");
      current.replaceWith(document.importNode(fresh, true));
      window.setTimeout(() => announce(texts.textFinished), 1200);
    } catch {
      window.location.reload();
    }
  }

  function send(file) {
    const view = row(file);
    running += 1;
    const data = new FormData();
    data.append("files", file, file.name);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", form.action);
    xhr.setRequestHeader("Accept", "application/json");
    xhr.setRequestHeader("X-CSRFToken", token);
    xhr.upload.addEventListener("progress", (event) => {
      if (event.lengthComputable) view.bar.value = Math.round((100 * event.loaded) / event.total);
    });
    xhr.addEventListener("load", () => {
      if (xhr.status === 201) {
        changed = true;
        let answer = {};
        try {
          answer = JSON.parse(xhr.responseText);
        } catch {
          answer = { name: file.name };
        }
        const text = answer.renamed_from
          ? say(texts.textRenamed, { asked: answer.renamed_from, name: answer.name })
          : say(texts.textDone, { name: answer.name || file.name });
        finish(view, "done", text);
      } else {
        const reason = errorOf(xhr);
        if (reason) finish(view, "refused", say(texts.textRefused, { name: file.name, reason }));
        else finish(view, "failed", say(texts.textFailed, { name: file.name }));
      }
    });
    xhr.addEventListener("error", () =>
      finish(view, "failed", say(texts.textFailed, { name: file.name })),
    );
    xhr.send(data);
  }

  function sendAll(files) {
    for (const file of files) send(file);
  }

  form.addEventListener("submit", (event) => {
    if (!input.files.length) return; // the server says what to do
    event.preventDefault();
    sendAll(Array.from(input.files));
    input.value = "";
  });

  for (const name of ["dragenter", "dragover"]) {
    zone.addEventListener(name, (event) => {
      if (!event.dataTransfer || !Array.from(event.dataTransfer.types).includes("Files")) return;
      event.preventDefault();
      event.dataTransfer.dropEffect = "copy";
      zone.classList.add("upload__zone--over");
    });
  }
  zone.addEventListener("dragleave", (event) => {
    if (!zone.contains(event.relatedTarget)) zone.classList.remove("upload__zone--over");
  });
  zone.addEventListener("drop", (event) => {
    event.preventDefault();
    zone.classList.remove("upload__zone--over");
    const files = Array.from(event.dataTransfer?.files || []);
    if (files.length) sendAll(files);
  });
}

if (form) start(form);
