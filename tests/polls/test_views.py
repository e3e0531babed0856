"""The polls' pages: asking through the form (its wall-clock end, "add more options", every bad
input re-rendered with nothing saved, a form sent twice), voting and the refusals' 4xx, the
results hidden before voting or closing (also from the page's source and the JSON), who voted
what, the list, both languages, another community's host, and the queries flat for 10 and
1,000 polls and for 10,000 votes."""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from wagtail.models import Page, Site

from polls import services
from polls.models import Ballot, Option, Poll
from tests.factories import GroupFactory, MembershipFactory
from tests.helpers import count_queries
from tests.polls.conftest import close_now, make, option_ids

pytestmark = pytest.mark.django_db


def in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def wall(days=10, hour=10):
    """A wall-clock end ``days`` ahead, as a datetime-local field sends it."""
    day = (timezone.now() + datetime.timedelta(days=days)).date()
    return f"{day:%Y-%m-%d}T{hour:02d}:00", day


def form_data(**overrides):
    ends, _day = wall()
    data = {
        "question": "Waar houden we de heidag?",
        "description": "Kies <b>gerust</b>.",
        "option": ["Utrecht", "Zwolle", "Den Bosch", "", ""],
        "multiple": "0",
        "max_choices": "",
        "ends_at": ends,
        "results": "after_vote",
        "anonymous": "1",
        "submission_key": "a" * 32,
    }
    data.update(overrides)
    return data


def text_of(response):
    return response.content.decode()


def test_a_member_asks_through_the_form_with_the_end_in_dutch_time(client, polls_world):
    group = polls_world["group"]
    client.force_login(polls_world["people"]["anna"])
    url = reverse("polls:new", args=[group.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert len(re.findall(r'name="option"', text_of(page))) == 5
    response = client.post(url, form_data())
    poll = Poll.objects.get()
    assert response.status_code == 302 and response["Location"] == poll.get_absolute_url()
    assert [o.label for o in poll.options.all()] == ["Utrecht", "Zwolle", "Den Bosch"]
    _ends, day = wall()
    amsterdam = datetime.datetime.combine(
        day, datetime.time(10), tzinfo=timezone.get_default_timezone()
    )
    assert poll.ends_at == amsterdam
    # The description is plain text: its markup is gone.
    assert poll.description == "Kies gerust."
    # The same submission again makes nothing new.
    again = client.post(url, form_data())
    assert again.status_code == 302 and Poll.objects.count() == 1


def test_add_more_options_shows_more_rows_and_saves_nothing(client, polls_world):
    client.force_login(polls_world["people"]["anna"])
    url = reverse("polls:new", args=[polls_world["group"].slug])
    response = client.post(url, form_data(more="1"))
    assert response.status_code == 200 and not Poll.objects.exists()
    body = text_of(response)
    assert len(re.findall(r'name="option"', body)) == 8  # three typed, five more
    assert 'value="Zwolle"' in body


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"option": ["Utrecht", "", ""]}, "Give at least two options."),
        ({"option": [f"Plek {n}" for n in range(21)]}, "A poll has at most 20 options."),
        ({"option": ["Utrecht", "utrecht ", "Zwolle"]}, "is there twice"),
        ({"question": ""}, "Ask a question."),
        ({"ends_at": "2020-01-01T10:00"}, "The end has passed."),
    ],
)
def test_bad_input_re_renders_the_form_with_its_message(client, polls_world, overrides, message):
    in_english(client).force_login(polls_world["people"]["anna"])
    url = reverse("polls:new", args=[polls_world["group"].slug])
    response = client.post(url, form_data(**overrides))
    assert response.status_code == 400
    assert message in text_of(response)
    assert not Poll.objects.exists() and not Option.objects.exists()
    # What was typed is kept.
    if overrides.get("question") != "":
        assert "Waar houden we de heidag?" in text_of(response)


