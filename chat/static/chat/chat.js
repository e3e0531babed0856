/* A chat room, live: the WebSocket at /ws/chat/ (its protocol is described in chat/consumers.py).

The room page works without this module: a POST form and the history rendered by the server.
With it, messages arrive without reloading, are sent over the socket (and resent with the same
client id after a reconnect until the server acknowledges them), can be edited and deleted, and
older ones load on request. Every text shown comes from the page (data-chat-strings), translated
there. Text written by people is only ever put into the page as text nodes, never as markup.
*/

const RECONNECT_FIRST_MS = 500;
const RECONNECT_MAX_MS = 10_000;
const HEARTBEAT_MS = 25_000;
const READ_DELAY_MS = 300;
const ANNOUNCE_DELAY_MS = 600;
const ANNOUNCE_EXCERPT = 140;
const NEAR_BOTTOM_PX = 64;
// The server refuses larger frames (MAX_FRAME_BYTES in chat/consumers.py) without reading them.
const MAX_FRAME_BYTES = 16_384;
// Codes the server closes with when the person may no longer chat: reconnecting cannot help.
const FINAL_CLOSE_CODES = new Set([4401, 4403]);
const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}]+$/;

/* --- helpers ----------------------------------------------------------------------------- */

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/* "{name} wrote {text}" with the values put in as they are: the result is used as text. */
function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) =>
    Object.hasOwn(values, key) ? String(values[key]) : whole,
  );
}

function frameBytes(frame) {
  return new TextEncoder().encode(JSON.stringify(frame)).length;
}

