/* Messages sent but not acknowledged yet. Each has a client id of its own, made here; after every
(re)subscription all of them are sent again, in order, with the same ids, and the server keeps a
client id unique per author, so a message that did arrive the first time is not stored twice.
They are shown at the end of the list, marked as being sent or waiting, and survive a reload of
the page (sessionStorage: this tab only).
*/

import { appendText, element } from "./render.js";

function newClientId() {
  if (globalThis.crypto?.randomUUID) return crypto.randomUUID();
  // randomUUID exists only on HTTPS and localhost; the same version-4 UUID by hand elsewhere.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/* The pending entry, acknowledged (an "ack" frame): sent and stored. The full message (with the
   text as stored) follows as a "message" frame; until then the entry stays as typed, marked
   partial so that a reconnect asks for it again. */
export function markStored(li, ack) {
  li.classList.remove("chat-message--pending");
  li.querySelector(".chat-message__state")?.remove();
  li.id = `m${ack.seq}`;
  li.dataset.seq = ack.seq;
  li.dataset.id = ack.id;
  li.dataset.partial = "1";
  li.removeAttribute("data-client-id");
}

export class PendingMessages {
  /* Reads the room's roomId, userName, list (the <ol>), t(key) and connected, and sends
     through room.socket. */
  constructor(room) {
    this.room = room;
    this.items = new Map(); // client id -> {clientId, body, li}, in the order they were sent
    this.storageKey = `meent:chat:pending:${room.roomId}`;
  }

  /* A new message as typed: not pending yet, as its frame may still turn out too large. */
  create(body) {
    return { clientId: newClientId(), body };
  }

  frame(item) {
    return { type: "send", room: this.room.roomId, client_id: item.clientId, body: item.body };
  }

  /* `item` from create() is pending from now on: kept, and shown at the end of the list. */
  add(item) {
    item.li = this.entry(item);
    this.items.set(item.clientId, item);
    this.save();
    this.room.list.append(item.li);
  }

  get(clientId) {
    return this.items.get(clientId);
  }

  /* No longer pending (stored, or refused): the item, or undefined when there is none. */
  take(clientId) {
    const item = this.items.get(clientId);
    if (item) {
      this.items.delete(clientId);
      this.save();
    }
    return item;
  }

  send(item) {
    this.room.socket.send(this.frame(item));
  }

  /* After (re)subscribing: everything not acknowledged yet, in order, with the same client ids. */
  sendAll() {
    for (const item of this.items.values()) this.send(item);
    this.markAll();
  }

  entry(item) {
    const li = element("li", "chat-message chat-message--own chat-message--pending");
    li.dataset.clientId = item.clientId;
    const meta = element("p", "chat-message__meta");
    meta.append(element("span", null, this.room.userName), " ");
    meta.append(element("span", "chat-message__state"));
    const body = element("p", "chat-message__body");
    appendText(body, item.body);
    li.append(meta, body);
    this.label(li);
    return li;
  }

  label(li) {
    const state = li.querySelector(".chat-message__state");
    const room = this.room;
    if (state) state.textContent = room.t(room.connected ? "sending" : "waiting");
  }

  /* The connection came or went: "Sending…" or "Not sent yet" on every entry. */
  markAll() {
    for (const item of this.items.values()) this.label(item.li);
  }

  save() {
    try {
      const items = [...this.items.values()].map(({ clientId, body }) => ({ clientId, body }));
      if (items.length) {
        sessionStorage.setItem(this.storageKey, JSON.stringify(items));
      } else {
        sessionStorage.removeItem(this.storageKey);
      }
    } catch {
      // Storage may be full or switched off: the messages are still kept in memory.
    }
  }

  /* The messages still unsent when this tab last showed the room (before a reload). */
  restore() {
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
      item.li = this.entry(item);
      this.items.set(clientId, item);
      this.room.list.append(item.li);
    }
  }
}
