"""The polls' services: asking (and every bad input), voting and changing one's vote with the
kept counts, the refusals (closed, foreign options, too many), editing, closing, and a vote
counted once under two requests at once (PostgreSQL, threads)."""

import datetime
from functools import partial

import pytest
from django.utils import timezone, translation

from polls import services
from polls.models import Ballot, Choice, Option, Poll
from polls.services import PollError, PollInput
from tests.helpers import at_once, require_row_locks
from tests.polls.conftest import close_now, later, make, option_ids

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_english():
    """The refusals' messages are read in English (the default language is Dutch)."""
    with translation.override("en"):
        yield


def counts(poll):
    poll.refresh_from_db()
    return poll.voter_count, {o.label: o.vote_count for o in poll.options.all()}


def test_a_member_asks_a_poll_with_its_options_in_order(polls_world):
    poll = make(polls_world, options=("  Ja ", "Nee", "", "Misschien"), description="Zeg het maar.")
    assert poll.author == polls_world["people"]["anna"]
    assert [o.label for o in poll.options.all()] == ["Ja", "Nee", "Misschien"]
    assert poll.results == Poll.Results.AFTER_VOTE and poll.anonymous and not poll.multiple
    assert poll.voter_count == 0 and poll.is_open()


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"options": ["Ja"]}, "options", "at least two"),
        ({"options": [f"Optie {n}" for n in range(21)]}, "options", "at most 20"),
        ({"options": ["Ja", " ja ", "Nee"]}, "options", "twice"),
        ({"options": ["Ja", "x" * 201]}, "options", "at most 200"),
        ({"question": "  "}, "question", "Ask a question"),
        ({"question": "x" * 301}, "question", "at most 300"),
        ({"ends_at": timezone.now() - datetime.timedelta(minutes=5)}, "ends_at", "passed"),
        ({"ends_at": None}, "ends_at", "date and time"),
        ({"multiple": True, "max_choices": 4}, "max_choices", "from 1 to"),
        ({"results": "sometime"}, "results", "when the results"),
    ],
)
def test_bad_input_is_refused_on_its_field_and_nothing_is_saved(
    polls_world, fields, field, message
):
    options = fields.pop("options", ("Ja", "Nee", "Misschien"))
    with pytest.raises(PollError) as refused:
        make(polls_world, options=options, **fields)
    assert refused.value.field == field and message in refused.value.message
    assert not Poll.objects.exists() and not Option.objects.exists()


def test_only_members_ask_and_not_in_an_archived_group_or_with_polls_off(polls_world):
    with pytest.raises(PollError) as refused:
        make(polls_world, who="outsider")
    assert refused.value.status == 403
    group = polls_world["group"]
    group.polls_enabled = False
    group.save()
    with pytest.raises(PollError) as refused:
        make(polls_world)
    assert refused.value.status == 409
    group.polls_enabled, group.is_archived = True, True
    group.save()
    with pytest.raises(PollError) as refused:
        make(polls_world)
    assert refused.value.status == 409 and "archived" in refused.value.message
    assert not Poll.objects.exists()


def test_a_vote_is_counted_and_changed_with_the_counts_kept(polls_world):
    people = polls_world["people"]
    poll = make(polls_world)
    services.vote(people["anna"], poll, option_ids(poll, "Ja"))
    services.vote(people["bram"], poll, option_ids(poll, "Ja"))
    assert counts(poll) == (2, {"Ja": 2, "Nee": 0, "Misschien": 0})
    services.vote(people["anna"], poll, option_ids(poll, "Nee"))
    assert counts(poll) == (2, {"Ja": 1, "Nee": 1, "Misschien": 0})
    assert Ballot.objects.filter(poll=poll).count() == 2
    assert Choice.objects.filter(ballot__poll=poll).count() == 2


def test_multiple_choice_with_at_most_n(polls_world):
    people = polls_world["people"]
    poll = make(polls_world, options=("A", "B", "C", "D"), multiple=True, max_choices=2)
    services.vote(people["anna"], poll, option_ids(poll, "A", "B"))
    with pytest.raises(PollError) as refused:
        services.vote(people["bram"], poll, option_ids(poll, "A", "B", "C"))
    assert refused.value.status == 400 and "at most 2" in refused.value.message
    services.vote(people["anna"], poll, option_ids(poll, "B", "C"))
    assert counts(poll) == (1, {"A": 0, "B": 1, "C": 1, "D": 0})


@pytest.mark.parametrize("case", ["two_on_single", "none", "foreign", "not_a_number"])
def test_bad_votes_are_400_with_a_reason_and_nothing_is_saved(polls_world, case):
    anna = polls_world["people"]["anna"]
    poll = make(polls_world)
    other = make(polls_world, question="Een andere vraag?")
    wanted = {
        "two_on_single": option_ids(poll, "Ja", "Nee"),
        "none": [],
        "foreign": option_ids(other, "Ja"),
        "not_a_number": ["abc"],
    }[case]
    with pytest.raises(PollError) as refused:
        services.vote(anna, poll, wanted)
    assert refused.value.status == 400 and refused.value.message
    assert counts(poll) == (0, {"Ja": 0, "Nee": 0, "Misschien": 0})
    assert not Ballot.objects.exists()


