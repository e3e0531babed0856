"""@mentions in text: ``@First Last`` names a person by their display name.

Names may have several words ("@Bram de Vries", "@Anna Pieters van der Maes"), so every run of
one to eight words after an "@" is a candidate; the people are found in one query, whoever they are. Whether they are told is up
to the caller (``notifications.notify`` checks that they may see the thing).

Names are compared by ``name_key``: without regard to case, accents or how they were typed
(precomposed or with combining marks), and with the Turkish dotless i as i, so "@Mohamed Yilmaz"
reaches Mohamed Yılmaz. Each person keeps the key of their name (``User.mention_key``).

Rich text names a person by their id: the editor's picker writes
``<a class="mention" data-person="42" href="/people/42/">@Anna Jansen</a>`` (meent/sanitize.py
keeps exactly that), and ``people_in_html`` reads those ids as well as the names typed without the
picker.

Who a text mentions is decided when it is saved and stored (``services.record``: the
``Mention`` table, the person and not the text); ``services.tell_pending`` tells each of them once.
"""

import re
import unicodedata

from django.contrib.auth import get_user_model

# The longest name a typed mention finds, in words: "Coreth von und zu Coredo und Starkenberg"
# with a first name is eight (a longer one is still reached with the picker).
MAX_NAME_WORDS = 8
# Words of letters, digits and combining marks (a name typed as "Zoe" + U+0308 is one word).
_AT_NAME = re.compile(
    r"(?<![\w@])@([^\W\d_][\w\u0300-\u036f'’-]*(?:[ \u00a0][\w\u0300-\u036f'’-]+)"
    rf"{{0,{MAX_NAME_WORDS - 1}}})"
)
# Letters that do not decompose into a base letter and a mark.
_BASE_LETTERS = str.maketrans({"ı": "i", "ł": "l", "ø": "o", "đ": "d", "ħ": "h"})


def name_key(name: str) -> str:
    """``name`` as mentions compare it: lower case, without accents, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name or "")
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().translate(_BASE_LETTERS).split())


MAX_CANDIDATES = 200


def candidate_names(text: str) -> set[str]:
    names = set()
    for match in _AT_NAME.finditer(text or ""):
        words = match.group(1).replace("\u00a0", " ").split(" ")
        for length in range(1, len(words) + 1):
            names.add(name_key(" ".join(words[:length])))
        if len(names) >= MAX_CANDIDATES:
            break
    return names


def mentioned_people(text: str, exclude=None):
    """The active people whose full name follows an "@" in ``text`` (at most a few dozen)."""
    names = candidate_names(text)
    if not names:
        return []
    people = get_user_model().objects.filter(is_active=True, mention_key__in=names)
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people[:50])


def unreached_mentions(text: str, can_read, author=None):
    """What to tell the writer about the @mentions in ``text``: the names typed after an "@"
    that name nobody, and the people named who may not read it (``can_read(person)``), so are
    not told. Each "@" names the longest run of words that is someone's name. One query."""
    matches = list(_AT_NAME.finditer(text or ""))[:MAX_CANDIDATES]
    if not matches:
        return [], []
    people = {}
    for person in mentioned_people(text):
        people.setdefault(person.mention_key, []).append(person)
    nobody, unreadable = [], []
    for match in matches:
        words = match.group(1).replace("\u00a0", " ").split(" ")
        named = None
        for length in range(len(words), 0, -1):
            named = people.get(name_key(" ".join(words[:length])))
            if named:
                break
        if not named:
            # Where a name ends is unknown when it names nobody: its first word says enough.
            if words[0] not in nobody:
                nobody.append(words[0])
            continue
        for person in named:
            is_author = author is not None and person.pk == author.pk
            if not is_author and not can_read(person) and person not in unreadable:
                unreadable.append(person)
    return nobody, unreadable


# A mention link as meent/sanitize.py leaves it: its attributes always quoted with '"'.
_LINK = re.compile(r"<a\s([^>]*)>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_PERSON = re.compile(r'(?:^|\s)data-person="(\d{1,12})"')
_MENTION_CLASS = re.compile(r'(?:^|\s)class="mention"')
MAX_MENTIONED = 50


def split_html(html: str) -> tuple[list[int], str]:
    """The person ids of the mention links in ``html`` (in order, without repeats, at most
    ``MAX_MENTIONED``) and the plain text of the rest, where names may be typed as "@First
    Last" without the picker. A mention link's own text names nobody else of the same name."""
    from meent.sanitize import clean_text

    ids = []

    def take(match):
        attributes = match.group(1)
        person = _PERSON.search(attributes)
        if person is None or not _MENTION_CLASS.search(attributes):
            return match.group(0)
        pk = int(person.group(1))
        if pk not in ids and len(ids) < MAX_MENTIONED:
            ids.append(pk)
        return " "

    rest = _LINK.sub(take, html or "")
    return ids, clean_text(rest)


def people_in_html(html: str, exclude=None) -> list:
    """The active people a rich text mentions: by the id of a mention link, or by "@Name" typed
    in the text (compared as ``mentioned_people`` does). One query."""
    from django.db.models import Q

    ids, text = split_html(html)
    names = candidate_names(text)
    if not ids and not names:
        return []
    people = get_user_model().objects.filter(is_active=True)
    people = people.filter(Q(pk__in=ids) | Q(mention_key__in=names))
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people.order_by("pk")[:MAX_MENTIONED])


def unreached_in_html(html: str, can_read, author=None):
    """``unreached_mentions`` for rich text: the typed names that name nobody, and the people
    named (by a mention link or by name) who may not read it. Two queries at most."""
    ids, text = split_html(html)
    nobody, unreadable = unreached_mentions(text, can_read, author=author)
    if ids:
        linked = get_user_model().objects.filter(is_active=True, pk__in=ids).order_by("pk")
        for person in linked:
            is_author = author is not None and person.pk == author.pk
            if not is_author and person not in unreadable and not can_read(person):
                unreadable.append(person)
    return nobody, unreadable


def warn_writer(request, nobody, unreadable) -> None:
    """Tell the writer (a message on the next page) which @names reached nobody and who may not
    read what they wrote, so was not told: they would otherwise believe they were heard."""
    from django.contrib import messages
    from django.utils.translation import gettext as _

    if nobody:
        messages.warning(
            request,
            _("Nobody here is called %(names)s, so nobody was told. Check the spelling.")
            % {"names": ", ".join(f"@{name}" for name in nobody[:5])},
        )
    if unreadable:
        messages.warning(
            request,
            _("%(names)s may not read this, so they were not told.")
            % {"names": ", ".join(person.display_name for person in unreadable[:5])},
        )


def register(*models) -> None:
    """Mentions of these models' objects are removed with them (call from an app's ready())."""
    from .services import register as connect

    connect(*models)


def picker_attrs() -> dict:
    """The attributes that give a textarea the mention picker (meent/static/meent/mentions.js)."""
    from django.urls import reverse_lazy
    from django.utils.translation import gettext_lazy as _

    return {
        "data-mentions": "",
        "data-mentions-url": reverse_lazy("accounts:mention_suggestions"),
        "data-mentions-label": _("People to mention"),
        "data-mentions-count": _("%s people found: choose with the arrow keys and Enter."),
        "data-mentions-none": _("Nobody found by that name."),
    }
