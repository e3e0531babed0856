"""The ``<id:…>`` path converter: every number in one of our URL patterns.

Django's ``int`` converter takes any number of digits, and a number beyond what the database holds
(PostgreSQL's bigint, SQLite's integer: 2**63 - 1) failed in some lookups with an OverflowError,
a 500. ``id`` matches only 1 … 2**63 - 1, written without leading zeros (one address per object),
so an address outside that range matches no pattern and answers 404 before any view runs.

Registered when this module is imported (meent/apps.py does, before any URL pattern is built).
tests/security/test_parameters.py fails when a pattern of ours uses ``int`` again.
"""

from django.urls import register_converter

# The largest value a PostgreSQL bigint or an SQLite integer holds.
MAX_ID = 2**63 - 1
NAME = "id"


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value):
        number = int(value)
        if not 1 <= number <= MAX_ID or value != str(number):
            raise ValueError(value)  # no match: the resolver goes on, and ends in a 404
        return number

    def to_url(self, value):
        number = int(value)
        if not 1 <= number <= MAX_ID:
            raise ValueError(value)  # reverse() gives NoReverseMatch instead of a dead link
        return str(number)


register_converter(IdConverter, NAME)
