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

/* The conversation list (/chat/) shows a room the person joins while it is open: a new direct
   conversation someone started with them, a group they joined. */
function listRoom(frame) {
  const list = document.querySelector("[data-conversations]");
  if (!list || typeof frame.url !== "string" || !frame.url.startsWith("/")) return;
  if (list.querySelector(`[data-room-id="${Number(frame.room)}"]`)) return;
  const item = document.createElement("li");
  item.className = "card";
  item.dataset.roomId = String(Number(frame.room));
  const heading = document.createElement("h2");
  heading.className = "card__title";
  const link = document.createElement("a");
  link.href = frame.url;
  link.textContent = frame.title || "…";
  heading.append(link);
  const kind = document.createElement("p");
  kind.textContent = frame.kind === "group" ? list.dataset.labelGroup : list.dataset.labelDirect;
  item.append(heading, kind);
  list.prepend(item);
  list.hidden = false;
  document.querySelector("[data-conversations-empty]")?.remove();
}

/* On pages without a chat room, a light connection of its own keeps the count live: the server
   sends {"type": "unread", "delta": 1} for each new message in one of the person's rooms. */
if (holder && !document.querySelector(".chat[data-room]") && "WebSocket" in window) {
  let delay = 1000;
  const connect = () => {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${window.location.host}/ws/chat/`);
    socket.addEventListener("open", () => {
      delay = 1000;
    });
    socket.addEventListener("message", (event) => {
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      if (frame?.type === "room") {
        listRoom(frame);
        return;
      }
      if (frame?.type !== "unread") return;
      const detail = typeof frame.total === "number" ? { total: frame.total } : { delta: frame.delta };
      document.dispatchEvent(new CustomEvent("meent:chat-unread", { detail }));
    });
    socket.addEventListener("close", (event) => {
      // 4401/4403: not signed in or suspended; do not knock again.
      if (event.code === 4401 || event.code === 4403) return;
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 30000);
    });
  };
  connect();
}
