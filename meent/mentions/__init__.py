"""@mentions in text: ``@First Last`` names a person by their display name.

Names may have several words ("@Bram de Vries"), so every run of one to four words after an "@"
is a candidate; the people are found in one query, whoever they are. Whether they are told is up
to the caller (``meent.notifications.notify`` checks that they may see the thing).

Names are compared by ``name_key``: without regard to case, accents or how they were typed
(precomposed or with combining marks), and with the Turkish dotless i as i, so "@Mohamed Yilmaz"
reaches Mohamed Yılmaz. Each person keeps the key of their name (``User.mention_key``).
"""

import re
import unicodedata

from django.contrib.auth import get_user_model

# Words of letters, digits and combining marks (a name typed as "Zoe" + U+0308 is one word).
_AT_NAME = re.compile(
    r"(?<![\w@])@([^\W\d_][\w\u0300-\u036f'’-]*(?:[ \u00a0][\w\u0300-\u036f'’-]+){0,3})"
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