def test_after_the_end_a_vote_is_refused_with_a_reason(polls_world):
    anna = polls_world["people"]["anna"]
    poll = make(polls_world)
    services.vote(anna, poll, option_ids(poll, "Ja"))
    close_now(poll)
    with pytest.raises(PollError) as refused:
        services.vote(anna, poll, option_ids(poll, "Nee"))
    assert refused.value.status == 409 and "closed" in refused.value.message
    assert counts(poll) == (1, {"Ja": 1, "Nee": 0, "Misschien": 0})


def test_only_members_vote(polls_world):
    poll = make(polls_world)
    with pytest.raises(PollError) as refused:
        services.vote(polls_world["people"]["outsider"], poll, option_ids(poll, "Ja"))
    assert refused.value.status == 404  # the members-only group's poll is not there for them
    group = polls_world["group"]
    group.content_default, group.visibility = "open", "listed"
    group.save()
    with pytest.raises(PollError) as refused:
        services.vote(polls_world["people"]["outsider"], poll, option_ids(poll, "Ja"))
    assert refused.value.status == 403 and "members" in refused.value.message


def test_the_author_edits_but_not_the_options_once_someone_voted(polls_world):
    people = polls_world["people"]
    poll = make(polls_world)
    data = PollInput(
        question="Vergaderen we online?",
        description="Nieuw",
        ends_at=later(3),
        options=["Ja", "Nee"],
    )
    services.edit_poll(people["anna"], poll, data)
    assert [o.label for o in poll.options.all()] == ["Ja", "Nee"]
    services.vote(people["bram"], poll, option_ids(poll, "Ja"))
    data.options = ["Ja", "Nee", "Weet niet"]
    with pytest.raises(PollError) as refused:
        services.edit_poll(people["anna"], poll, data)
    assert refused.value.field == "options" and "voted" in refused.value.message
    data.options, data.question = [], "Vergaderen we vaker online?"
    edited = services.edit_poll(people["anna"], poll, data)
    assert edited.question == "Vergaderen we vaker online?" and edited.edited_at
    assert counts(poll) == (1, {"Ja": 1, "Nee": 0})
    with pytest.raises(PollError) as refused:
        services.edit_poll(people["bram"], poll, data)
    assert refused.value.status == 403


def test_how_people_choose_cannot_change_once_someone_voted(polls_world):
    people = polls_world["people"]
    poll = make(polls_world)
    services.vote(people["bram"], poll, option_ids(poll, "Ja"))
    data = PollInput(
        question=poll.question,
        ends_at=poll.ends_at,
        options=["Ja", "Nee", "Misschien"],
        multiple=True,
    )
    with pytest.raises(PollError) as refused:
        services.edit_poll(people["anna"], poll, data)
    assert refused.value.status == 409 and "voted" in refused.value.message
    poll.refresh_from_db()
    assert not poll.multiple


def test_nobody_votes_in_an_archived_group(polls_world):
    poll = make(polls_world)
    group = polls_world["group"]
    group.is_archived = True
    group.save()
    with pytest.raises(PollError) as refused:
        services.vote(polls_world["people"]["bram"], poll, option_ids(poll, "Ja"))
    assert refused.value.status == 409 and "archived" in refused.value.message
    assert not Ballot.objects.exists()


def test_closing_early_by_the_author_or_an_admin_only(polls_world):
    people = polls_world["people"]
    poll = make(polls_world)
    with pytest.raises(PollError) as refused:
        services.close_poll(people["bram"], poll)
    assert refused.value.status == 403
    services.close_poll(people["admin"], poll)
    assert not poll.is_open()
    with pytest.raises(PollError) as refused:
        services.close_poll(people["anna"], poll)
    assert refused.value.status == 409


@pytest.mark.django_db(transaction=True)
def test_a_vote_is_counted_once_under_two_requests_at_once(polls_world):
    require_row_locks()
    people = polls_world["people"]
    poll = make(polls_world)
    # Anna twice at once (two tabs), Bram and Cor at the same moment.
    votes = [("anna", "Ja"), ("anna", "Ja"), ("bram", "Nee"), ("cor", "Ja")]
    _results, errors = at_once(
        *(
            partial(services.vote, people[name], poll, option_ids(poll, label))
            for name, label in votes
        )
    )
    assert errors == []
    assert counts(poll) == (3, {"Ja": 2, "Nee": 1, "Misschien": 0})
    assert Ballot.objects.filter(poll=poll).count() == 3
