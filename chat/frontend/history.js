/* The room's history over HTTP (chat:history, JSON): older messages on request, and after a
reconnect the latest page again, for the edits and deletions that the socket did not bring.
*/

import { changed, element, refocus } from "./render.js";

export class History {
  /* Reads the room's historyUrl, list, olderButton, messages, lowestSeq and highestSeq; shows
     messages with room.render and tells what happened with room.announce and room.showError. */
  constructor(room) {
    this.room = room;
    this.loadingOlder = false;
  }

  start() {
    const button = this.room.olderButton;
    if (button) {
      button.hidden = false;
      button.addEventListener("click", () => this.loadOlder());
    }
  }

  /* After a reconnect: new messages come over the socket, but edits and deletions made while
     this page was away do not. The latest page of history brings those up to date. */
  async refreshRecent() {
    const room = this.room;
    for (const editor of room.list.querySelectorAll(".chat-edit[data-saving]")) {
      delete editor.dataset.saving; // its answer may have been lost: saving again is harmless
    }
    try {
      const page = await this.fetchPage(room.highestSeq + 1);
      for (const message of page.messages || []) {
        const li = room.messages.get(message.seq);
        if (li && !li.dataset.partial && changed(li, message)) room.render(li, message);
      }
    } catch {
      // Not worth troubling anyone: the next reconnect or reload tries again.
    }
  }

  async fetchPage(before) {
    const url = new URL(this.room.historyUrl, window.location.href);
    if (Number.isFinite(before)) url.searchParams.set("before", before);
    const response = await fetch(url, {
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return response.json();
  }

  async loadOlder() {
    const room = this.room;
    const button = room.olderButton;
    if (this.loadingOlder) return;
    this.loadingOlder = true;
    button.setAttribute("aria-busy", "true");
    try {
      const page = await this.fetchPage(room.lowestSeq);
      this.prepend(page.messages || []);
      if (!page.has_older) {
        const hadFocus = document.activeElement === button;
        button.hidden = true;
        // The button goes: focus moves to the oldest message, without scrolling to it.
        if (hadFocus) {
          refocus(room.list.querySelector(".chat-message"), null, { preventScroll: true });
        }
      }
      room.announce(room.t("olderLoaded"));
    } catch {
      room.showError(room.t("olderFailed"));
      room.announce(room.t("olderFailed"));
    } finally {
      this.loadingOlder = false;
      button.removeAttribute("aria-busy");
    }
  }

  /* Older messages go on top; what the person is looking at stays where it is. */
  prepend(messages) {
    const list = this.room.list;
    const fromBottom = list.scrollHeight - list.scrollTop;
    const fragment = document.createDocumentFragment();
    for (const message of messages) {
      if (this.room.messages.has(message.seq)) continue;
      const li = element("li");
      this.room.render(li, message);
      fragment.append(li);
    }
    const first = list.querySelector(".chat-message[data-seq]");
    list.insertBefore(fragment, first);
    list.scrollTop = list.scrollHeight - fromBottom;
  }
}
