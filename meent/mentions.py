"""@mentions in text: ``@First Last`` names a person by their display name.

Names may have several words ("@Bram de Vries"), so every run of one to four words after an "@"
is a candidate; the people are found in one query, whoever they are. Whether they are told is up
to the caller (``meent.notifications.notify`` checks that they may see the thing).
"""

import re

from django.contrib.auth import get_user_model
from django.db.models import Value
from django.db.models.functions import Concat, Lower

_AT_NAME = re.compile(r"(?<![\w@])@([^\W\d_][\w'’-]*(?:[ \u00a0][\w'’-]+){0,3})")
MAX_CANDIDATES = 200


def candidate_names(text: str) -> set[str]:
    names = set()
    for match in _AT_NAME.finditer(text or ""):
        words = match.group(1).replace("\u00a0", " ").split(" ")
        for length in range(1, len(words) + 1):
            names.add(" ".join(words[:length]).lower())
        if len(names) >= MAX_CANDIDATES:
            break
    return names


def mentioned_people(text: str, exclude=None):
    """The active people whose full name follows an "@" in ``text`` (at most a few dozen)."""
    names = candidate_names(text)
    if not names:
        return []
    people = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(mention_name=Lower(Concat("first_name", Value(" "), "last_name")))
        .filter(mention_name__in=names)
    )
    if exclude is not None:
        people = people.exclude(pk=exclude.pk)
    return list(people[:50])