def test_outsiders_may_not_ask_and_a_switched_off_tab_is_not_there(client, polls_world):
    group = polls_world["group"]
    client.force_login(polls_world["people"]["outsider"])
    assert client.get(reverse("polls:new", args=[group.slug])).status_code == 403
    assert client.get(reverse("polls:list", args=[group.slug])).status_code == 403
    group.polls_enabled = False
    group.save()
    client.force_login(polls_world["people"]["anna"])
    assert client.get(reverse("polls:list", args=[group.slug])).status_code == 404


def test_vote_change_and_see_the_chart_and_the_table(client, polls_world):
    poll = make(polls_world)
    url = poll.get_absolute_url()
    in_english(client).force_login(polls_world["people"]["bram"])
    before = text_of(client.get(url))
    assert "poll-chart" not in before and "Votes per option" not in before
    assert "once you have voted" in before
    assert client.get(reverse("polls:results", args=["team", poll.pk])).status_code == 403
    vote_url = reverse("polls:vote", args=["team", poll.pk])
    response = client.post(vote_url, {"option": option_ids(poll, "Ja")})
    assert response.status_code == 302 and response["Location"] == url
    after = text_of(client.get(url))
    assert "poll-chart__bar" in after and 'style="width: 100%"' in after
    assert "1 vote, 100%" in after and ">Votes per option</caption>" in after
    assert "Change my vote" in after
    client.post(vote_url, {"option": option_ids(poll, "Nee")})
    data = client.get(reverse("polls:results", args=["team", poll.pk])).json()
    assert data["voters"] == 1
    assert [(o["label"], o["votes"], o["percent"]) for o in data["options"]] == [
        ("Ja", 0, 0),
        ("Nee", 1, 100),
        ("Misschien", 0, 0),
    ]


@pytest.mark.parametrize("case", ["two_on_single", "none", "foreign"])
def test_a_bad_vote_is_400_with_its_reason_and_nothing_saved(client, polls_world, case):
    poll = make(polls_world)
    other = make(polls_world, question="Iets anders?")
    wanted = {
        "two_on_single": option_ids(poll, "Ja", "Nee"),
        "none": [],
        "foreign": option_ids(other, "Ja"),
    }[case]
    in_english(client).force_login(polls_world["people"]["bram"])
    response = client.post(reverse("polls:vote", args=["team", poll.pk]), {"option": wanted})
    assert response.status_code == 400
    reason = {
        "two_on_single": "Choose one option.",
        "none": "Choose an option to vote.",
        "foreign": "Choose from the poll&#x27;s options.",
    }[case]
    assert reason in text_of(response)
    assert not Ballot.objects.exists()


def test_after_the_end_a_vote_is_refused_and_everyone_sees_the_result(client, polls_world):
    poll = make(polls_world, results="after_close")
    services.vote(polls_world["people"]["anna"], poll, option_ids(poll, "Ja"))
    close_now(poll)
    in_english(client).force_login(polls_world["people"]["bram"])
    response = client.post(
        reverse("polls:vote", args=["team", poll.pk]), {"option": option_ids(poll, "Nee")}
    )
    assert response.status_code == 409 and "votes are no longer taken" in text_of(response)
    page = text_of(client.get(poll.get_absolute_url()))
    assert "1 vote, 100%" in page and "This poll has closed" in page


def test_after_closing_hides_every_count_before_the_end_also_from_the_author(client, polls_world):
    people = polls_world["people"]
    poll = make(polls_world, results="after_close")
    for name, label in (("anna", "Ja"), ("bram", "Ja"), ("cor", "Nee")):
        services.vote(people[name], poll, option_ids(poll, label))
    results = reverse("polls:results", args=["team", poll.pk])
    for name in ("anna", "owner", "bram"):
        in_english(client).force_login(people[name])
        page = text_of(client.get(poll.get_absolute_url()))
        assert "poll-chart" not in page and "<table" not in page
        assert not re.search(r"\b[23] vote|\b3 voter|3 people", page)
        assert "once the poll has closed" in page
        listing = text_of(client.get(reverse("polls:list", args=["team"])))
        assert "3 voters" not in listing and "votes counted when it closes" in listing
        answer = client.get(results)
        assert answer.status_code == 403
        assert answer.json() == {"error": "The results are shown once the poll has closed."}
    close_now(poll)
    data = client.get(results).json()
    assert data["voters"] == 3 and data["options"][0]["votes"] == 2


