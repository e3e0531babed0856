// The progress of a data export, updated in place. Without JavaScript the page refreshes itself
// (a <noscript> meta refresh); here we ask the status endpoint and reload once it has finished,
// so the page shows the download or what went wrong.
const box = document.querySelector("[data-export-status]");
const RUNNING = new Set(["queued", "running"]);
const INTERVAL = 1500;

async function poll() {
    let status;
    try {
        const response = await fetch(box.dataset.exportStatus, {
            headers: { Accept: "application/json" },
            credentials: "same-origin",
        });
        if (!response.ok) throw new Error(String(response.status));
        status = await response.json();
    } catch {
        window.setTimeout(poll, INTERVAL * 4);
        return;
    }
    if (!RUNNING.has(status.status)) {
        window.location.reload();
        return;
    }
    const bar = box.querySelector("progress");
    bar.value = status.progress;
    bar.textContent = `${status.progress}%`;
    const text = box.querySelector("[data-export-text]");
    if (text.textContent.trim() !== status.text) text.textContent = status.text;
    window.setTimeout(poll, INTERVAL);
}

if (box && RUNNING.has(box.dataset.state)) window.setTimeout(poll, INTERVAL);
