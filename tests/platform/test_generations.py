"""Cache generations (meent/generations.py)."""

from django.core.cache import cache

from meent import generations

KEY = "tests:generation"


def test_a_bump_changes_the_generation():
    first = generations.current(KEY)
    assert generations.current(KEY) == first
    generations.bump(KEY)
    assert generations.current(KEY) == first + 1


def test_a_lost_generation_starts_where_no_cached_entry_can_be():
    generations.bump(KEY)
    before = generations.current(KEY)
    cache.delete(KEY)  # evicted or flushed
    assert generations.current(KEY) not in (1, 2, before)
    cache.delete(KEY)
    generations.bump(KEY)  # a bump of a missing generation starts a fresh one too
    assert generations.current(KEY) not in (1, 2, before)


def test_bump_now_and_on_commit_bumps_twice(django_capture_on_commit_callbacks, db):
    start = generations.current(KEY)
    with django_capture_on_commit_callbacks(execute=True):
        generations.bump_now_and_on_commit(KEY)
        assert generations.current(KEY) == start + 1
    assert generations.current(KEY) == start + 2