def test_who_voted_what_is_for_the_owners_and_admins_of_a_named_poll(client, polls_world):
    people = polls_world["people"]
    named = make(polls_world, anonymous=False)
    services.vote(people["bram"], named, option_ids(named, "Nee"))
    services.vote(people["owner"], named, option_ids(named, "Ja"))
    url = reverse("polls:voters", args=["team", named.pk])
    in_english(client).force_login(people["owner"])
    page = text_of(client.get(named.get_absolute_url()))
    assert "Who voted what" in page
    listing = client.get(url)
    assert listing.status_code == 200
    assert "Bram Test" in text_of(listing) and "<td>Nee</td>" in text_of(listing)
    client.force_login(people["bram"])
    assert client.get(url).status_code == 403
    anonymous = make(polls_world, question="Anoniem?")
    services.vote(people["owner"], anonymous, option_ids(anonymous, "Ja"))
    client.force_login(people["owner"])
    refused = client.get(reverse("polls:voters", args=["team", anonymous.pk]))
    assert refused.status_code == 403 and "anonymous" in text_of(refused)


def test_the_list_open_first_ending_soonest_then_closed_and_you_voted(client, polls_world):
    people = polls_world["people"]
    later_one = make(
        polls_world, question="Later?", ends_at=timezone.now() + datetime.timedelta(days=9)
    )
    sooner = make(
        polls_world, question="Eerder?", ends_at=timezone.now() + datetime.timedelta(days=2)
    )
    closed = close_now(make(polls_world, question="Voorbij?"))
    services.vote(people["bram"], sooner, option_ids(sooner, "Ja"))
    in_english(client).force_login(people["bram"])
    body = text_of(client.get(reverse("polls:list", args=["team"])))
    assert body.index("Eerder?") < body.index("Later?") < body.index("Voorbij?")
    assert body.count("you voted") == 1 and "1 voter" in body
    assert closed.question in body and "closed " in body and "ends " in body
    assert later_one.question in body


def test_the_author_edits_and_closes_early(client, polls_world):
    people = polls_world["people"]
    poll = make(polls_world)
    services.vote(people["bram"], poll, option_ids(poll, "Ja"))
    in_english(client).force_login(people["anna"])
    edit = reverse("polls:edit", args=["team", poll.pk])
    page = text_of(client.get(edit))
    assert "People have voted: the options" in page and 'name="option"' not in page
    ends, _day = wall(days=3)
    response = client.post(
        edit, {"question": "Online vergaderen?", "description": "", "ends_at": ends}
    )
    assert response.status_code == 302
    poll.refresh_from_db()
    assert poll.question == "Online vergaderen?" and poll.voter_count == 1
    client.force_login(people["bram"])
    assert client.get(edit).status_code == 403
    assert client.post(reverse("polls:close", args=["team", poll.pk])).status_code == 403
    client.force_login(people["anna"])
    assert client.post(reverse("polls:close", args=["team", poll.pk])).status_code == 302
    poll.refresh_from_db()
    assert not poll.is_open()


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_in_both_languages(client, polls_world, language):
    people = polls_world["people"]
    poll = make(polls_world, who="owner", anonymous=False)
    services.vote(people["owner"], poll, option_ids(poll, "Ja"))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(people["owner"])
    pages = {
        reverse("polls:list", args=["team"]): "New poll",
        reverse("polls:new", args=["team"]): "Add more options",
        poll.get_absolute_url(): "Change my vote",
        reverse("polls:edit", args=["team", poll.pk]): (
            "People have voted: the options, and how people choose, cannot change any more."
        ),
        reverse(
            "polls:voters", args=["team", poll.pk]
        ): "Only the group's owners and admins see this list.",
    }
    for url, english in pages.items():
        response = client.get(url)
        assert response.status_code == 200, url
        with translation.override(language):
            word = gettext(english)
        assert f'lang="{language}"' in text_of(response)
        assert word in text_of(response), (url, word)


