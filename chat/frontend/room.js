/* A chat room, live: what the frames from the server mean for the page, and the parts of the page
they change (the list, the status line, the announcements, the error box). The connection is in
socket.js, unsent messages in pending.js, building a message in render.js, what the reader does in
actions.js and loading history in history.js; they all work on one ChatRoom.
*/

import { RoomActions } from "./actions.js";
import { History } from "./history.js";
import { PendingMessages, markStored } from "./pending.js";
import { element, fillMessage, format, refocus, timeFormat } from "./render.js";
import { ChatSocket } from "./socket.js";

const ANNOUNCE_DELAY_MS = 600;
const ANNOUNCE_EXCERPT = 140;
const NEAR_BOTTOM_PX = 64;

/* The header's count lives in unread.js (loaded on every page); tell it what changed. */
function showUnread(detail) {
  document.dispatchEvent(new CustomEvent("meent:chat-unread", { detail }));
}

export class ChatRoom {
  constructor(root) {
    this.root = root;
    this.roomId = Number(root.dataset.room);
    this.userId = Number(root.dataset.user);
    this.userName = root.dataset.userName || "";
    this.historyUrl = root.dataset.historyUrl;
    this.reportUrl = root.dataset.reportUrl || "";
    this.strings = { ...root.querySelector("[data-chat-strings]")?.dataset };
    this.list = root.querySelector("[data-chat-messages]");
    this.status = root.querySelector("[data-chat-status]");
    this.announcer = root.querySelector("[data-chat-announce]");
    this.olderButton = root.querySelector("[data-chat-older]");
    this.form = root.querySelector("[data-chat-form]");
    this.textarea = this.form?.querySelector("textarea");
    this.errorBox = this.form?.querySelector("[data-chat-error]");
    this.times = timeFormat(document.documentElement.lang, root.dataset.timeZone);

    this.messages = new Map(); // seq -> <li>
    this.wasConnected = false;
    this.announceQueue = [];
    this.announceTimer = null;

    this.socket = new ChatSocket({
      // Everything after the newest message this page holds: what was missed while away.
      onOpen: () =>
        this.socket.send({ type: "subscribe", room: this.roomId, after: this.highestSeq }),
      onFrame: (frame) => this.onFrame(frame),
      onStatus: (key) => this.setStatus(key),
      onDown: () => this.pending.markAll(),
    });
    this.pending = new PendingMessages(this);
    this.actions = new RoomActions(this, {
      lastRead: Number(root.dataset.lastRead) || 0,
      reported: new Set((root.dataset.reported || "").split(" ").filter(Boolean)),
    });
    this.history = new History(this);
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

  get connected() {
    return this.socket.connected;
  }

  start() {
    for (const li of this.list.querySelectorAll(".chat-message[data-seq]")) {
      this.messages.set(Number(li.dataset.seq), li);
      this.actions.add(li);
    }
    this.pending.restore();
    this.openAtFirstUnread();

    this.actions.start();
    this.history.start();
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState !== "visible") return;
      this.actions.scheduleRead();
      this.socket.reconnectNow();
    });
    this.socket.start();
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
        this.socket.accepted();
        this.pending.sendAll();
        this.actions.scheduleRead();
        if (this.wasConnected) this.history.refreshRecent();
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
    // Our own message, before its ack: the pending entry becomes the message.
    const pending = own ? this.pending.take(message.client_id) : null;
    const stickToBottom = own || this.nearBottom();
    let li;
    if (pending) {
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
        this.actions.scheduleRead();
      } else {
        showUnread({ delta: 1 });
      }
    }
  }

  onAck(frame) {
    const pending = this.pending.take(frame.client_id);
    if (!pending) return;
    if (this.messages.has(frame.seq)) {
      pending.li.remove(); // already on the page (a resend of a stored message)
      return;
    }
    markStored(pending.li, frame);
    this.messages.set(frame.seq, pending.li);
  }

  onError(frame) {
    const pending = frame.client_id ? this.pending.take(frame.client_id) : undefined;
    if (pending) {
      // Refused (too long, too fast, ...): nothing was stored. Give the text back to the writer.
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
    if (frame.code === "forbidden" && frame.room === this.roomId && !this.socket.subscribed) {
      this.onRemoved();
      return;
    }
    if (frame.room === this.roomId || frame.code !== "forbidden") this.showError(frame.reason);
  }

  onRemoved() {
    this.socket.stop("removed");
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

    const own = message.author?.id === this.userId;
    const body = fillMessage(li, message, { own, t: (key) => this.t(key), times: this.times });
    this.messages.set(message.seq, li);
    this.actions.add(li);
    if (keepEditor) {
      // Changed elsewhere while this person edits it: keep what they are typing.
      body.hidden = true;
      const actions = li.querySelector(".chat-message__actions");
      if (actions) actions.hidden = true;
      li.append(editor);
      if (focused) focused.focus();
      return;
    }
    if (focused) refocus(li, focusKey);
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

  /* --- telling the reader ---------------------------------------------------------------- */

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
}
