// Meent's rich-text editor: a progressive enhancement of `<textarea data-rich-text>`.
//
// Without JavaScript the textarea is the editor and the server cleans the HTML that it posts
// (meent/sanitize.py). With JavaScript this module hides the textarea, shows a TipTap editor with a
// toolbar in its place and writes the editor's HTML back into the textarea, so the form posts the
// same field either way.
//
// The textarea's attributes:
//   data-rich-text             turn this textarea into the editor
//   data-upload-url            optional: POST multipart `file` here (answer 201 {url, name, is_image}
//                              or 4xx {error}); without it there is no upload button
//   data-wiki-titles-url       optional: GET {titles: [...]}, suggestions in the wiki-link dialog
//   data-mentions-url          optional: GET ?q=<typed> answering {people: [{id, name, organisation,
//                              url}]}; typing "@" and letters then offers people to mention
//   data-files-url             optional: GET ?q=<typed> answering {files: [{name, folder, url}]} (a
//                              group's files, files/download_views.py pick); the link dialog then
//                              offers them, and a chosen one is linked to its current version
//
// Every word shown comes from the JSON in <script id="rich-text-strings"> (meent/editor.py), so
// that the server translates it. Text is only ever set with textContent.

import { Editor } from "@tiptap/core";
import Image from "@tiptap/extension-image";
import Mention from "@tiptap/extension-mention";
import { TableKit } from "@tiptap/extension-table";
import StarterKit from "@tiptap/starter-kit";

let strings = null;

function t(key) {
  if (strings === null) {
    const source = document.getElementById("rich-text-strings");
    try {
      strings = source ? JSON.parse(source.textContent) : {};
    } catch {
      strings = {};
    }
  }
  return typeof strings[key] === "string" ? strings[key] : key;
}

// --- Links -----------------------------------------------------------------------------------

// Browsers ignore these inside a scheme ("java\tscript:"), so they are removed before any check.
const IGNORED_IN_URL = /[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff]/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const SAFE_SCHEMES = new Set(["http", "https", "mailto", "tel"]);

// Whether a link already in the content may stay: a safe scheme or no scheme at all (relative).
// The server (meent/sanitize.py) allows the same schemes.
function isAllowedHref(url) {
  if (!url) return true;
  const match = String(url).replace(IGNORED_IN_URL, "").match(SCHEME);
  return !match || SAFE_SCHEMES.has(match[1].toLowerCase());
}

