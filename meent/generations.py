"""Cache generations: a number in the shared cache that is part of other cache keys, so bumping
it makes all of them stale at once (the header's toolbox link, the site themes).

A missing generation (never set, evicted, the cache flushed) starts at a random number, never
at a small fixed one that entries cached under an earlier generation may still carry.
"""

import secrets

from django.core.cache import cache
from django.db import transaction


def _fresh():
    return secrets.randbits(62)


def current(key: str) -> int:
    generation = cache.get(key)
    if generation is None:
        cache.add(key, _fresh(), None)
        generation = cache.get(key)
    return generation


def bump(key: str) -> None:
    try:
        cache.incr(key)
    except ValueError:  # missing: start a generation no cached entry can carry
        cache.set(key, _fresh(), None)


def bump_now_and_on_commit(key: str) -> None:
    """Now, for the rest of this request; and after the commit, so that a request that read the
    old rows in between cannot leave them cached under the new generation."""
    bump(key)
    transaction.on_commit(lambda: bump(key))
