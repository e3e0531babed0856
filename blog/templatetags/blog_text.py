"""``{{ comment.body|comment_text:mentions }}``: a comment's plain text as safe HTML.

The text is escaped, web addresses become links (``rel="nofollow"``), line breaks stay, and an
"@First Last" that names a person in ``mentions`` (name key -> person, found by the view
in one query for the whole page) links to that person's profile.
"""

import re

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import format_html, urlize
from django.utils.safestring import mark_safe

from meent.mentions import _AT_NAME, name_key

register = template.Library()

_WORD_GAP = re.compile(r"[ \u00a0]")
# A mention starts a word: not inside an address such as https://example.org/@name.
_MENTION_BEFORE = re.compile(r"[\s(\[{\"'“‘]")


def _plain(text):
    return urlize(text, nofollow=True, autoescape=True)


def _mention_at(text, match, people):
    """(end, person) of the longest run of words after the "@" that names a person, or None."""
    start = match.start()
    if start > 0 and not _MENTION_BEFORE.match(text[start - 1]):
        return None
    words = _WORD_GAP.split(match.group(1))
    for length in range(len(words), 0, -1):
        person = people.get(name_key(" ".join(words[:length])))
        if person is not None:
            end = match.start(1) + sum(len(word) for word in words[:length]) + length - 1
            return end, person
    return None


def render_comment(text, people):
    text = text.replace("\x00", "")  # stored comments have none; parsers disagree about them
    parts, position = [], 0
    if people:
        for match in _AT_NAME.finditer(text):
            found = _mention_at(text, match, people)
            if found is None:
                continue
            end, person = found
            parts.append(_plain(text[position : match.start()]))
            parts.append(
                format_html(
                    '<a class="mention" href="{}">@{}</a>',
                    person.get_absolute_url(),
                    text[match.start(1) : end],
                )
            )
            position = end
    parts.append(_plain(text[position:]))
    # Every part is escaped or built by format_html: the whole is safe, and linebreaksbr only
    # turns the (escaped) text's line breaks into <br>.
    return linebreaksbr(mark_safe("".join(parts)))  # noqa: S308


@register.filter
def comment_text(text, people=None):
    return render_comment(text or "", people or {})
