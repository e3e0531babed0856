"""Polls with the rest of Meent: the closing notice (once per poll, in the reader's language, one
claim for two workers), search (the question, the description and the options; gone when hidden
or switched off), the activity stream, reports and moderation, and one's data (the export, and
deleting an account: its votes stay counted without a voter)."""

import pytest
from django.urls import reverse
from django.utils import translation

from activity import services as stream
from activity.models import Entry, Follow
from moderation import services as moderation
from moderation.models import Kind, Report
from moderation.targets import may_report, target_for
from notifications.models import Notification
from polls import services
from polls.models import Ballot, Poll
from privacy import services as privacy_services
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from tests.factories import UserFactory, make_moderator
from tests.polls.conftest import close_now, make, option_ids
from tests.privacy.test_export import read_zip, run_export

pytestmark = pytest.mark.django_db


# --- the closing notice ------------------------------------------------------------------------


def test_the_author_and_the_voters_are_told_once_when_the_poll_closed(polls_world):
    people = polls_world["people"]
    poll = make(polls_world, question="Waar gaan we heen?")
    services.vote(people["bram"], poll, option_ids(poll, "Ja"))
    services.vote(people["anna"], poll, option_ids(poll, "Nee"))
    people["bram"].language = "en"
    people["bram"].save()
    assert services.notify_closed_polls() == 0  # still open
    close_now(poll)
    assert services.notify_closed_polls() == 2
    told = Notification.objects.filter(message="polls.closed")
    assert {n.recipient.first_name for n in told} == {"Anna", "Bram"}
    assert all(n.kind == "conversations" and n.url == poll.get_absolute_url() for n in told)
    bram = told.get(recipient=people["bram"])
    with translation.override("en"):
        assert bram.display_text == "The poll “Waar gaan we heen?” has closed: see the result"
    with translation.override("nl"):
        assert bram.display_text == "De peiling “Waar gaan we heen?” is gesloten: bekijk de uitslag"
    # Again, and as a second worker would: nobody is told twice.
    assert services.notify_closed_polls() == 0
    poll.refresh_from_db()
    assert not services._claim_closing(poll, poll.closed_notified_at)
    assert told.count() == 2


def test_a_hidden_poll_tells_nobody(polls_world):
    poll = make(polls_world)
    services.vote(polls_world["people"]["bram"], poll, option_ids(poll, "Ja"))
    services.hide_poll(poll)
    close_now(poll)
    assert services.notify_closed_polls() == 0
    assert not Notification.objects.filter(message="polls.closed").exists()


def test_the_task_is_scheduled_every_five_minutes(settings):
    names = {entry["name"]: entry for entry in settings.SCHEDULES}
    assert names["poll-closings"]["task"] == "polls.tasks.notify_closed_polls"
    assert names["poll-closings"]["every"] == 5 * 60


# --- search ------------------------------------------------------------------------------------


def find(user, text):
    drain_outbox()
    results = get_search_backend().search(SearchQuery(text=text, user=user, types=("poll",)))
    return {hit.object_id for hit in results.hits}


def test_a_poll_is_found_by_its_question_description_and_options(polls_world):
    people = polls_world["people"]
    poll = make(
        polls_world,
        question="Welke dag past voor de heidag?",
        description="Over de planning van het najaar",
        options=("Dinsdag", "Woensdagochtend"),
    )
    member, outsider = people["bram"], people["outsider"]
    assert find(member, "heidag") == {poll.pk}
    assert find(member, "najaar") == {poll.pk}
    assert find(member, "woensdagochtend") == {poll.pk}
    assert find(outsider, "heidag") == set()  # a members-only group's poll
    group = polls_world["group"]
    group.polls_enabled = False
    group.save()
    assert find(member, "heidag") == set()
    group.polls_enabled = True
    group.save()
    assert find(member, "heidag") == {poll.pk}
    services.hide_poll(poll)
    assert find(member, "heidag") == set()


# --- the activity stream -----------------------------------------------------------------------


def test_asking_is_a_line_of_the_groups_stream_seen_while_the_poll_may_be_seen(polls_world):
    people = polls_world["people"]
    poll = make(polls_world)
    [line] = [
        line
        for line in stream.lines(stream.group_entries(people["bram"], polls_world["group"]))
        if line.kind.key.startswith("polls.")
    ]
    assert line.kind.key == "polls.created" and line.target == poll
    assert line.url == poll.get_absolute_url()
    with translation.override("en"):
        assert str(line.kind.message) == "{actor} asked {target}"
    services.hide_poll(poll)
    assert not [
        line
        for line in stream.lines(stream.group_entries(people["bram"], polls_world["group"]))
        if line.kind.key.startswith("polls.")
    ]
    poll.delete()
    assert not Entry.objects.filter(kind="polls.created").exists()