// What someone may type in the link dialog: a web address, an e-mail or phone link, a path on this
// site, or an anchor on this page. Returns the link to store, or null.
function linkFromInput(value) {
  const href = value.trim();
  if (!href || /[\u0000-\u001f\u007f]/.test(href)) return null;
  const encoded = href.replace(/\s/g, "%20");
  if (/^https?:\/\/[^/?#\\]+/i.test(encoded)) return encoded;
  if (/^mailto:[^/\\]+/i.test(encoded)) return encoded;
  if (/^tel:\+?[0-9][0-9()%.-]*$/i.test(encoded)) return encoded;
  if (/^\/(?![/\\])/.test(encoded)) return encoded;
  if (/^#\S+$/.test(encoded)) return encoded;
  return null;
}

// --- Small DOM helpers -----------------------------------------------------------------------

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue;
    node.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    node.append(child);
  }
  return node;
}

const SVG = "http://www.w3.org/2000/svg";

// Icons: simple shapes on a 20×20 grid, drawn in the button's text colour.
const HEADING_LETTER = ["path", { d: "M2.5 4v12M10 4v12M2.5 10H10" }];
const ICONS = {
  heading_2: [HEADING_LETTER, ["path", { d: "M12.6 9.5c.3-1 1.2-1.6 2.3-1.6 1.3 0 2.3.8 2.3 2 0 1.9-3.1 3.4-4.6 6.1h4.9", "stroke-width": 1.6 }]],
  heading_3: [
    HEADING_LETTER,
    ["path", { d: "M12.7 8.6c1.2-1 4.5-.9 4.5 1.2 0 1.2-1.1 1.9-2.4 1.9 1.4 0 2.7.6 2.7 2.2 0 2.2-3.2 2.6-4.9 1.4", "stroke-width": 1.6 }],
  ],
  heading_4: [HEADING_LETTER, ["path", { d: "M16.5 16V8l-4.2 5.6h5.5", "stroke-width": 1.6 }]],
  code: [["polyline", { points: "7 5 2 10 7 15" }], ["polyline", { points: "13 5 18 10 13 15" }]],
  bullet_list: [
    ["circle", { cx: 3.5, cy: 5, r: 1.4, fill: "currentColor" }],
    ["circle", { cx: 3.5, cy: 10, r: 1.4, fill: "currentColor" }],
    ["circle", { cx: 3.5, cy: 15, r: 1.4, fill: "currentColor" }],
    ["path", { d: "M8 5h10M8 10h10M8 15h10" }],
  ],
  ordered_list: [
    ["path", { d: "M2.5 3.2 4 2.5v5M2.5 12.2c.4-.8 2.6-.8 2.6.5 0 1-2.6 2.1-2.6 2.8h2.8", "stroke-width": 1.3 }],
    ["path", { d: "M8 5h10M8 10h10M8 15h10" }],
  ],
  blockquote: [
    [
      "path",
      {
        d: "M3 15v-4c0-3 1.3-5 4-6l.7 1.3C6.2 7.1 5.6 8 5.5 9.4H8V15zM11 15v-4c0-3 1.3-5 4-6l.7 1.3c-1.5.8-2.1 1.7-2.2 3.1H16V15z",
        fill: "currentColor",
        stroke: "none",
      },
    ],
  ],
  code_block: [
    ["rect", { x: 2, y: 3, width: 16, height: 14, rx: 2 }],
    ["polyline", { points: "8 7.5 5.5 10 8 12.5" }],
    ["polyline", { points: "12 7.5 14.5 10 12 12.5" }],
  ],
  horizontal_rule: [["path", { d: "M2 10h16" }], ["path", { d: "M5 5h10M5 15h10", "stroke-width": 1, opacity: 0.6 }]],
  link: [
    ["path", { d: "M8.6 11.4a3 3 0 0 0 4.2 0l3-3a3 3 0 0 0-4.2-4.2l-1 1" }],
    ["path", { d: "M11.4 8.6a3 3 0 0 0-4.2 0l-3 3a3 3 0 0 0 4.2 4.2l1-1" }],
  ],
  table: [
    ["rect", { x: 2, y: 3, width: 16, height: 14, rx: 1 }],
    ["path", { d: "M2 7.7h16M2 12.3h16M7.3 3v14M12.7 3v14" }],
  ],
  upload: [
    ["path", { d: "M15.5 9.5 10 15a3.2 3.2 0 0 1-4.5-4.5l6-6a2.1 2.1 0 0 1 3 3l-6 6a1.1 1.1 0 0 1-1.5-1.5L12.5 6.5" }],
  ],
  undo: [["path", { d: "M7 3.5 3 7.5l4 4" }], ["path", { d: "M3 7.5h9a4.5 4.5 0 0 1 0 9H9" }]],
  redo: [["path", { d: "M13 3.5l4 4-4 4" }], ["path", { d: "M17 7.5H8a4.5 4.5 0 0 0 0 9h3" }]],
};

function icon(name) {
  const svg = document.createElementNS(SVG, "svg");
  for (const [attribute, value] of Object.entries({
    viewBox: "0 0 20 20",
    width: "20",
    height: "20",
    fill: "none",
    stroke: "currentColor",
    "stroke-width": "1.8",
    "stroke-linecap": "round",
    "stroke-linejoin": "round",
    "aria-hidden": "true",
    focusable: "false",
    class: "rich-text__icon",
  })) {
    svg.setAttribute(attribute, value);
  }
  for (const [tag, attributes] of ICONS[name]) {
    const shape = document.createElementNS(SVG, tag);
    for (const [attribute, value] of Object.entries(attributes)) {
      shape.setAttribute(attribute, String(value));
    }
    svg.append(shape);
  }
  return svg;
}

let uniqueCounter = 0;

function uniqueId(prefix) {
  uniqueCounter += 1;
  let id;
  do {
    id = `${prefix}-${uniqueCounter}`;
    uniqueCounter += 1;
  } while (document.getElementById(id));
  return id;
}

// --- Dialogs ---------------------------------------------------------------------------------

// A modal <dialog> with its own <form method="dialog">. Dialogs live at the end of <body>, not in
// the page's form: forms cannot nest, and their fields must not be posted with the page.
function createDialog(prefix, titleKey) {
  const id = uniqueId(prefix);
  const title = el("h2", { id: `${id}-title`, class: "rich-text-dialog__title" }, t(titleKey));
  const form = el("form", { method: "dialog", novalidate: true, class: "rich-text-dialog__form" });
  const alert = el("p", { id: `${id}-alert`, class: "rich-text-dialog__error", role: "alert" });
  const actions = el("div", { class: "rich-text-dialog__actions" });
  form.append(alert, actions);
  const dialog = el("dialog", { id, class: "rich-text-dialog", "aria-labelledby": title.id }, title, form);
  document.body.append(dialog);
  return { id, dialog, form, alert, actions };
}

// A labelled field with optional help text and an error message, wired together for assistive
// technology. Returns the input and a function that shows (or clears) its error.
function createField(parent, id, { label, help, type = "text", attributes = {} }) {
  const inputId = `${id}-input`;
  const describedBy = [];
  const field = el("div", { class: "rich-text-dialog__field" });
  field.append(el("label", { for: inputId }, t(label)));
  if (help) {
    const helpText = el("p", { id: `${id}-help`, class: "rich-text-dialog__help" }, t(help));
    field.append(helpText);
    describedBy.push(helpText.id);
  }
  const error = el("p", { id: `${id}-error`, class: "rich-text-dialog__error", role: "alert" });
  describedBy.push(error.id);
  const input = el("input", { id: inputId, type, "aria-describedby": describedBy.join(" "), ...attributes });
  field.append(error, input);
  parent.before(field);
  const setError = (key) => {
    error.textContent = key ? t(key) : "";
    if (key) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  };
  return { input, setError };
}

function button(textKey, attributes = {}) {
  return el("button", { type: "button", class: "button", ...attributes }, t(textKey));
}

// --- Mentions --------------------------------------------------------------------------------

// A person chosen with the people picker is stored by id (meent/mentions, meent/sanitize.py keeps
// exactly this): <a class="mention" data-person="42" href="/people/42/">@Anna Jansen</a>.
const PERSON_ID = /^[1-9][0-9]{0,11}$/;
const isPersonId = (value) => PERSON_ID.test(String(value ?? ""));
// A profile address on this site: a path, never another site or scheme.
const isProfileUrl = (value) => typeof value === "string" && /^\/(?![/\\])/.test(value);

const PersonMention = Mention.extend({
  addAttributes() {
    const hidden = () => ({}); // renderHTML below writes the attributes itself
    return {
      id: {
        default: null,
        parseHTML: (element) => (isPersonId(element.getAttribute("data-person")) ? element.getAttribute("data-person") : null),
        renderHTML: hidden,
      },
      label: {
        default: null,
        parseHTML: (element) => element.textContent.replace(/^@/, ""),
        renderHTML: hidden,
      },
      url: {
        default: null,
        parseHTML: (element) => (isProfileUrl(element.getAttribute("href")) ? element.getAttribute("href") : null),
        renderHTML: hidden,
      },
      mentionSuggestionChar: { default: "@", parseHTML: () => "@", renderHTML: hidden },
    };
  },
  parseHTML() {
    // Before the link mark's a[href]: a mention link is this node, not a linked text.
    return [{ tag: "a.mention[data-person]", priority: 100, getAttrs: (element) => isPersonId(element.getAttribute("data-person")) && null }];
  },
  renderHTML({ node }) {
    const attributes = { class: "mention", "data-person": String(node.attrs.id) };
    if (isProfileUrl(node.attrs.url)) attributes.href = node.attrs.url;
    return ["a", attributes, `@${node.attrs.label ?? ""}`];
  },
  renderText({ node }) {
    return `@${node.attrs.label ?? ""}`;
  },
});

async function findPeople(url, query, signal) {
  if (!query) return [];
  const response = await fetch(`${url}?${new URLSearchParams({ q: query })}`, {
    credentials: "same-origin",
    headers: { Accept: "application/json" },
    signal,
  });
  if (!response.ok) return [];
  const data = await response.json();
  const people = Array.isArray(data.people) ? data.people : [];
  return people.filter((person) => person && isPersonId(person.id) && typeof person.name === "string");
}

// The list of people under the caret: a listbox the text area points at with
// aria-activedescendant, as in comments (meent/static/meent/mentions.js). Arrow keys move, Enter
// or Tab chooses, Escape closes; a polite live region says how many people were found.
function mentionPicker(baseId, status) {
  const listbox = el("ul", {
    id: `${baseId}-mentions`,
    class: "mention-picker rich-text__mentions",
    role: "listbox",
    "aria-label": t("mentions_label"),
  });
  let people = [];
  let active = -1;
  let props = null;
  let unmount = null;

  const textbox = () => props?.editor.view.dom;

  function highlight(index) {
    active = index;
    for (const [position, option] of [...listbox.children].entries()) {
      option.setAttribute("aria-selected", String(position === index));
    }
    if (index >= 0) {
      textbox()?.setAttribute("aria-activedescendant", `${listbox.id}-${index}`);
      listbox.children[index].scrollIntoView({ block: "nearest" });
    } else {
      textbox()?.removeAttribute("aria-activedescendant");
    }
  }

  function choose(index) {
    const person = people[index];
    if (!person || !props) return;
    props.command({ id: String(person.id), label: person.name, url: isProfileUrl(person.url) ? person.url : null });
  }

  function show(found) {
    people = found;
    listbox.replaceChildren();
    for (const [index, person] of found.entries()) {
      const text = person.organisation ? `${person.name} (${person.organisation})` : person.name;
      const option = el("li", { id: `${listbox.id}-${index}`, role: "option", "aria-selected": "false" }, text);
      // mousedown, not click: the text keeps its focus and its caret.
      option.addEventListener("mousedown", (event) => {
        event.preventDefault();
        choose(index);
      });
      listbox.append(option);
    }
    listbox.hidden = found.length === 0;
    status.textContent = found.length ? t("mentions_count").replace("%s", String(found.length)) : t("mentions_none");
    highlight(found.length ? 0 : -1);
  }

  // Kept inside the viewport's width (no sideways scrolling on a narrow screen).
  function place({ x, y, strategy }) {
    const room = document.documentElement.clientWidth - listbox.offsetWidth - 8;
    const left = Math.max(window.scrollX + 4, Math.min(x, window.scrollX + room));
    Object.assign(listbox.style, { position: strategy, left: `${left}px`, top: `${y}px` });
  }

  function update(next) {
    props = next;
    if (!next.query) {
      people = [];
      listbox.hidden = true;
      status.textContent = "";
      highlight(-1);
      return;
    }
    if (!next.loading) show(next.items);
  }

  return {
    onStart(next) {
      props = next;
      listbox.hidden = true;
      const box = textbox();
      box.setAttribute("aria-autocomplete", "list");
      box.setAttribute("aria-controls", listbox.id);
      unmount = next.mount(listbox, { onPosition: place });
      update(next);
    },
    onUpdate: update,
    onKeyDown({ event }) {
      if (event.key === "Escape") {
        status.textContent = "";
        return true;
      }
      if (listbox.hidden || !people.length) return false;
      if (event.shiftKey || event.altKey || event.ctrlKey || event.metaKey) return false;
      const handled = {
        ArrowDown: () => highlight((active + 1) % people.length),
        ArrowUp: () => highlight((active - 1 + people.length) % people.length),
        Enter: () => choose(active),
        Tab: () => choose(active),
      }[event.key];
      if (!handled) return false;
      event.preventDefault();
      handled();
      return true;
    },
    onExit() {
      const box = textbox();
      box?.removeAttribute("aria-activedescendant");
      box?.removeAttribute("aria-controls");
      box?.removeAttribute("aria-autocomplete");
      unmount?.();
      unmount = null;
      people = [];
      active = -1;
      listbox.hidden = true;
      listbox.replaceChildren();
      props = null;
    },
  };
}

function mentionExtension(url, baseId, status) {
  return PersonMention.configure({
    suggestion: {
      char: "@",
      minQueryLength: 1,
      debounce: 150,
      items: ({ query, signal }) => findPeople(url, query, signal),
      render: () => mentionPicker(baseId, status),
    },
  });
}

// --- The editor ------------------------------------------------------------------------------

function findLabel(textarea) {
  if (!textarea.id) return null;
  for (const label of document.querySelectorAll("label[for]")) {
    if (label.htmlFor === textarea.id) return label;
  }
  return null;
}

// Headings that the editor has no level for keep being headings: h1 becomes h2 (the page title is
// the h1), h5 and h6 become h4. Only tag names change; the schema parses the result as usual.
function mapHeadings(html) {
  return html.replace(/<(\/?)h1\b/gi, "<$1h2").replace(/<(\/?)h[56]\b/gi, "<$1h4");
}

// Files from the clipboard (a screenshot) or dropped on the text: these become uploads.
function filesOf(transfer, requireNoText) {
  if (!transfer || !transfer.files || transfer.files.length === 0) return null;
  // Copying from a word processor or a web page brings text along with a picture of it: paste the text.
  if (requireNoText && (transfer.getData("text/html") || transfer.getData("text/plain"))) return null;
  return transfer.files;
}

// The editor's HTML; empty for an empty document, and without the empty paragraph that the editor
// keeps at the end (so that there is always a place to type after a table or a list).
function currentHtml(editor) {
  return editor.isEmpty ? "" : editor.getHTML().replace(/(?:<p><\/p>)+$/, "");
}

function enhance(textarea) {
  if (textarea.dataset.richTextReady) return;
  textarea.dataset.richTextReady = "true";
  if (!textarea.id) textarea.id = uniqueId("rich-text");
  const baseId = textarea.id;
  const form = textarea.form;
  const uploadUrl = textarea.dataset.uploadUrl || "";
  const wikiTitlesUrl = textarea.dataset.wikiTitlesUrl || "";
  const mentionsUrl = textarea.dataset.mentionsUrl || "";
  const filesUrl = textarea.dataset.filesUrl || "";

  // The label names the editable area; it gets an id if it has none.
  const label = findLabel(textarea);
  if (label && !label.id) label.id = `${baseId}-label`;

  const wrapper = el("div", { class: "rich-text" });
  const toolbar = el("div", { class: "rich-text__toolbar", role: "toolbar", "aria-label": t("toolbar") });
  const contentHost = el("div", { class: "rich-text__editor" });
  const keyboardHelp = el("p", { id: `${baseId}-keyboard-help`, class: "rich-text__help" }, t("keyboard_help"));
  // Says how many people the mention picker found; there before anything is said in it.
  const mentionStatus = el("p", { class: "visually-hidden", "aria-live": "polite" });
  wrapper.append(toolbar, contentHost, keyboardHelp, mentionStatus);
  textarea.after(wrapper);

  const contentId = `${baseId}-editor`;
  const describedBy = [textarea.getAttribute("aria-describedby"), keyboardHelp.id].filter(Boolean).join(" ");
  const attributes = {
    id: contentId,
    class: "rich-text__content",
    role: "textbox",
    "aria-multiline": "true",
    "aria-describedby": describedBy,
  };
  if (label) attributes["aria-labelledby"] = label.id;
  else if (textarea.getAttribute("aria-label")) attributes["aria-label"] = textarea.getAttribute("aria-label");
  if (textarea.required || textarea.getAttribute("aria-required") === "true") attributes["aria-required"] = "true";
  if (textarea.getAttribute("aria-invalid") === "true") attributes["aria-invalid"] = "true";
  toolbar.setAttribute("aria-controls", contentId);

  let openUpload = null; // set below when the textarea has an upload URL
  const editor = new Editor({
    element: contentHost,
    injectCSS: false, // the styles are in editor.css, so no inline <style> (for a strict CSP)
    content: mapHeadings(textarea.value),
    extensions: [
      StarterKit.configure({
        heading: { levels: [2, 3, 4] },
        link: {
          openOnClick: false,
          autolink: true,
          linkOnPaste: true,
          defaultProtocol: "https",
          protocols: [],
          HTMLAttributes: { target: null, rel: null, class: null },
          isAllowedUri: (url) => isAllowedHref(url),
        },
      }),
      TableKit.configure({ table: { resizable: false } }),
      Image.configure({ inline: true, allowBase64: false }),
      ...(mentionsUrl ? [mentionExtension(mentionsUrl, baseId, mentionStatus)] : []),
    ],
    editorProps: {
      attributes,
      transformPastedHTML: mapHeadings,
      handlePaste: (view, event) => {
        const files = filesOf(event.clipboardData, true);
        if (!files) return false;
        if (openUpload) openUpload(files[0]);
        return true; // never paste a file as data in the text
      },
      handleDrop: (view, event) => {
        const files = filesOf(event.dataTransfer, false);
        if (!files) return false;
        event.preventDefault(); // the browser would otherwise open the file instead of the page
        const position = view.posAtCoords({ left: event.clientX, top: event.clientY });
        if (position) editor.commands.setTextSelection(position.pos);
        if (openUpload) openUpload(files[0]);
        return true;
      },
    },
  });

  // The textarea stays in the form, hidden, and always holds the editor's HTML. It is no longer
  // `required`: a browser refuses to submit a form whose invalid field it cannot show.
  textarea.hidden = true;
  textarea.required = false;
  let changed = false;
  const sync = () => {
    textarea.value = currentHtml(editor);
  };
  editor.on("update", () => {
    changed = true;
    sync();
    textarea.dispatchEvent(new Event("input", { bubbles: true }));
  });
  if (form) {
    // Unchanged content is posted exactly as it came, so that opening and saving loses nothing.
    form.addEventListener("submit", () => {
      if (changed) sync();
    });
  }
  if (label) {
    label.addEventListener("click", (event) => {
      event.preventDefault();
      editor.commands.focus();
    });
  }

  const dialogs = { link: null, wiki: null, upload: null };
  if (uploadUrl) openUpload = (file) => (dialogs.upload ??= uploadDialog(editor, uploadUrl, form)).open(file);
  const toolbarControls = buildToolbar(editor, toolbar, {
    link: () => (dialogs.link ??= linkDialog(editor, filesUrl)).open(),
    wiki: () => (dialogs.wiki ??= wikiDialog(editor, wikiTitlesUrl)).open(),
    upload: openUpload ? () => openUpload(null) : null,
  });

  // Alt+F10 goes to the toolbar. Escape and then Tab leaves the editor, even in a table or list
  // where Tab otherwise moves between cells or indents.
  const view = editor.view.dom;
  let escaped = false;
  contentHost.addEventListener(
    "keydown",
    (event) => {
      if (event.key === "F10" && event.altKey) {
        event.preventDefault();
        event.stopPropagation();
        toolbarControls.focus();
        return;
      }
      if (event.key === "Tab" && escaped) {
        event.stopPropagation(); // ProseMirror never sees it: the browser moves the focus
        escaped = false;
        return;
      }
      escaped = event.key === "Escape";
    },
    true,
  );
  view.addEventListener("blur", () => {
    escaped = false;
  });

  return editor;
}

// The toolbar: one tab stop (roving tabindex), arrows, Home and End move between its buttons,
// Escape goes back to the text. Every command gives the focus back to the text.
function buildToolbar(editor, toolbar, open) {
  const run = (command) => () => command(editor.chain().focus()).run();
  const can = (command) => () => command(editor.can().chain());
  const heading = (level) => ({
    name: `heading_${level}`,
    icon: `heading_${level}`,
    command: run((c) => c.toggleHeading({ level })),
    enabled: can((c) => c.toggleHeading({ level }).run()),
    active: () => editor.isActive("heading", { level }),
  });
  const groups = [
    [
      {
        name: "paragraph",
        short: "paragraph_short",
        command: run((c) => c.setParagraph()),
        active: () => editor.isActive("paragraph") && !editor.isActive("listItem") && !editor.isActive("blockquote"),
      },
      heading(2),
      heading(3),
      heading(4),
    ],
    [
      {
        name: "bold",
        short: "bold_short",
        keys: "Control+B",
        command: run((c) => c.toggleBold()),
        enabled: can((c) => c.toggleBold().run()),
        active: () => editor.isActive("bold"),
      },
      {
        name: "italic",
        short: "italic_short",
        keys: "Control+I",
        command: run((c) => c.toggleItalic()),
        enabled: can((c) => c.toggleItalic().run()),
        active: () => editor.isActive("italic"),
      },
      {
        name: "strike",
        short: "strike_short",
        keys: "Control+Shift+S",
        command: run((c) => c.toggleStrike()),
        enabled: can((c) => c.toggleStrike().run()),
        active: () => editor.isActive("strike"),
      },
      {
        name: "code",
        icon: "code",
        keys: "Control+E",
        command: run((c) => c.toggleCode()),
        enabled: can((c) => c.toggleCode().run()),
        active: () => editor.isActive("code"),
      },
    ],
    [
      {
        name: "bullet_list",
        icon: "bullet_list",
        keys: "Control+Shift+8",
        command: run((c) => c.toggleBulletList()),
        enabled: can((c) => c.toggleBulletList().run()),
        active: () => editor.isActive("bulletList"),
      },
      {
        name: "ordered_list",
        icon: "ordered_list",
        keys: "Control+Shift+7",
        command: run((c) => c.toggleOrderedList()),
        enabled: can((c) => c.toggleOrderedList().run()),
        active: () => editor.isActive("orderedList"),
      },
      {
        name: "blockquote",
        icon: "blockquote",
        keys: "Control+Shift+B",
        command: run((c) => c.toggleBlockquote()),
        enabled: can((c) => c.toggleBlockquote().run()),
        active: () => editor.isActive("blockquote"),
      },
      {
        name: "code_block",
        icon: "code_block",
        keys: "Control+Alt+C",
        command: run((c) => c.toggleCodeBlock()),
        enabled: can((c) => c.toggleCodeBlock().run()),
        active: () => editor.isActive("codeBlock"),
      },
      {
        name: "horizontal_rule",
        icon: "horizontal_rule",
        command: run((c) => c.setHorizontalRule()),
        enabled: can((c) => c.setHorizontalRule().run()),
      },
    ],
    [
      { name: "link", icon: "link", dialog: true, command: open.link, enabled: () => !editor.isActive("codeBlock") },
      {
        name: "wiki_link",
        text: "[[ ]]",
        dialog: true,
        command: open.wiki,
        enabled: () => !editor.isActive("codeBlock"),
      },
      {
        name: "table",
        icon: "table",
        command: run((c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true })),
        enabled: () => !editor.isActive("table") && can((c) => c.insertTable({ rows: 3, cols: 3, withHeaderRow: true }).run())(),
      },
      ...(open.upload
        ? [{ name: "upload", icon: "upload", dialog: true, command: open.upload, enabled: () => !editor.isActive("codeBlock") }]
        : []),
    ],
    [
      {
        name: "undo",
        icon: "undo",
        keys: "Control+Z",
        command: run((c) => c.undo()),
        enabled: can((c) => c.undo().run()),
      },
      {
        name: "redo",
        icon: "redo",
        keys: "Control+Shift+Z",
        command: run((c) => c.redo()),
        enabled: can((c) => c.redo().run()),
      },
    ],
  ];
  // Only while the selection is in a table; the buttons say what they do in words.
  const tableGroup = [
    { name: "add_row", command: run((c) => c.addRowAfter()), enabled: can((c) => c.addRowAfter().run()) },
    { name: "add_column", command: run((c) => c.addColumnAfter()), enabled: can((c) => c.addColumnAfter().run()) },
    { name: "delete_row", command: run((c) => c.deleteRow()), enabled: can((c) => c.deleteRow().run()) },
    { name: "delete_column", command: run((c) => c.deleteColumn()), enabled: can((c) => c.deleteColumn().run()) },
    { name: "delete_table", command: run((c) => c.deleteTable()), enabled: can((c) => c.deleteTable().run()) },
  ];

  const controls = [];
  const makeButton = (spec) => {
    const node = el("button", {
      type: "button",
      class: `rich-text__button rich-text__button--${spec.name.replace(/_/g, "-")}`,
      tabindex: "-1",
      "aria-keyshortcuts": spec.keys,
      "aria-haspopup": spec.dialog ? "dialog" : null,
    });
    if (spec.icon || spec.short || spec.text) {
      // A symbol on the button, its name for assistive technology and as a tooltip.
      node.setAttribute("aria-label", t(spec.name));
      node.dataset.tooltip = t(spec.name);
      if (spec.icon) node.append(icon(spec.icon));
      else node.append(el("span", { class: "rich-text__symbol", "aria-hidden": "true" }, spec.text ?? t(spec.short)));
    } else {
      node.classList.add("rich-text__button--text");
      node.textContent = t(spec.name);
    }
    if (spec.active) node.setAttribute("aria-pressed", "false");
    // Keep the focus (and so the selection) in the text when a button is clicked with a mouse.
    node.addEventListener("mousedown", (event) => event.preventDefault());
    node.addEventListener("click", () => {
      if (node.getAttribute("aria-disabled") === "true") return;
      spec.command();
    });
    controls.push({ node, spec });
    return node;
  };

  groups.forEach((group) => {
    const container = el("div", { class: "rich-text__group" });
    group.forEach((spec) => container.append(makeButton(spec)));
    toolbar.append(container);
  });
  const tableContainer = el("div", {
    class: "rich-text__group rich-text__group--table",
    role: "group",
    "aria-label": t("table_group"),
    hidden: true,
  });
  tableGroup.forEach((spec) => tableContainer.append(makeButton(spec)));
  toolbar.append(tableContainer);

  let tabStop = controls[0].node;
  const available = () => controls.map((c) => c.node).filter((node) => !node.closest("[hidden]"));
  const setTabStop = (node) => {
    tabStop = node;
    for (const { node: other } of controls) other.tabIndex = other === node ? 0 : -1;
  };
  setTabStop(tabStop);

  toolbar.addEventListener("focusin", (event) => {
    const target = event.target.closest("button");
    if (target && controls.some((c) => c.node === target)) setTabStop(target);
  });
  toolbar.addEventListener("keydown", (event) => {
    const items = available();
    const index = items.indexOf(document.activeElement);
    if (index < 0) return;
    let next = null;
    if (event.key === "ArrowRight" || event.key === "ArrowDown") next = items[(index + 1) % items.length];
    else if (event.key === "ArrowLeft" || event.key === "ArrowUp")
      next = items[(index - 1 + items.length) % items.length];
    else if (event.key === "Home") next = items[0];
    else if (event.key === "End") next = items[items.length - 1];
    else if (event.key === "Escape") {
      event.preventDefault();
      editor.commands.focus();
      return;
    }
    if (next) {
      event.preventDefault();
      setTabStop(next);
      next.focus();
    }
  });

  const update = () => {
    tableContainer.hidden = !editor.isActive("table");
    for (const { node, spec } of controls) {
      if (spec.active) node.setAttribute("aria-pressed", String(Boolean(spec.active())));
      const enabled = !spec.enabled || spec.enabled();
      if (enabled) node.removeAttribute("aria-disabled");
      else node.setAttribute("aria-disabled", "true");
    }
    if (tabStop.closest("[hidden]")) setTabStop(available()[0]);
  };
  editor.on("transaction", update);
  editor.on("focus", update);
  update();

  return {
    focus() {
      update();
      tabStop.focus();
    },
  };
}

