"""The demo's discussions (demo/content/discussions.yaml) as ``load_demo`` loads them: a quoted
reply, a pinned and a closed discussion, one on the second community; loading again adds
nothing; a quote of a reply that is not there yet is refused with where it is."""

import io

import pytest
from django.core.management import call_command

from demo.discussions import _quote, load_discussions
from demo.loader import DemoDataError
from discussions.models import Discussion, Reply

pytestmark = pytest.mark.django_db


def test_the_demo_has_quoted_pinned_and_closed_discussions_on_both_communities():
    call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())
    assert Discussion.objects.count() == 4
    assert Discussion.objects.filter(pinned_at__isnull=False).count() == 1
    assert Discussion.objects.filter(closed_at__isnull=False).count() == 1
    assert Reply.objects.filter(quoted__isnull=False).count() == 2
    assert Reply.objects.filter(quotes_start=True).count() == 2
    oost = Discussion.objects.get(group__slug="dijken-en-water")
    assert oost.group.site.hostname.startswith("oost.")
    licence = Discussion.objects.get(title="EUPL of MIT voor onze gedeelde code?")
    assert licence.reply_count == 3 and licence.is_pinned
    from accounts.models import User

    people = {person.email: person for person in User.objects.all()}
    load_discussions(people)
    assert Discussion.objects.count() == 4 and Reply.objects.count() == 8


def test_a_quote_names_start_or_an_earlier_reply():
    assert _quote({"quote": "start"}, [], "here") == "start"
    assert _quote({}, [], "here") is None
    for wrong in ("reply 1", "reply x", "1"):
        with pytest.raises(DemoDataError, match="here.quote"):
            _quote({"quote": wrong}, [], "here")
