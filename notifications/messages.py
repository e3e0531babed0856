"""What notifications say: one registry of messages, rendered in the reader's language when shown.

A notification stores a message key and its parameters (plain values: names, titles, dates),
never finished text, so that the list, the e-mails, the daily summary and the data export say
it in the language of the person who reads it (the page's, or ``User.preferred_language`` for
what is sent). Every ``notify`` call names a key of ``MESSAGES``.

A message is an English msgid with named parameters (``%(person)s``); the msgids are the ones
the texts had before, so their Dutch translations carry over. Rendering never fails: a missing or
malformed parameter reads "Someone" (for a person) or "(unknown)", an unknown key the stored
text or "You have a notification.", a translation whose placeholders do not match the English
text. The result is plain text: templates escape it.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.text import Truncator
from django.utils.translation import gettext, gettext_noop

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
# A parameter is at most this many characters (a title, a name, the start of a chat message).
PARAM_MAX_LENGTH = 300


@dataclass(frozen=True)
class Message:
    """One thing a notification can say.

    - ``text``: the English msgid (``gettext_noop``: translated when rendered);
    - ``reason``: a "Reason: …" sentence follows when the parameter ``reason`` is given;
    - ``labels``: parameters that hold a stored choice (``"app_label.Model.field"``), shown as
      that choice's label in the reader's language; ``lower``: of those, the ones in lower case;
    - ``dates``: parameters that hold an ISO date and time, shown in the reader's format;
    - ``described``: parameters that hold a subject (a mapping with a ``key`` and plain values),
      shown by the function at that dotted path (such as ``moderation.models.describe``).
    """

    text: str
    reason: bool = False
    labels: Mapping[str, str] = field(default_factory=dict)
    lower: frozenset[str] = frozenset()
    dates: frozenset[str] = frozenset()
    described: Mapping[str, str] = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return list(dict.fromkeys(PLACEHOLDER.findall(self.text)))


MESSAGES: dict[str, Message] = {
    # Groups: requests, decisions, roles, invitations (groups/services.py).
    "groups.join_request": Message(gettext_noop("%(person)s asks to join %(group)s.")),
    "groups.join_approved": Message(gettext_noop("Your request to join %(group)s was approved.")),
    "groups.join_refused": Message(
        gettext_noop("Your request to join %(group)s was refused."), reason=True
    ),
    "groups.role_changed": Message(
        gettext_noop("You are now %(role)s of %(group)s."),
        labels={"role": "groups.Membership.role"},
    ),
    "groups.removed": Message(gettext_noop("You were removed from %(group)s.")),
    "groups.invitation_accepted": Message(
        gettext_noop("%(person)s accepted your invitation to %(group)s.")
    ),
    "groups.inherited_ownership": Message(
        gettext_noop("You are now owner of %(group)s: its last owner deleted their account.")
    ),
    # Blog posts and comments (blog/services.py).
    "blog.post_mention": Message(
        gettext_noop("%(person)s mentioned you in the blog post “%(title)s”")
    ),
    "blog.comment_reply": Message(
        gettext_noop("%(person)s replied to your comment on “%(title)s”")
    ),
    "blog.post_comment": Message(gettext_noop("%(person)s commented on your post “%(title)s”")),
    "blog.comment_mention": Message(
        gettext_noop("%(person)s mentioned you in a comment on “%(title)s”")
    ),
    "blog.comment_removed": Message(
        gettext_noop("Your comment on “%(title)s” was removed."), reason=True
    ),
    # Wiki (wiki/services.py).
    "wiki.page_changed": Message(
        gettext_noop("%(person)s changed the wiki page “%(title)s” in %(group)s")
    ),
    "wiki.page_mention": Message(
        gettext_noop("%(person)s mentioned you in the wiki page “%(title)s” in %(group)s")
    ),
    # What people follow (activity/services.py).
    "activity.new_in_group": Message(
        gettext_noop("%(person)s added “%(title)s” in %(group)s, which you follow")
    ),
    "activity.new_comment": Message(
        gettext_noop("%(person)s commented on “%(title)s”, which you follow")
    ),
    "activity.new_version": Message(
        gettext_noop("%(person)s uploaded a new version of “%(title)s”, which you follow")
    ),
    # Chat (chat/services.py).
    "chat.mention": Message(gettext_noop("%(person)s mentioned you in the chat: %(text)s")),
    # Reports and their outcome (moderation/services.py).
    "moderation.group_report": Message(
        gettext_noop(
            "Someone reported %(item)s in %(group)s. As its owner or admin you handle it first."
        ),
        described={"item": "moderation.models.describe"},
    ),
    "moderation.hidden": Message(
        gettext_noop("A moderator hid your %(kind)s: %(item)s."),
        reason=True,
        labels={"kind": "moderation.Report.kind"},
        described={"item": "moderation.models.describe"},
    ),
    "moderation.deleted": Message(
        gettext_noop("A moderator deleted your %(kind)s: %(item)s."),
        reason=True,
        labels={"kind": "moderation.Report.kind"},
        described={"item": "moderation.models.describe"},
    ),
    "moderation.warned": Message(
        gettext_noop("A moderator warns you about your %(kind)s: %(item)s."),
        reason=True,
        labels={"kind": "moderation.Report.kind"},
        described={"item": "moderation.models.describe"},
    ),
    "moderation.report_dismissed": Message(
        gettext_noop(
            "Your report about %(item)s was looked at: it does not break the rules, so it stays."
        ),
        described={"item": "moderation.models.describe"},
    ),
    "moderation.report_handled": Message(
        gettext_noop("Your report about %(item)s was handled: %(decision)s. Thank you."),
        labels={"decision": "moderation.Report.decision"},
        lower=frozenset({"decision"}),
        described={"item": "moderation.models.describe"},
    ),
    # Events one signed up for (events/notices.py, events/tasks.py).
    "events.mention": Message(gettext_noop("%(person)s mentioned you in the event “%(title)s”")),
    "events.changed": Message(
        gettext_noop(
            "The time or place of “%(title)s” changed: it now starts on %(start)s, at %(place)s."
        ),
        dates=frozenset({"start"}),
    ),
    "events.changed_online": Message(
        gettext_noop(
            "The time or place of “%(title)s” changed: it now starts on %(start)s, online."
        ),
        dates=frozenset({"start"}),
    ),
    "events.cancelled": Message(
        gettext_noop("“%(title)s” of %(start)s is cancelled."), dates=frozenset({"start"})
    ),
    "events.occurrence_moved": Message(
        gettext_noop("“%(title)s” of %(original)s moves to %(start)s."),
        dates=frozenset({"original", "start"}),
    ),
    "events.occurrence_cancelled": Message(
        gettext_noop("“%(title)s” of %(original)s is cancelled; the other dates stay."),
        dates=frozenset({"original"}),
    ),
    "events.promoted": Message(
        gettext_noop("A place came free: you are going to “%(title)s” on %(start)s."),
        dates=frozenset({"start"}),
    ),
    "events.removed": Message(
        gettext_noop("An organiser took you off the list of “%(title)s” (%(start)s)."),
        dates=frozenset({"start"}),
    ),
    "events.reminder": Message(
        gettext_noop("Reminder: “%(title)s” starts on %(start)s."), dates=frozenset({"start"})
    ),
    # An organiser's message to everyone signed up (events/messages_out.py; the text is e-mailed).
    "events.message": Message(
        gettext_noop("%(person)s wrote to everyone signed up for “%(title)s”: %(subject)s")
    ),
    # Discussions one takes part in (discussions/services.py, discussions/activity.py).
    "discussions.reply": Message(gettext_noop("%(person)s replied to “%(title)s”")),
    "discussions.followed_reply": Message(
        gettext_noop("%(person)s replied to “%(title)s”, which you follow")
    ),
    "discussions.mention": Message(
        gettext_noop("%(person)s mentioned you in the discussion “%(title)s”")
    ),
    "discussions.reply_mention": Message(
        gettext_noop("%(person)s mentioned you in a reply to “%(title)s”")
    ),
    # Questions and answers (questions/services.py, questions/activity.py).
    "questions.answered": Message(gettext_noop("%(person)s answered your question “%(title)s”")),
    "questions.best_answer": Message(
        gettext_noop("%(person)s chose your answer as the best answer to “%(title)s”")
    ),
    "questions.mention": Message(
        gettext_noop("%(person)s mentioned you in the question “%(title)s”")
    ),
    "questions.answer_mention": Message(
        gettext_noop("%(person)s mentioned you in an answer to “%(title)s”")
    ),
    "questions.followed_answer": Message(
        gettext_noop("%(person)s answered “%(title)s”, which you follow")
    ),
    # Polls one asked or voted in (polls/services.py, told once when the poll closes).
    "polls.closed": Message(gettext_noop("The poll “%(title)s” has closed: see the result")),
    # One's own data (privacy).
    "privacy.export_ready": Message(
        gettext_noop("Your data is ready to download until %(date)s."),
        dates=frozenset({"date"}),
    ),
}


def clean_params(params) -> dict:
    """The parameters as stored: plain values only, each at most PARAM_MAX_LENGTH characters.

    A translated text (a lazy string) is refused: it would be frozen in the language of the
    moment; pass the stored value and name the parameter in ``Message.labels`` instead.
    """
    cleaned = {}
    for name, value in (params or {}).items():
        if isinstance(value, Promise):
            raise ValueError(f"Parameter {name!r} is a translated text: pass the plain value.")
        if isinstance(value, datetime.datetime):
            value = value.isoformat()
        elif value is None or isinstance(value, bool):
            continue
        elif isinstance(value, Mapping):
            # A subject (``Message.described``): one level of short plain values.
            value = {
                str(key): Truncator(str(item)).chars(PARAM_MAX_LENGTH)
                for key, item in value.items()
                if isinstance(item, str | int) and not isinstance(item, bool)
            }
        elif not isinstance(value, int | float):
            value = Truncator(str(value)).chars(PARAM_MAX_LENGTH)
        cleaned[str(name)] = value
    return cleaned


def _plain(value) -> str:
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return ""
    return Truncator(" ".join(str(value).split())).chars(PARAM_MAX_LENGTH)


def _fallback(name: str) -> str:
    return gettext("Someone") if name == "person" else gettext("(unknown)")


def _label(path: str, value: str) -> str:
    try:
        app_label, model_name, field_name = path.split(".")
        choices = apps.get_model(app_label, model_name)._meta.get_field(field_name).flatchoices
    except (ValueError, LookupError, FieldDoesNotExist):
        return ""
    label = dict(choices).get(value)
    return str(label) if label is not None else ""


def _date(value: str) -> str:
    try:
        moment = parse_datetime(value)
    except ValueError:
        return ""
    if moment is None:
        return ""
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment, datetime.UTC)
    return formats.date_format(timezone.localtime(moment), "DATETIME_FORMAT")


def _described(path: str, subject) -> str:
    try:
        return _plain(import_string(path)(subject))
    except ImportError:
        return ""


def _value(message: Message, name: str, raw) -> str:
    if isinstance(raw, Mapping):
        described = message.described.get(name)
        return (described and _described(described, raw)) or _fallback(name)
    value = _plain(raw)
    if value and name in message.labels:
        value = _label(message.labels[name], value)
        if name in message.lower:
            value = value.lower()
    elif value and name in message.dates:
        value = _date(value)
    return value or _fallback(name)


def render(key: str, params, fallback: str = "") -> str:
    """The text of a notification in the active language (plain text, not escaped)."""
    message = MESSAGES.get(key or "")
    if message is None:
        return fallback or gettext("You have a notification.")
    params = params if isinstance(params, Mapping) else {}
    values = {name: _value(message, name, params.get(name)) for name in message.names}
    try:
        text = gettext(message.text) % values
    except (KeyError, ValueError, TypeError):
        # A translation whose placeholders differ from the English text's.
        text = message.text % values
    reason = _plain(params.get("reason")) if message.reason else ""
    if reason:
        text += " " + gettext("Reason: %(reason)s") % {"reason": reason}
    return text