// --- The link dialog ---------------------------------------------------------------------------

function linkDialog(editor, filesUrl) {
  const { id, dialog, form, alert, actions } = createDialog("rich-text-link", "link_dialog_title");
  const url = createField(alert, `${id}-url`, {
    label: "link_url_label",
    help: "link_url_help",
    attributes: { inputmode: "url", autocomplete: "off", spellcheck: "false" },
  });
  const files = filesUrl ? filePicker(alert, id, filesUrl, (file) => applyLink(file.url, file.name)) : null;
  const save = el("button", { type: "submit", class: "button" }, t("save"));
  const remove = button("remove_link", { class: "button button--secondary" });
  const cancel = button("cancel", { class: "button button--secondary" });
  actions.append(save, remove, cancel);

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const href = linkFromInput(url.input.value);
    if (!href) {
      url.setError("link_url_error");
      url.input.focus();
      return;
    }
    applyLink(href, href);
  });

  // Nothing selected: ``text`` (the address, or a file's name) becomes the link text.
  function applyLink(href, text) {
    const chain = editor.chain().focus();
    if (editor.isActive("link")) {
      chain.extendMarkRange("link").setLink({ href });
    } else if (editor.state.selection.empty) {
      chain.insertContent({ type: "text", text, marks: [{ type: "link", attrs: { href } }] }).unsetMark("link");
    } else {
      chain.setLink({ href });
    }
    chain.run();
    dialog.close();
  }
  remove.addEventListener("click", () => {
    editor.chain().focus().extendMarkRange("link").unsetLink().run();
    dialog.close();
  });
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => editor.commands.focus());

  return {
    open() {
      url.setError(null);
      url.input.value = editor.getAttributes("link").href || "";
      remove.hidden = !editor.isActive("link");
      if (files) files.reset();
      dialog.showModal();
      url.input.focus();
      url.input.select();
    },
  };
}

