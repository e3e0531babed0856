"""Helpers for the tests of "a form posted twice makes one thing" (meent/idempotency.py)."""

import re
import uuid

KEY = re.compile(r'name="submission_key" value="([0-9a-f-]{36})"')


def keys_in(response):
    """The submission keys of the forms on a page, in order."""
    return [uuid.UUID(key) for key in KEY.findall(response.content.decode())]


def key_in(response):
    """The one submission key on a page (a fresh uuid4 per form shown)."""
    keys = keys_in(response)
    assert keys, "the form carries no submission key"
    return str(keys[0])


def post_twice(client, url, data, count, **extra):
    """Post ``data`` twice with one key: one thing (``count()`` goes up by one), and the repeat
    is sent where the first was. The two responses."""
    before = count()
    first = client.post(url, data, **extra)
    assert first.status_code == 302, first.content.decode()[:2000]
    assert count() == before + 1
    again = client.post(url, data, **extra)
    assert again.status_code == 302, again.content.decode()[:2000]
    assert again["Location"] == first["Location"]
    assert count() == before + 1
    return first, again