function newClientId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  // randomUUID exists only on HTTPS and localhost; the same version-4 UUID by hand elsewhere.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/* An <a> for an http(s) URL, or null for anything else. */
function link(text) {
  let url;
  try {
    url = new URL(text);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  const anchor = element("a", null, text);
  anchor.href = url.href;
  anchor.rel = "nofollow noopener noreferrer";
  return anchor;
}

/* Put a message's text into `parent`: text nodes, <br> for new lines, <a> for http(s) URLs. */
function appendText(parent, text) {
  text.split(/\r\n|\r|\n/).forEach((line, index) => {
    if (index) parent.append(element("br"));
    let done = 0;
    for (const match of line.matchAll(URL_IN_TEXT)) {
      const url = match[0].replace(TRAILING_PUNCTUATION, "");
      if (match.index > done) parent.append(line.slice(done, match.index));
      parent.append(link(url) ?? url);
      done = match.index + url.length;
    }
    if (done < line.length) parent.append(line.slice(done));
  });
}

/* The text of a rendered message body, new lines included (the reverse of appendText). */
function textOf(body) {
  let text = "";
  for (const node of body.childNodes) {
    text += node.nodeName === "BR" ? "\n" : node.textContent;
  }
  return text;
}

/* --- the room ---------------------------------------------------------------------------- */

class ChatRoom {
  constructor(root) {
    this.root = root;
    this.roomId = Number(root.dataset.room);
    this.userId = Number(root.dataset.user);
    this.userName = root.dataset.userName || "";
    this.historyUrl = root.dataset.historyUrl;
    this.reportUrl = root.dataset.reportUrl || "";
    // Messages this person has an open report about: "You reported this" instead of Report.
    this.reported = new Set((root.dataset.reported || "").split(" ").filter(Boolean));
    this.strings = { ...root.querySelector("[data-chat-strings]")?.dataset };
    this.list = root.querySelector("[data-chat-messages]");
    this.status = root.querySelector("[data-chat-status]");
    this.announcer = root.querySelector("[data-chat-announce]");
    this.olderButton = root.querySelector("[data-chat-older]");
    this.form = root.querySelector("[data-chat-form]");
    this.textarea = this.form?.querySelector("textarea");
    this.errorBox = this.form?.querySelector("[data-chat-error]");
    this.timeFormat = timeFormat(document.documentElement.lang, root.dataset.timeZone);

    this.messages = new Map(); // seq -> <li>
    this.pending = new Map(); // client id -> {clientId, body, li}, in the order they were sent
    this.storageKey = `meent:chat:pending:${this.roomId}`;
    this.lastReadSent = Number(root.dataset.lastRead) || 0;
    this.socket = null;
    this.subscribed = false;
    this.stopped = false; // while the page is hidden or stopped for good
    this.ended = false; // stopped for good
    this.wasConnected = false;
    this.attempts = 0;
    this.reconnectTimer = null;
    this.heartbeatTimer = null;
    this.awaitingPong = false;
    this.readTimer = null;
    this.announceQueue = [];
    this.announceTimer = null;
    this.loadingOlder = false;
  }

  t(key, values) {
    const text = this.strings[key] ?? key;
    return values ? format(text, values) : text;
  }

  get highestSeq() {
    let highest = 0;
    for (const [seq, li] of this.messages) {
      if (seq > highest && !li.dataset.partial) highest = seq;
    }
    return highest;
  }

  get lowestSeq() {
    let lowest = Infinity;
    for (const seq of this.messages.keys()) lowest = Math.min(lowest, seq);
    return lowest;
  }

  start() {
    for (const li of this.list.querySelectorAll(".chat-message[data-seq]")) {
      this.messages.set(Number(li.dataset.seq), li);
      this.addActions(li);
    }
    this.restorePending();
    this.openAtFirstUnread();

    this.form?.addEventListener("submit", (event) => this.onSubmit(event));
    this.textarea?.addEventListener("keydown", (event) => {
      if (isPlainEnter(event)) {
        event.preventDefault();
        this.form.requestSubmit();
      }
    });
    this.list.addEventListener("click", (event) => this.onListClick(event));
    if (this.olderButton) {
      this.olderButton.hidden = false;
      this.olderButton.addEventListener("click", () => this.loadOlder());
    }
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState !== "visible") return;
      this.scheduleRead();
      this.reconnectNow();
    });
    window.addEventListener("online", () => this.reconnectNow());
    window.addEventListener("pagehide", () => {
      this.stopped = true;
      this.socket?.close(1000);
    });
    window.addEventListener("pageshow", (event) => {
      if (event.persisted && !this.ended) {
        // Back from the back/forward cache: the socket was closed on the way out.
        this.stopped = false;
        this.connect();
      }
    });
    this.connect();
  }

  /* --- the connection -------------------------------------------------------------------- */

  connect() {
    clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    if (this.stopped) return;
    this.setStatus(this.attempts ? "reconnecting" : "connecting");
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    const socket = new WebSocket(`${scheme}//${window.location.host}/ws/chat/`);
    this.socket = socket;
    socket.addEventListener("open", () => {
      this.send({ type: "subscribe", room: this.roomId, after: this.highestSeq });
      this.startHeartbeat();
    });
    socket.addEventListener("message", (event) => {
      if (socket !== this.socket) return;
      this.awaitingPong = false;
      let frame;
      try {
        frame = JSON.parse(event.data);
      } catch {
        return;
      }
      this.onFrame(frame);
    });
    socket.addEventListener("close", (event) => {
      if (socket !== this.socket) return;
      this.dropped(event.code);
    });
  }

  /* The socket is gone (closed, or silent for too long): try again, later each time. */
  dropped(code) {
    const socket = this.socket;
    this.socket = null;
    this.subscribed = false;
    clearInterval(this.heartbeatTimer);
    if (socket && socket.readyState < WebSocket.CLOSING) socket.close();
    this.markPending();
    if (this.stopped) return;
    if (FINAL_CLOSE_CODES.has(code)) {
      this.stop("stopped");
      return;
    }
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** this.attempts);
    this.attempts += 1;
    this.setStatus("reconnecting");
    // Some jitter, so that a restarted server is not met by every browser at the same moment.
    this.reconnectTimer = setTimeout(() => this.connect(), delay * (0.75 + Math.random() / 4));
  }

  reconnectNow() {
    if (this.stopped || this.socket || !this.reconnectTimer) return;
    this.connect();
  }

  /* For good: the person may no longer chat here, or was signed out. */
  stop(statusKey) {
    this.ended = true;
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.heartbeatTimer);
    const socket = this.socket;
    this.socket = null;
    this.subscribed = false;
    socket?.close(1000);
    this.setStatus(statusKey);
    this.markPending();
  }

  startHeartbeat() {
    clearInterval(this.heartbeatTimer);
    this.awaitingPong = false;
    this.heartbeatTimer = setInterval(() => {
      if (this.awaitingPong) {
        this.dropped(1006); // no answer since the last ping: the connection is dead
        return;
      }
      this.awaitingPong = this.send({ type: "ping" });
    }, HEARTBEAT_MS);
  }

  send(frame) {
    if (this.socket?.readyState !== WebSocket.OPEN) return false;
    this.socket.send(JSON.stringify(frame));
    return true;
  }

  get connected() {
    return this.subscribed && this.socket?.readyState === WebSocket.OPEN;
  }

  setStatus(key) {
    if (!this.status) return;
    this.status.textContent = this.t(key);
    this.status.dataset.state = key;
  }

  /* --- frames from the server ------------------------------------------------------------ */

  onFrame(frame) {
    switch (frame.type) {
      case "subscribed":
        if (frame.room !== this.roomId) return;
        this.subscribed = true;
        this.attempts = 0;
        this.setStatus("connected");
        this.sendPending();
        this.scheduleRead();
        if (this.wasConnected) this.refreshRecent();
        this.wasConnected = true;
        break;
      case "message":
        if (frame.message?.room === this.roomId) this.onMessage(frame.message, frame.update);
        break;
      case "ack":
        if (frame.room === this.roomId) this.onAck(frame);
        break;
      case "unsubscribed":
        if (frame.room === this.roomId && frame.reason !== "requested") this.onRemoved();
        break;
      case "unread":
        if (typeof frame.total === "number") showUnread({ total: frame.total });
        else if (frame.room !== this.roomId && typeof frame.delta === "number") showUnread({ delta: frame.delta });
        break;
      case "error":
        this.onError(frame);
        break;
      default:
        break; // "pong" and anything newer than this script
    }
  }

  onMessage(message, isUpdate) {
    const existing = this.messages.get(message.seq);
    if (existing) {
      const stickToBottom = this.nearBottom();
      this.render(existing, message);
      if (stickToBottom) this.scrollToBottom();
      return;
    }
    if (isUpdate) return; // a change to a message older than what this page holds
    const own = message.author?.id === this.userId;
    const pending = own ? this.pending.get(message.client_id) : null;
    const stickToBottom = own || this.nearBottom();
    let li;
    if (pending) {
      // Our own message, before its ack: the pending entry becomes the message.
      this.forgetPending(message.client_id);
      li = pending.li;
      li.remove();
    } else {
      li = element("li");
    }
    this.render(li, message);
    this.insert(li, message.seq);
    if (stickToBottom) this.scrollToBottom();
    if (!own) {
      this.queueAnnouncement(message);
      if (document.visibilityState === "visible") {
        this.scheduleRead();
      } else {
        showUnread({ delta: 1 });
      }
    }
  }

  onAck(frame) {
    const pending = this.pending.get(frame.client_id);
    if (!pending) return;
    this.forgetPending(frame.client_id);
    if (this.messages.has(frame.seq)) {
      pending.li.remove(); // already on the page (a resend of a stored message)
      return;
    }
    // Sent and stored. The full message (with the text as stored) follows as a "message" frame;
    // until then the entry stays as typed, marked partial so that a reconnect asks for it again.
    const li = pending.li;
    li.classList.remove("chat-message--pending");
    li.querySelector(".chat-message__state")?.remove();
    li.id = `m${frame.seq}`;
    li.dataset.seq = frame.seq;
    li.dataset.id = frame.id;
    li.dataset.partial = "1";
    li.removeAttribute("data-client-id");
    this.messages.set(frame.seq, li);
  }

  onError(frame) {
    if (frame.client_id && this.pending.has(frame.client_id)) {
      // Refused (too long, too fast, ...): nothing was stored. Give the text back to the writer.
      const pending = this.pending.get(frame.client_id);
      this.forgetPending(frame.client_id);
      pending.li.remove();
      if (this.textarea) {
        const typed = this.textarea.value;
        this.textarea.value = typed ? `${pending.body}\n${typed}` : pending.body;
      }
      this.showError(frame.reason);
      return;
    }
    if (frame.message !== undefined) {
      const li = this.list.querySelector(`.chat-message[data-id="${Number(frame.message)}"]`);
      const editor = li?.querySelector(".chat-edit");
      if (editor) {
        delete editor.dataset.saving;
        editor.querySelector("[data-chat-edit-error]").textContent = frame.reason;
        return;
      }
      this.showError(frame.reason);
      return;
    }
    if (frame.code === "forbidden" && frame.room === this.roomId && !this.subscribed) {
      this.onRemoved();
      return;
    }
    if (frame.room === this.roomId || frame.code !== "forbidden") this.showError(frame.reason);
  }

  onRemoved() {
    this.stop("removed");
    if (this.form) {
      for (const control of this.form.elements) control.disabled = true;
    }
  }

  /* --- showing messages ------------------------------------------------------------------ */

  /* Fill `li` with `message` (new, or a newer version of one shown), keeping focus inside it. */
  render(li, message) {
    const focused = li.contains(document.activeElement) ? document.activeElement : null;
    const focusKey = focused?.closest(".chat-edit") ? "edit" : focused?.dataset.focus;
    const editor = li.querySelector(".chat-edit");
    const keepEditor = editor && !editor.dataset.saving && !message.deleted;

    li.className = "chat-message";
    li.id = `m${message.seq}`;
    li.dataset.seq = message.seq;
    li.dataset.id = message.id;
    delete li.dataset.partial;
    const own = message.author?.id === this.userId;
    li.classList.toggle("chat-message--own", own);
    li.classList.toggle("chat-message--deleted", message.deleted);
    if (own) li.dataset.own = "1";

    const meta = element("p", "chat-message__meta");
    if (message.author) {
      const author = element("a", null, message.author.name);
      author.href = message.author.url;
      author.dataset.focus = "author";
      meta.append(author);
      if (message.author.organisation) {
        meta.append(" ", element("span", "chat-message__org", `(${message.author.organisation})`));
      }
    } else {
      meta.append(this.t("formerMember"));
    }
    const time = element("time", null, this.formatTime(message.created_at));
    time.dateTime = message.created_at;
    meta.append(" ", time);
    if (message.edited && !message.deleted) {
      meta.append(" ", element("span", "chat-message__edited", this.t("edited")));
    }
    const body = element("p", "chat-message__body");
    if (message.deleted) {
      body.append(element("em", null, this.t(message.hidden ? "hidden" : "deleted")));
    } else {
      appendText(body, message.body);
    }
    li.replaceChildren(meta, body);
    this.messages.set(message.seq, li);
    this.addActions(li);
    if (keepEditor) {
      // Changed elsewhere while this person edits it: keep what they are typing.
      body.hidden = true;
      const actions = li.querySelector(".chat-message__actions");
      if (actions) actions.hidden = true;
      li.append(editor);
      if (focused) focused.focus();
      return;
    }
    if (focused) this.refocus(li, focusKey);
  }

  refocus(li, key, options = {}) {
    const target = key && li.querySelector(`[data-focus="${key}"]`);
    if (target) {
      target.focus(options);
    } else {
      li.tabIndex = -1;
      li.focus(options);
    }
  }

  /* Edit and Delete on one's own messages: they work only with the socket, so only with JS.
     Report on other people's messages: a link to the report form. */
  addActions(li) {
    li.querySelector(".chat-message__actions")?.remove();
    if (li.classList.contains("chat-message--deleted") || !this.form) return;
    const when = li.querySelector("time")?.textContent.trim() ?? "";
    const actions = element("div", "chat-message__actions");
    if (!li.dataset.own) {
      if (!this.reportUrl || !li.dataset.id) return;
      if (this.reported.has(li.dataset.id)) {
        actions.append(element("span", "chat-message__reported", this.t("youReported")));
        li.append(actions);
        return;
      }
      const link = element("a", "chat-message__report", this.t("report"));
      // The page carries the address for message 1 (ids start at 1): swap in this one's id.
      link.href = this.reportUrl.replace(/\d+\/$/, `${li.dataset.id}/`);
      link.dataset.focus = "report";
      const name = li.querySelector(".chat-message__meta a")?.textContent.trim() ?? "";
      link.append(element("span", "visually-hidden", ` ${this.t("messageBy", { name, time: when })}`));
      actions.append(link);
      li.append(actions);
      return;
    }
    for (const [action, label] of [
      ["edit", this.t("edit")],
      ["delete", this.t("delete")],
    ]) {
      const button = element("button", "button button--secondary button--small", label);
      button.type = "button";
      button.dataset.action = action;
      button.dataset.focus = action;
      button.append(element("span", "visually-hidden", ` ${this.t("messageOf", { time: when })}`));
      actions.append(button);
    }
    li.append(actions);
  }

  /* "5 maart 14:02" or "5 March 14:02", as the server writes it (the page language's
     MONTH_DAY_FORMAT and TIME_FORMAT: day, month's name, 24-hour clock). */
  formatTime(iso) {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) return "";
    const part = {};
    for (const { type, value } of this.timeFormat.formatToParts(date)) part[type] = value;
    return `${part.day} ${part.month} ${part.hour}:${part.minute}`;
  }

  /* Put `li` in sequence order, before the unsent messages at the end. */
  insert(li, seq) {
    let before = null;
    for (const item of this.list.children) {
      if (item.classList.contains("chat-message--pending")) {
        before = item;
        break;
      }
      if (item.dataset.seq && Number(item.dataset.seq) > seq) {
        before = item;
        break;
      }
    }
    this.list.insertBefore(li, before);
  }

  nearBottom() {
    const list = this.list;
    return list.scrollHeight - list.scrollTop - list.clientHeight < NEAR_BOTTOM_PX;
  }

  scrollToBottom() {
    this.list.scrollTop = this.list.scrollHeight;
  }

  /* Open at the first unread message (the server puts a marker before it), or at the end. */
  openAtFirstUnread() {
    const marker = this.list.querySelector("#unread");
    if (!marker) {
      this.scrollToBottom();
      return;
    }
    const offset = marker.getBoundingClientRect().top - this.list.getBoundingClientRect().top;
    this.list.scrollTop += offset;
    marker.scrollIntoView({ block: "nearest" });
  }

  queueAnnouncement(message) {
    this.announceQueue.push(message);
    clearTimeout(this.announceTimer);
    this.announceTimer = setTimeout(() => {
      const queue = this.announceQueue;
      this.announceQueue = [];
      if (queue.length === 1) {
        const [only] = queue;
        let text = only.deleted ? this.t("deleted") : only.body.replace(/\s+/g, " ").trim();
        if (text.length > ANNOUNCE_EXCERPT) text = `${text.slice(0, ANNOUNCE_EXCERPT - 1)}…`;
        const name = only.author?.name ?? this.t("formerMember");
        this.announce(this.t("newMessage", { name, text }));
      } else if (queue.length > 1) {
        this.announce(this.t("newMessages", { count: queue.length }));
      }
    }, ANNOUNCE_DELAY_MS);
  }

  announce(text) {
    if (!this.announcer) return;
    // Emptied first, so that the same words twice are announced twice.
    this.announcer.textContent = "";
    setTimeout(() => {
      this.announcer.textContent = text;
    }, 50);
  }

  showError(text) {
    if (!this.errorBox) return;
    this.errorBox.textContent = "";
    // A moment later, so that a repeated error is announced again.
    setTimeout(() => {
      this.errorBox.textContent = text;
    }, 50);
  }

  clearError() {
    if (this.errorBox) this.errorBox.textContent = "";
  }

  /* --- read markers ---------------------------------------------------------------------- */

  scheduleRead() {
    if (document.visibilityState !== "visible") return;
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => {
      const seq = this.highestSeq;
      if (seq > this.lastReadSent && this.connected && document.visibilityState === "visible") {
        this.send({ type: "read", room: this.roomId, seq });
        this.lastReadSent = seq;
      }
    }, READ_DELAY_MS);
  }

  /* --- sending --------------------------------------------------------------------------- */

  onSubmit(event) {
    event.preventDefault();
    const body = this.textarea.value;
    if (!body.trim()) {
      this.showError(this.t("empty"));
      return;
    }
    const item = { clientId: newClientId(), body };
    if (frameBytes(this.sendFrame(item)) > MAX_FRAME_BYTES) {
      this.showError(this.t("tooLong"));
      return;
    }
    this.clearError();
    item.li = this.pendingItem(item);
    this.pending.set(item.clientId, item);
    this.savePending();
    this.list.append(item.li);
    this.scrollToBottom();
    this.textarea.value = "";
    if (this.connected) this.sendOne(item);
  }

  sendFrame(item) {
    return { type: "send", room: this.roomId, client_id: item.clientId, body: item.body };
  }

  sendOne(item) {
    this.send(this.sendFrame(item));
  }

  /* After (re)subscribing: everything not acknowledged yet, in order, with the same client ids. */
  sendPending() {
    for (const item of this.pending.values()) this.sendOne(item);
    this.markPending();
  }

  pendingItem(item) {
    const li = element("li", "chat-message chat-message--own chat-message--pending");
    li.dataset.clientId = item.clientId;
    const meta = element("p", "chat-message__meta");
    meta.append(element("span", null, this.userName), " ");
    meta.append(element("span", "chat-message__state"));
    const body = element("p", "chat-message__body");
    appendText(body, item.body);
    li.append(meta, body);
    this.labelPending(li);
    return li;
  }

  labelPending(li) {
    const state = li.querySelector(".chat-message__state");
    if (state) state.textContent = this.connected ? this.t("sending") : this.t("waiting");
  }

  markPending() {
    for (const item of this.pending.values()) this.labelPending(item.li);
  }

  forgetPending(clientId) {
    this.pending.delete(clientId);
    this.savePending();
  }

  /* Unsent messages survive a reload of the page (sessionStorage: this tab only). */
  savePending() {
    try {
      const items = [...this.pending.values()].map(({ clientId, body }) => ({ clientId, body }));
      if (items.length) {
        sessionStorage.setItem(this.storageKey, JSON.stringify(items));
      } else {
        sessionStorage.removeItem(this.storageKey);
      }
    } catch {
      // Storage may be full or switched off: the messages are still kept in memory.
    }
  }

  restorePending() {
    let items = [];
    try {
      items = JSON.parse(sessionStorage.getItem(this.storageKey) || "[]");
    } catch {
      items = [];
    }
    if (!Array.isArray(items)) return;
    for (const { clientId, body } of items) {
      if (typeof clientId !== "string" || typeof body !== "string") continue;
      const item = { clientId, body };
      item.li = this.pendingItem(item);
      this.pending.set(clientId, item);
      this.list.append(item.li);
    }
  }

  /* --- editing and deleting -------------------------------------------------------------- */

  onListClick(event) {
    const button = event.target.closest("button[data-action]");
    if (!button || !this.list.contains(button)) return;
    const li = button.closest(".chat-message");
    if (button.dataset.action === "edit") this.openEditor(li);
    if (button.dataset.action === "delete") this.deleteMessage(li);
  }

  openEditor(li) {
    if (li.querySelector(".chat-edit")) return;
    const body = li.querySelector(".chat-message__body");
    const actions = li.querySelector(".chat-message__actions");
    const currentText = () => textOf(li.querySelector(".chat-message__body"));
    const editor = element("form", "chat-edit");
    const fieldId = `chat-edit-${li.dataset.seq}`;
    const label = element("label", "visually-hidden", this.t("editLabel"));
    label.htmlFor = fieldId;
    const field = element("textarea");
    field.id = fieldId;
    field.rows = 3;
    field.value = currentText();
    if (this.textarea?.maxLength > 0) field.maxLength = this.textarea.maxLength;
    const error = element("div", "chat__error");
    error.setAttribute("role", "alert");
    error.dataset.chatEditError = "";
    const buttons = element("div", "chat-edit__actions");
    const save = element("button", "button button--small", this.t("save"));
    save.type = "submit";
    const cancel = element("button", "button button--secondary button--small", this.t("cancel"));
    cancel.type = "button";
    buttons.append(save, cancel);
    editor.append(label, field, error, buttons);

    const close = () => {
      // The message may have been shown anew meanwhile: look its parts up again.
      editor.remove();
      for (const part of li.querySelectorAll(".chat-message__body, .chat-message__actions")) {
        part.hidden = false;
      }
      li.querySelector('[data-focus="edit"]')?.focus();
    };
    editor.addEventListener("submit", (event) => {
      event.preventDefault();
      if (!field.value.trim()) {
        error.textContent = this.t("empty");
        return;
      }
      if (field.value === currentText()) {
        close();
        return;
      }
      if (!this.connected) {
        error.textContent = this.t("offline");
        return;
      }
      const frame = { type: "edit", message: Number(li.dataset.id), body: field.value };
      if (frameBytes(frame) > MAX_FRAME_BYTES) {
        error.textContent = this.t("tooLong");
        return;
      }
      error.textContent = "";
      editor.dataset.saving = "1";
      this.send(frame);
    });
    field.addEventListener("keydown", (event) => {
      if (isPlainEnter(event)) {
        event.preventDefault();
        editor.requestSubmit();
      } else if (event.key === "Escape") {
        event.preventDefault();
        close();
      }
    });
    cancel.addEventListener("click", close);

    body.hidden = true;
    actions.hidden = true;
    li.append(editor);
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
  }

  deleteMessage(li) {
    if (!this.connected) {
      this.showError(this.t("offline"));
      return;
    }
    if (!window.confirm(this.t("confirmDelete"))) return;
    this.send({ type: "delete", message: Number(li.dataset.id) });
  }

  /* After a reconnect: new messages come over the socket, but edits and deletions made while
     this page was away do not. The latest page of history brings those up to date. */
  async refreshRecent() {
    for (const editor of this.list.querySelectorAll(".chat-edit[data-saving]")) {
      delete editor.dataset.saving; // its answer may have been lost: saving again is harmless
    }
    try {
      const page = await this.fetchHistory(this.highestSeq + 1);
      for (const message of page.messages || []) {
        const li = this.messages.get(message.seq);
        if (li && !li.dataset.partial && changed(li, message)) this.render(li, message);
      }
    } catch {
      // Not worth troubling anyone: the next reconnect or reload tries again.
    }
  }

  async fetchHistory(before) {
    const url = new URL(this.historyUrl, window.location.href);
    if (Number.isFinite(before)) url.searchParams.set("before", before);
    const response = await fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  /* --- older messages -------------------------------------------------------------------- */

  async loadOlder() {
    if (this.loadingOlder) return;
    this.loadingOlder = true;
    this.olderButton.setAttribute("aria-busy", "true");
    try {
      const page = await this.fetchHistory(this.lowestSeq);
      this.prepend(page.messages || []);
      if (!page.has_older) {
        const hadFocus = document.activeElement === this.olderButton;
        this.olderButton.hidden = true;
        // The button goes: focus moves to the oldest message, without scrolling to it.
        if (hadFocus) {
          this.refocus(this.list.querySelector(".chat-message"), null, { preventScroll: true });
        }
      }
      this.announce(this.t("olderLoaded"));
    } catch {
      this.showError(this.t("olderFailed"));
      this.announce(this.t("olderFailed"));
    } finally {
      this.loadingOlder = false;
      this.olderButton.removeAttribute("aria-busy");
    }
  }

  /* Older messages go on top; what the person is looking at stays where it is. */
  prepend(messages) {
    const fromBottom = this.list.scrollHeight - this.list.scrollTop;
    const fragment = document.createDocumentFragment();
    for (const message of messages) {
      if (this.messages.has(message.seq)) continue;
      const li = element("li");
      this.render(li, message);
      fragment.append(li);
    }
    const first = this.list.querySelector(".chat-message[data-seq]");
    this.list.insertBefore(fragment, first);
    this.list.scrollTop = this.list.scrollHeight - fromBottom;
  }
}

