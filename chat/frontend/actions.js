/* What the reader does in the room: send with the form (Enter sends, Shift+Enter is a new line),
edit and delete their own messages, report other people's, and tell the server what they have
read. Edit and Delete work only over the socket, so they exist only with this script; Report is a
link to the report form, which works without it.
*/

import { element, textOf } from "./render.js";
import { fitsInFrame } from "./socket.js";

const READ_DELAY_MS = 300;

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

export class RoomActions {
  /* Reads the room's roomId, list, form, textarea, reportUrl, messages, highestSeq, connected
     and t(key); sends through room.socket and room.pending; shows errors with room.showError. */
  constructor(room, { lastRead, reported }) {
    this.room = room;
    this.lastReadSent = lastRead;
    // Messages this person has an open report about: "You reported this" instead of Report.
    this.reported = reported;
    this.readTimer = null;
  }

  start() {
    const room = this.room;
    room.form?.addEventListener("submit", (event) => this.onSubmit(event));
    room.textarea?.addEventListener("keydown", (event) => {
      if (isPlainEnter(event)) {
        event.preventDefault();
        room.form.requestSubmit();
      }
    });
    room.list.addEventListener("click", (event) => this.onListClick(event));
  }

  /* Edit and Delete on one's own messages: they work only with the socket, so only with JS.
     Report on other people's messages: a link to the report form. */
  add(li) {
    const room = this.room;
    li.querySelector(".chat-message__actions")?.remove();
    if (li.classList.contains("chat-message--deleted") || !room.form) return;
    const when = li.querySelector("time")?.textContent.trim() ?? "";
    const actions = element("div", "chat-message__actions");
    if (!li.dataset.own) {
      if (!room.reportUrl || !li.dataset.id) return;
      if (this.reported.has(li.dataset.id)) {
        actions.append(element("span", "chat-message__reported", room.t("youReported")));
        li.append(actions);
        return;
      }
      const link = element("a", "chat-message__report", room.t("report"));
      // The page carries the address for message 1 (ids start at 1): swap in this one's id.
      link.href = room.reportUrl.replace(/\d+\/$/, `${li.dataset.id}/`);
      link.dataset.focus = "report";
      const name = li.querySelector(".chat-message__meta a")?.textContent.trim() ?? "";
      link.append(element("span", "visually-hidden", ` ${room.t("messageBy", { name, time: when })}`));
      actions.append(link);
      li.append(actions);
      return;
    }
    for (const [action, label] of [
      ["edit", room.t("edit")],
      ["delete", room.t("delete")],
    ]) {
      const button = element("button", "button button--secondary button--small", label);
      button.type = "button";
      button.dataset.action = action;
      button.dataset.focus = action;
      button.append(element("span", "visually-hidden", ` ${room.t("messageOf", { time: when })}`));
      actions.append(button);
    }
    li.append(actions);
  }

  /* --- sending --------------------------------------------------------------------------- */

  onSubmit(event) {
    const room = this.room;
    event.preventDefault();
    const body = room.textarea.value;
    if (!body.trim()) {
      room.showError(room.t("empty"));
      return;
    }
    const item = room.pending.create(body);
    if (!fitsInFrame(room.pending.frame(item))) {
      room.showError(room.t("tooLong"));
      return;
    }
    room.clearError();
    room.pending.add(item);
    room.scrollToBottom();
    room.textarea.value = "";
    if (room.connected) room.pending.send(item);
  }

  /* --- editing and deleting -------------------------------------------------------------- */

  onListClick(event) {
    const button = event.target.closest("button[data-action]");
    if (!button || !this.room.list.contains(button)) return;
    const li = button.closest(".chat-message");
    if (button.dataset.action === "edit") this.openEditor(li);
    if (button.dataset.action === "delete") this.deleteMessage(li);
  }

  openEditor(li) {
    const room = this.room;
    if (li.querySelector(".chat-edit")) return;
    const body = li.querySelector(".chat-message__body");
    const actions = li.querySelector(".chat-message__actions");
    const currentText = () => textOf(li.querySelector(".chat-message__body"));
    const editor = element("form", "chat-edit");
    const fieldId = `chat-edit-${li.dataset.seq}`;
    const label = element("label", "visually-hidden", room.t("editLabel"));
    label.htmlFor = fieldId;
    const field = element("textarea");
    field.id = fieldId;
    field.rows = 3;
    field.value = currentText();
    if (room.textarea?.maxLength > 0) field.maxLength = room.textarea.maxLength;
    const error = element("div", "chat__error");
    error.setAttribute("role", "alert");
    error.dataset.chatEditError = "";
    const buttons = element("div", "chat-edit__actions");
    const save = element("button", "button button--small", room.t("save"));
    save.type = "submit";
    const cancel = element("button", "button button--secondary button--small", room.t("cancel"));
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
        error.textContent = room.t("empty");
        return;
      }
      if (field.value === currentText()) {
        close();
        return;
      }
      if (!room.connected) {
        error.textContent = room.t("offline");
        return;
      }
      const frame = { type: "edit", message: Number(li.dataset.id), body: field.value };
      if (!fitsInFrame(frame)) {
        error.textContent = room.t("tooLong");
        return;
      }
      error.textContent = "";
      // Until the answer comes: a newer version of the message may then replace this form.
      editor.dataset.saving = "1";
      room.socket.send(frame);
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
    const room = this.room;
    if (!room.connected) {
      room.showError(room.t("offline"));
      return;
    }
    if (!window.confirm(room.t("confirmDelete"))) return;
    room.socket.send({ type: "delete", message: Number(li.dataset.id) });
  }

  /* --- read markers ---------------------------------------------------------------------- */

  /* A moment after new messages are in view (of a visible page): read up to the newest. */
  scheduleRead() {
    const room = this.room;
    if (document.visibilityState !== "visible") return;
    clearTimeout(this.readTimer);
    this.readTimer = setTimeout(() => {
      const seq = room.highestSeq;
      if (seq > this.lastReadSent && room.connected && document.visibilityState === "visible") {
        room.socket.send({ type: "read", room: room.roomId, seq });
        this.lastReadSent = seq;
      }
    }, READ_DELAY_MS);
  }
}