def test_another_communitys_poll_leads_to_its_own_host(client, polls_world, settings):
    settings.ALLOWED_HOSTS = ["testserver", "oost.testserver"]
    other = Site.objects.create(
        hostname="oost.testserver", port=80, root_page=Page.get_first_root_node(), site_name="Oost"
    )
    oost = GroupFactory(slug="oost", name="Oost", site=other, content_default="open")
    MembershipFactory(group=oost, user=polls_world["people"]["anna"], role="owner")
    world = {"people": polls_world["people"], "group": oost}
    poll = make(world)
    response = client.get(poll.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"http://oost.testserver{poll.get_absolute_url()}"
    assert client.get(poll.get_absolute_url(), HTTP_HOST="oost.testserver").status_code == 200


# --- queries -----------------------------------------------------------------------------------


def add_polls(world, count, *, voted_by=None):
    """``count`` polls made in bulk (half open, half closed), with a ballot of ``voted_by``."""
    now = timezone.now()
    polls = Poll.objects.bulk_create(
        Poll(
            group=world["group"],
            author=world["people"]["anna"],
            question=f"Vraag {number}?",
            ends_at=now + datetime.timedelta(hours=(number % 2) * 48 - 24 + number % 7),
            voter_count=number % 5,
        )
        for number in range(count)
    )
    if voted_by is not None:
        Ballot.objects.bulk_create(Ballot(poll=poll, voter=voted_by) for poll in polls[::3])
    return polls


def test_the_list_costs_the_same_for_10_and_1000_polls(client, polls_world):
    bram = polls_world["people"]["bram"]
    client.force_login(bram)
    url = reverse("polls:list", args=["team"])
    add_polls(polls_world, 10, voted_by=bram)
    few = count_queries(client, url)
    add_polls(polls_world, 990, voted_by=bram)
    many = count_queries(client, url)
    assert few == many
    client.logout()
    polls_world["group"].content_default = "open"
    polls_world["group"].save()
    assert count_queries(client, url) <= few


def test_the_closed_polls_page_and_the_open_ones_lead_the_first_page(client, polls_world):
    client.force_login(polls_world["people"]["bram"])
    url = reverse("polls:list", args=["team"])
    polls = add_polls(polls_world, 60)  # 30 open, 30 closed
    first = client.get(url).content.decode()
    second = client.get(url, {"page": 2}).content.decode()
    closed = sorted((p for p in polls if p.ends_at <= timezone.now()), key=lambda p: p.ends_at)
    newest_closed, oldest_closed = closed[-1], closed[0]
    some_open = next(p for p in polls if p.ends_at > timezone.now())
    assert some_open.question in first and newest_closed.question in first
    assert oldest_closed.question not in first
    assert oldest_closed.question in second and some_open.question not in second
    assert 'rel="next"' in first and 'rel="prev"' in second
    assert client.get(url, {"page": "twee"}).status_code == 400


def test_a_poll_with_10000_votes_costs_what_one_with_3_costs(client, polls_world):
    people = polls_world["people"]
    small = make(polls_world, question="Klein?")
    big = make(polls_world, question="Groot?")
    for name in ("anna", "bram", "cor"):
        services.vote(people[name], small, option_ids(small, "Ja"))
        services.vote(people[name], big, option_ids(big, "Ja"))
    # 10,000 more ballots, made in bulk, with the counts kept as the services keep them.
    Ballot.objects.bulk_create(Ballot(poll=big, voter=None) for _ in range(10_000))
    Poll.objects.filter(pk=big.pk).update(voter_count=10_003)
    Option.objects.filter(poll=big, label="Nee").update(vote_count=10_000)
    client.force_login(people["bram"])
    small_page = count_queries(client, small.get_absolute_url())
    big_page = count_queries(client, big.get_absolute_url())
    assert small_page == big_page
    big_json = count_queries(client, reverse("polls:results", args=["team", big.pk]))
    assert big_json == count_queries(client, reverse("polls:results", args=["team", small.pk]))
    in_english(client)
    assert "10000 votes, 100%" in text_of(client.get(big.get_absolute_url()))
