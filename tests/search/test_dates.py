"""Search shows dates in the page's language: a result's date and the date filters read
"7 december 2026" in Dutch and "7 December 2026" in English (never the American "Dec. 7, 2026")."""

from datetime import datetime

import pytest
from django.utils import timezone

from search.backends import DatabaseBackend
from search.models import SearchEntry
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from wiki import services as wiki_services

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _database_backend(settings):
    settings.ELASTICSEARCH_URL = ""
    DatabaseBackend().clear()


@pytest.fixture
def dated_page(drain):
    owner = UserFactory()
    group = GroupFactory(slug="fietspaden", content_default="open")
    MembershipFactory(group=group, user=owner, role="owner")
    page = wiki_services.create_page(
        owner, group, title="Fietsroute noord", body="<p>Langs het kanaal</p>", visibility="public"
    )
    drain()
    moment = timezone.make_aware(datetime(2026, 12, 7, 10, 30))
    assert SearchEntry.objects.filter(title="Fietsroute noord").update(date=moment) == 1
    return page


@pytest.mark.parametrize(
    ("language", "hit_date", "from_filter", "wrong"),
    [
        ("nl", "7 december 2026", "1 maart 2026", "December"),
        ("en", "7 December 2026", "1 March 2026", "Dec. 7"),
    ],
)
def test_result_dates_and_date_filters_in_the_pages_language(
    client, dated_page, language, hit_date, from_filter, wrong
):
    client.cookies["meent_language"] = language
    response = client.get("/search/", {"q": "fietsroute", "from": "2026-03-01"})
    assert response.status_code == 200
    html = response.content.decode()
    assert response.context["results"].total == 1
    assert f'<time datetime="2026-12-07T10:30:00+01:00">{hit_date}</time>' in html
    assert f": {from_filter}</span>" in html
    assert wrong not in html