// A group's files in the link dialog: a search field and the files found, newest first, each a
// button that links to the file. The list comes from the server (only what the writer may see).
function filePicker(before, id, filesUrl, choose) {
  const search = createField(before, `${id}-files`, {
    label: "link_file_label",
    help: "link_file_help",
    type: "search",
    attributes: { autocomplete: "off", spellcheck: "false", maxlength: "100" },
  });
  const list = el("ul", { class: "rich-text-dialog__files", "aria-label": t("link_file_results") });
  const status = el("p", { class: "rich-text-dialog__status", role: "status" });
  before.before(list, status);
  let timer = null;
  let asked = 0;

  const load = async () => {
    const number = ++asked;
    const address = `${filesUrl}?q=${encodeURIComponent(search.input.value.trim().slice(0, 100))}`;
    let data = null;
    let ok = false;
    try {
      const response = await fetch(address, { credentials: "same-origin", headers: { Accept: "application/json" } });
      ok = response.ok;
      data = await response.json().catch(() => null);
    } catch {
      ok = false;
    }
    if (number !== asked) return; // a later search has answered or will answer
    list.replaceChildren();
    const found = ok && data && Array.isArray(data.files) ? data.files : null;
    if (found === null) {
      status.textContent = data && typeof data.error === "string" && data.error ? data.error : t("link_files_failed");
      return;
    }
    const usable = found.filter((file) => file && typeof file.name === "string" && typeof file.url === "string" && isAllowedHref(file.url));
    for (const file of usable) {
      const choice = el("button", { type: "button", class: "rich-text-dialog__file" }, file.name);
      if (typeof file.folder === "string" && file.folder) {
        choice.append(el("span", { class: "rich-text-dialog__folder" }, file.folder));
      }
      choice.addEventListener("click", () => choose(file));
      list.append(el("li", {}, choice));
    }
    status.textContent = usable.length ? t("link_files_count").replace("%s", String(usable.length)) : t("link_files_none");
  };

  search.input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(load, 250);
  });
  // Enter searches at once; it does not submit the web address.
  search.input.addEventListener("keydown", (event) => {
    if (event.key !== "Enter") return;
    event.preventDefault();
    clearTimeout(timer);
    load();
  });

  return {
    reset() {
      clearTimeout(timer);
      search.input.value = "";
      search.setError(null);
      load();
    },
  };
}

