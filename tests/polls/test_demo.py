"""The demo's polls (demo/content/polls.yaml) as ``load_demo`` loads them: an open poll with
votes from several people, a closed one with its result, a named one with several answers, one
on the second community; loading again adds nothing; an option a vote names that the poll does
not have is refused with where it is."""

import io

import pytest
import yaml
from django.core.management import call_command

from accounts.models import User
from demo.loader import DemoDataError
from demo.polls import load_polls
from polls.models import Ballot, Poll

pytestmark = pytest.mark.django_db


def test_the_demo_has_open_closed_and_named_polls_on_both_communities():
    call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())
    assert Poll.objects.count() == 4
    meetup = Poll.objects.get(group__slug="open-source-overheid")
    assert meetup.is_open() and meetup.voter_count == 3
    assert {o.label: o.vote_count for o in meetup.options.all()}["Woensdag 15 april"] == 2
    template = Poll.objects.get(group__slug="privacy-avg")
    assert not template.is_open() and template.results == "after_close"
    assert template.voter_count == 3
    dashboard = Poll.objects.get(group__slug="data-dashboards")
    assert not dashboard.anonymous and dashboard.multiple and dashboard.max_choices == 2
    oost = Poll.objects.get(group__slug="dijken-en-water")
    assert oost.group.site.hostname.startswith("oost.")
    people = {person.email: person for person in User.objects.all()}
    load_polls(people)
    assert Poll.objects.count() == 4 and Ballot.objects.count() == 9


def test_a_vote_for_an_option_the_poll_does_not_have_is_refused(tmp_path):
    call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())
    Poll.objects.all().delete()
    data = {
        "polls": [
            {
                "group": "open-source-overheid",
                "author": "anna.jansen@minbzk.nl",
                "question": "Welke dag?",
                "options": ["Maandag", "Dinsdag"],
                "days": 3,
                "votes": [{"by": "pieter.smit@rws.nl", "choose": ["Zondag"]}],
            }
        ]
    }
    (tmp_path / "polls.yaml").write_text(yaml.safe_dump(data), encoding="utf-8")
    people = {person.email: person for person in User.objects.all()}
    with pytest.raises(DemoDataError, match=r"polls\[0\]\.votes\[0\]\.choose: no option 'Zondag'"):
        load_polls(people, content=tmp_path)
