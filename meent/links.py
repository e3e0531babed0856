"""The one check for links that people store or that Meent redirects to.

A browser does not read a URL the way it is written: it drops tabs and new lines anywhere in it,
strips leading spaces and control characters, and reads a backslash as a slash. So `/\\evil.example/`
and `/<tab>/evil.example/` are written like paths on this site but lead to `//evil.example`. Every
stored link (pinned items, theme header and footer links), every link put in an e-mail and every
``next=`` target asks this module; Django's ``url_has_allowed_host_and_scheme`` does the reading
as a browser would, and we refuse outright what no honest link contains.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.deconstruct import deconstructible
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

# Control characters, white space and backslashes: never part of a link we keep.
_REFUSED = re.compile(r"[\x00-\x20\x7f\\\u0085\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000]")
_WEB_ADDRESS = URLValidator(schemes=["http", "https"])


def is_local_path(url) -> bool:
    """A path on this site, read by every browser as one (``/groups/``, not ``//host``)."""
    return (
        isinstance(url, str)
        and url.startswith("/")
        and not url.startswith("//")
        and not _REFUSED.search(url)
        and url_has_allowed_host_and_scheme(url, allowed_hosts=None)
    )


def is_web_address(url) -> bool:
    """An ``https://`` or ``http://`` address of another site."""
    if not isinstance(url, str) or _REFUSED.search(url):
        return False
    try:
        _WEB_ADDRESS(url)
    except ValidationError:
        return False
    return True


def safe_link(url) -> str | None:
    """``url`` without surrounding spaces when it is a path here or a web address; else None."""
    if not isinstance(url, str):
        return None
    url = url.strip()
    return url if is_local_path(url) or is_web_address(url) else None


def local_path_or(url, fallback: str) -> str:
    """``url`` when it is a path on this site (a ``next=`` target), else ``fallback``."""
    return url if is_local_path(url) else fallback


@deconstructible
class LinkValidator:
    """A form or block validator: a path on this site or a web address, nothing else."""

    message = _(
        "Use a web address starting with https:// or http://, or a path on this site starting "
        "with / (no spaces or backslashes)."
    )
    code = "invalid_link"

    def __call__(self, value):
        if safe_link(value) is None:
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, LinkValidator)

    def __hash__(self):
        return hash(LinkValidator)