// --- The wiki-link dialog ----------------------------------------------------------------------

function wikiDialog(editor, titlesUrl) {
  const { id, dialog, form, alert, actions } = createDialog("rich-text-wiki", "wiki_dialog_title");
  const listId = `${id}-titles`;
  const title = createField(alert, `${id}-title-field`, {
    label: "wiki_title_label",
    help: "wiki_title_help",
    attributes: { autocomplete: "off", list: titlesUrl ? listId : null },
  });
  const datalist = el("datalist", { id: listId });
  title.input.after(datalist);
  const insert = el("button", { type: "submit", class: "button" }, t("insert"));
  const cancel = button("cancel", { class: "button button--secondary" });
  actions.append(insert, cancel);

  let titlesRequested = false;
  const loadTitles = async () => {
    if (titlesRequested || !titlesUrl) return;
    titlesRequested = true;
    try {
      const response = await fetch(titlesUrl, { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(String(response.status));
      const data = await response.json();
      for (const name of Array.isArray(data.titles) ? data.titles : []) {
        if (typeof name === "string") datalist.append(el("option", { value: name }));
      }
    } catch {
      titlesRequested = false; // suggestions are a help, not a need: try again next time
    }
  };

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const name = title.input.value.replace(/[[\]\r\n]+/g, " ").replace(/\s+/g, " ").trim();
    if (!name) {
      title.setError("wiki_title_error");
      title.input.focus();
      return;
    }
    editor
      .chain()
      .focus()
      .insertContent({ type: "text", text: `[[${name}]]` })
      .run();
    dialog.close();
  });
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("close", () => editor.commands.focus());

  return {
    open() {
      title.setError(null);
      const { from, to } = editor.state.selection;
      title.input.value = editor.state.doc.textBetween(from, to, " ").trim();
      loadTitles();
      dialog.showModal();
      title.input.focus();
    },
  };
}