def test_who_follows_the_group_at_every_new_item_hears_of_a_poll_once(
    polls_world, django_capture_on_commit_callbacks
):
    people = polls_world["people"]
    stream.follow(people["bram"], polls_world["group"], Follow.Level.ALL)
    with django_capture_on_commit_callbacks(execute=True):
        poll = make(polls_world)
    told = Notification.objects.filter(message="activity.new_in_group")
    assert list(told.values_list("recipient__first_name", "url")) == [
        ("Bram", poll.get_absolute_url())
    ]
    # The person who asked is not told of their own poll; a poll can be followed itself.
    assert stream.follow(people["cor"], poll, Follow.Level.ALL)


# --- reports and moderation --------------------------------------------------------------------


def test_the_target_describes_the_poll(polls_world):
    poll = make(polls_world, description="Kort")
    target = target_for(Kind.POLL)
    assert target.get(poll.pk) == poll
    assert target.subject(poll) == {
        "key": "poll",
        "title": "Vergaderen we voortaan online?",
        "group": "Team",
    }
    with translation.override("en"):
        assert target.title(poll) == "Poll “Vergaderen we voortaan online?” in Team"
    assert target.author(poll) == polls_world["people"]["anna"]
    assert target.group(poll) == polls_world["group"]
    assert target.excerpt(poll) == "Kort Ja · Nee · Misschien"


def test_a_poll_is_reported_hidden_by_the_owner_and_deleted_by_a_moderator(
    polls_world, client, django_capture_on_commit_callbacks
):
    people = polls_world["people"]
    poll = make(polls_world)
    assert may_report(people["bram"], poll)
    client.force_login(people["bram"])
    assert client.get(f"/report/poll/{poll.pk}/").status_code == 200
    page = client.get(poll.get_absolute_url()).content.decode()
    assert f'href="/report/poll/{poll.pk}/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        report, _new = moderation.report_item(people["bram"], Kind.POLL, poll.pk, "spam")
        moderation.decide(people["owner"], report, Report.Decision.HIDE, "Reclame")
    poll.refresh_from_db()
    assert poll.hidden_at is not None
    assert client.get(poll.get_absolute_url()).status_code == 404
    client.force_login(people["anna"])  # also its author sees it no more
    assert client.get(poll.get_absolute_url()).status_code == 404
    assert client.get(reverse("polls:results", args=["team", poll.pk])).status_code == 404


def test_a_moderator_deletes_a_reported_poll_with_its_votes(
    polls_world, django_capture_on_commit_callbacks
):
    people = polls_world["people"]
    moderator = make_moderator(UserFactory(is_staff=True))
    poll = make(polls_world)
    services.vote(people["bram"], poll, option_ids(poll, "Ja"))
    with django_capture_on_commit_callbacks(execute=True):
        report, _new = moderation.report_item(people["bram"], Kind.POLL, poll.pk, "abuse")
        moderation.decide(moderator, report, Report.Decision.DELETE, "Ongepast")
    assert not Poll.objects.filter(pk=poll.pk).exists()
    assert not Ballot.objects.exists()


# --- one's data --------------------------------------------------------------------------------


def test_the_export_holds_ones_polls_and_ones_own_votes_also_anonymous(polls_world):
    people = polls_world["people"]
    poll = make(polls_world, results="after_close")
    services.vote(people["anna"], poll, option_ids(poll, "Nee"))
    services.vote(people["bram"], poll, option_ids(poll, "Ja"))
    data, _files = read_zip(run_export(people["anna"]))
    [asked] = data["polls_asked"]
    assert asked["question"] == "Vergaderen we voortaan online?"
    # The result is the page's business: after closing only, so no counts yet.
    assert asked["voters"] is None and {o["votes"] for o in asked["options"]} == {None}
    [vote] = data["poll_votes"]
    assert vote["chosen"] == ["Nee"] and vote["anonymous"] is True
    close_now(poll)
    data, _files = read_zip(run_export(people["anna"]))
    assert data["polls_asked"][0]["voters"] == 2


def test_deleting_an_account_keeps_its_votes_counted_without_a_voter(
    polls_world, django_capture_on_commit_callbacks
):
    people = polls_world["people"]
    poll = make(polls_world)
    services.vote(people["anna"], poll, option_ids(poll, "Ja"))
    services.vote(people["bram"], poll, option_ids(poll, "Ja"))
    with translation.override("en"):
        lines = privacy_services.plan(people["anna"])
    assert "1 poll you asked stays for the group, as by a former member." in lines
    assert "1 vote of yours stays counted, but nobody can tell it was yours." in lines
    with django_capture_on_commit_callbacks(execute=True):
        privacy_services.delete_account(people["anna"])
    poll = Poll.objects.get(pk=poll.pk)
    assert poll.author is None and poll.voter_count == 2
    assert poll.options.get(label="Ja").vote_count == 2
    assert Ballot.objects.filter(poll=poll, voter__isnull=True).count() == 1
