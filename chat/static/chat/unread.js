/* The header's unread chat count, kept up to date without reloading.

The chat room (chat.js) hears the server's "unread" frames and dispatches a "meent:chat-unread"
event: {total} for the new total, {delta} for a message that arrived while its tab was hidden.
Other tabs of the site follow through a BroadcastChannel. The visually hidden word after the
number comes, translated, from the element's data-label.
*/

const CHANNEL_NAME = "meent:chat-unread";
const holder = document.querySelector("[data-chat-unread]");
const channel = "BroadcastChannel" in window ? new BroadcastChannel(CHANNEL_NAME) : null;

function shownTotal() {
  const text = holder?.querySelector(".badge")?.firstChild?.nodeValue ?? "0";
  return Number.parseInt(text, 10) || 0;
}

let total = shownTotal();

function render(value) {
  total = Math.max(0, Math.trunc(Number(value) || 0));
  if (!holder) return;
  if (!total) {
    holder.replaceChildren();
    return;
  }
  const badge = document.createElement("span");
  badge.className = "badge";
  const word = document.createElement("span");
  word.className = "visually-hidden";
  word.textContent = ` ${holder.dataset.label ?? ""}`;
  badge.append(String(total), word);
  holder.replaceChildren(" ", badge);
}

document.addEventListener("meent:chat-unread", (event) => {
  const detail = event.detail ?? {};
  if (typeof detail.total === "number") {
    render(detail.total);
  } else if (typeof detail.delta === "number") {
    render(total + detail.delta);
  } else {
    return;
  }
  channel?.postMessage({ total });
});

channel?.addEventListener("message", (event) => {
  if (typeof event.data?.total === "number") render(event.data.total);
});