// --- The upload dialog -------------------------------------------------------------------------

function csrfToken(form) {
  const input =
    (form && form.querySelector("input[name=csrfmiddlewaretoken]")) ||
    document.querySelector("input[name=csrfmiddlewaretoken]");
  return input ? input.value : "";
}

function uploadDialog(editor, uploadUrl, pageForm) {
  const { id, dialog, form, alert, actions } = createDialog("rich-text-upload", "upload_dialog_title");
  const file = createField(alert, `${id}-file`, { label: "upload_file_label", type: "file" });
  const alt = createField(alert, `${id}-alt`, {
    label: "upload_alt_label",
    help: "upload_alt_help",
    attributes: { autocomplete: "off" },
  });
  const status = el("p", { class: "rich-text-dialog__status", role: "status" });
  alert.after(status);
  const submit = el("button", { type: "submit", class: "button" }, t("upload_submit"));
  const cancel = button("cancel", { class: "button button--secondary" });
  actions.append(submit, cancel);

  const chosen = () => (file.input.files && file.input.files[0]) || null;
  const isImage = (upload) => Boolean(upload && upload.type.startsWith("image/"));
  let busy = false;

  file.input.addEventListener("change", () => {
    file.setError(null);
    alt.input.required = isImage(chosen());
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    if (busy) return;
    alert.textContent = "";
    file.setError(null);
    alt.setError(null);
    const upload = chosen();
    if (!upload) {
      file.setError("upload_file_error");
      file.input.focus();
      return;
    }
    const altText = alt.input.value.trim();
    if (isImage(upload) && !altText) {
      alt.setError("upload_alt_error");
      alt.input.focus();
      return;
    }
    const body = new FormData();
    body.append("file", upload);
    busy = true;
    submit.setAttribute("aria-disabled", "true");
    status.textContent = t("upload_busy");
    let data = null;
    let ok = false;
    try {
      const response = await fetch(uploadUrl, {
        method: "POST",
        body,
        credentials: "same-origin",
        headers: { "X-CSRFToken": csrfToken(pageForm), Accept: "application/json" },
      });
      ok = response.ok;
      data = await response.json().catch(() => null);
    } catch {
      ok = false;
    } finally {
      busy = false;
      submit.removeAttribute("aria-disabled");
      status.textContent = "";
    }
    const url = data && typeof data.url === "string" ? data.url : "";
    if (!ok || !url || !isAllowedHref(url)) {
      alert.textContent = data && typeof data.error === "string" && data.error ? data.error : t("upload_failed");
      return;
    }
    const chain = editor.chain().focus();
    if (data.is_image) {
      chain.setImage({ src: url, alt: altText });
    } else {
      const name = typeof data.name === "string" && data.name ? data.name : upload.name;
      chain
        .insertContent({ type: "text", text: name, marks: [{ type: "link", attrs: { href: url } }] })
        .unsetMark("link");
    }
    chain.run();
    dialog.close();
  });
  cancel.addEventListener("click", () => dialog.close());
  dialog.addEventListener("cancel", (event) => {
    if (busy) event.preventDefault();
  });
  dialog.addEventListener("close", () => editor.commands.focus());

  return {
    // `given`: a file pasted or dropped on the text, already chosen; the alt text is still needed.
    open(given) {
      if (busy) return;
      form.reset();
      alert.textContent = "";
      status.textContent = "";
      file.setError(null);
      alt.setError(null);
      alt.input.required = false;
      if (given) {
        const transfer = new DataTransfer();
        transfer.items.add(given);
        file.input.files = transfer.files;
        alt.input.required = isImage(given);
      }
      dialog.showModal();
      (given ? alt.input : file.input).focus();
    },
  };
}

// --- Start -------------------------------------------------------------------------------------

export function enhanceRichText(root = document) {
  return Array.from(root.querySelectorAll("textarea[data-rich-text]"), enhance);
}

if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", () => enhanceRichText());
} else {
  enhanceRichText();
}
