"""What the access matrices of the content apps share: a tally of probes (how many per surface,
and which showed something to someone who may not see it or hid it from someone who may) and a
visitor per role whose GET answers are asked once.

A matrix asserts its probe count, so a surface that stops being probed shows; the tally prints
it per surface for the CI log.
"""

from collections import Counter

from django.contrib.auth.models import AnonymousUser
from django.test import Client


class Probes:
    """``probe(surface, role, what, should, shown)`` records one probe; ``check`` asserts."""

    def __init__(self):
        self.counts = Counter()
        self.leaks = []
        self.misses = []

    def __call__(self, surface, role, what, should, shown):
        self.counts[surface] += 1
        if shown and not should:
            self.leaks.append((surface, role, what))
        if should and not shown:
            self.misses.append((surface, role, what))

    def check(self, name, surfaces, expected_total):
        total = sum(self.counts.values())
        print(f"{name}: {total} probes over {len(self.counts)} surfaces: {dict(self.counts)}")
        assert self.leaks == [], f"{len(self.leaks)} leaks: {self.leaks[:20]}"
        assert self.misses == [], f"{len(self.misses)} misses: {self.misses[:20]}"
        assert set(self.counts) == set(surfaces)
        assert total == expected_total


class Visitor:
    """A role's browser (English pages): ``get(url, **extra)`` is (status, text, response),
    asked once per address and headers when it ``remember``s (a matrix whose world does not
    change while it probes)."""

    def __init__(self, person=None, *, remember=True):
        self.remember = remember
        self.user = person or AnonymousUser()
        self.client = Client(HTTP_ACCEPT_LANGUAGE="en")
        if person is not None:
            self.client.force_login(person)
        self._answers = {}

    def get(self, url, **extra):
        key = (url, tuple(sorted(extra.items())))
        if key not in self._answers or not self.remember:
            response = self.client.get(url, **extra)
            self._answers[key] = (response.status_code, response.content.decode(), response)
        return self._answers[key]