/* Day, month and time in the page's language and the site's time zone, as the server has them. */
function timeFormat(language, timeZone) {
  const options = {
    day: "numeric",
    month: "long",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  };
  // Never the browser's language: an English browser on a Dutch page still reads "7 december".
  const locale = language || "nl";
  try {
    return new Intl.DateTimeFormat(locale, { ...options, timeZone });
  } catch {
    return new Intl.DateTimeFormat(locale, options); // an unknown zone: the browser's own
  }
}

/* Whether `li` shows another version of `message` than the one given. */
function changed(li, message) {
  const body = li.querySelector(".chat-message__body");
  return (
    li.classList.contains("chat-message--deleted") !== message.deleted ||
    Boolean(li.querySelector(".chat-message__edited")) !== (message.edited && !message.deleted) ||
    (!message.deleted && (!body || textOf(body) !== message.body))
  );
}

function isPlainEnter(event) {
  return (
    event.key === "Enter" &&
    !event.shiftKey &&
    !event.ctrlKey &&
    !event.altKey &&
    !event.metaKey &&
    !event.isComposing
  );
}

/* The header's count lives in unread.js (loaded on every page); tell it what changed. */
function showUnread(detail) {
  document.dispatchEvent(new CustomEvent("meent:chat-unread", { detail }));
}

const chatRoot = document.querySelector(".chat[data-room]");
if (chatRoot) new ChatRoom(chatRoot).start();
