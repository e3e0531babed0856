// Times of an event are shown in the event's own time zone; where the reader's browser is in
// another zone, the time there follows in brackets ("15:00 in your time zone").
(function () {
  "use strict";
  var here = Intl.DateTimeFormat().resolvedOptions().timeZone;
  document.querySelectorAll("[data-local-time][data-zone]").forEach(function (element) {
    var note = element.getAttribute("data-local-note");
    if (!here || element.getAttribute("data-zone") === here || !note) return;
    var moment = new Date(element.getAttribute("data-local-time"));
    if (isNaN(moment)) return;
    var text = new Intl.DateTimeFormat(document.documentElement.lang || undefined, {
      weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit",
    }).format(moment);
    var span = document.createElement("span");
    span.className = "event-when__local";
    span.textContent = " (" + note.replace("%s", text) + ")";
    (element.closest(".event-when") || element).insertAdjacentElement("afterend", span);
  });
})();
