/* Messages as elements: the author, the time in the page's language, "edited", and the body as
text with links, or why there is none (deleted, hidden by a moderator).

Text written by people is only ever put into the page as text nodes, never as markup: nothing here
(or anywhere in the chat client) sets innerHTML.
*/

const URL_IN_TEXT = /https?:\/\/[^\s<>"']+/gi;
const TRAILING_PUNCTUATION = /[.,;:!?'")\]}]+$/;

export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/* "{name} wrote {text}" with the values put in as they are: the result is used as text. */
export function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (whole, key) =>
    Object.hasOwn(values, key) ? String(values[key]) : whole,
  );
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
export function appendText(parent, text) {
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
export function textOf(body) {
  let text = "";
  for (const node of body.childNodes) {
    text += node.nodeName === "BR" ? "\n" : node.textContent;
  }
  return text;
}

/* Day, month and time in the page's language and the site's time zone, as the server has them. */
export function timeFormat(language, timeZone) {
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

/* "5 maart 14:02" or "5 March 14:02", as the server writes it (the page language's
   MONTH_DAY_FORMAT and TIME_FORMAT: day, month's name, 24-hour clock). `times` comes from
   timeFormat. */
export function formatTime(times, iso) {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return "";
  const part = {};
  for (const { type, value } of times.formatToParts(date)) part[type] = value;
  return `${part.day} ${part.month} ${part.hour}:${part.minute}`;
}

/* Fill `li` with `message` (new, or a newer version of one shown): what was in it goes. `own`
   says whether the reader wrote it, `t` gives the page's words, `times` formats the time.
   Returns the body, which the caller may hide while the message is being edited. */
export function fillMessage(li, message, { own, t, times }) {
  li.className = "chat-message";
  li.id = `m${message.seq}`;
  li.dataset.seq = message.seq;
  li.dataset.id = message.id;
  delete li.dataset.partial;
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
    meta.append(t("formerMember"));
  }
  const time = element("time", null, formatTime(times, message.created_at));
  time.dateTime = message.created_at;
  meta.append(" ", time);
  if (message.edited && !message.deleted) {
    meta.append(" ", element("span", "chat-message__edited", t("edited")));
  }
  const body = element("p", "chat-message__body");
  if (message.deleted) {
    body.append(element("em", null, t(message.hidden ? "hidden" : "deleted")));
  } else {
    appendText(body, message.body);
  }
  li.replaceChildren(meta, body);
  return body;
}

/* Whether `li` shows another version of `message` than the one given. */
export function changed(li, message) {
  const body = li.querySelector(".chat-message__body");
  return (
    li.classList.contains("chat-message--deleted") !== message.deleted ||
    Boolean(li.querySelector(".chat-message__edited")) !== (message.edited && !message.deleted) ||
    (!message.deleted && (!body || textOf(body) !== message.body))
  );
}

/* Focus the part of `li` marked data-focus=`key`, or the message itself when it has none. */
export function refocus(li, key, options = {}) {
  const target = key && li.querySelector(`[data-focus="${key}"]`);
  if (target) {
    target.focus(options);
  } else {
    li.tabIndex = -1;
    li.focus(options);
  }
}
