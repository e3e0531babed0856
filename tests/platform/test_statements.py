"""The privacy and accessibility statements: CMS pages seeded by the demo and for every new
community, linked from every page's footer (from the cache), one of each per community."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Site

from home.models import AccessibilityStatementPage, HomePage, PrivacyStatementPage
from home.templatetags.statements import statement_urls

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(demo_once, db, settings):
    """The demo, loaded once for this module (tests/platform/conftest.py)."""
    settings.MEDIA_ROOT = demo_once
    settings.ALLOWED_HOSTS = [".localhost", "testserver"]


def test_the_demo_publishes_both_statements_in_both_languages(demo, client):
    home = Site.objects.get(is_default_site=True).root_page
    for model, path, dutch, english in (
        (PrivacyStatementPage, "/privacy/", "Privacyverklaring", "Privacy statement"),
        (
            AccessibilityStatementPage,
            "/toegankelijkheid/",
            "Toegankelijkheidsverklaring",
            "Accessibility statement",
        ),
    ):
        page = model.objects.child_of(home).get()
        assert page.live and page.last_reviewed
        assert {p.locale.language_code for p in page.get_translations(inclusive=True)} == {
            "nl",
            "en",
        }
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="nl")
        assert response.status_code == 200
        assert f"<h1>{dutch}</h1>" in response.content.decode()
        assert "Laatst gecontroleerd op" in response.content.decode()
        response = client.get(path, HTTP_ACCEPT_LANGUAGE="en")
        assert f"<h1>{english}</h1>" in response.content.decode()


def test_every_page_links_to_the_statements_in_its_footer(demo, client):
    html = client.get("/groups/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert '<a href="/privacy/" >Privacy statement</a>' in footer
    assert '<a href="/toegankelijkheid/" >Accessibility statement</a>' in footer
    html = client.get("/privacy/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<a href="/privacy/" aria-current="page">Privacy statement</a>' in html


def test_the_footer_links_cost_no_query_once_warm_and_follow_unpublishing(demo, rf):
    request = rf.get("/", HTTP_HOST="localhost")
    assert set(statement_urls(request)) == {"privacy", "accessibility"}
    with CaptureQueriesContext(connection) as queries:
        statement_urls(request)
    assert len(queries) == 0
    home = Site.objects.get(is_default_site=True).root_page
    PrivacyStatementPage.objects.child_of(home).get().unpublish()
    assert set(statement_urls(request)) == {"accessibility"}


def test_one_statement_of_each_kind_per_community(demo):
    home = Site.objects.get(is_default_site=True).root_page.specific
    assert isinstance(home, HomePage)
    assert not PrivacyStatementPage.can_create_at(home)
    assert not AccessibilityStatementPage.can_create_at(home)
    call_command("load_demo", "--quiet-accounts", stdout=io.StringIO())
    assert PrivacyStatementPage.objects.count() == 4  # two communities, two languages


def test_a_new_community_starts_with_both_statements(settings, client):
    from communities.services import NewCommunity, create_community

    settings.ALLOWED_HOSTS = ["testserver", "west.example.org"]
    site = create_community(NewCommunity(name="West", hostname="west.example.org", port=80))
    assert PrivacyStatementPage.objects.child_of(site.root_page).live().exists()
    assert AccessibilityStatementPage.objects.child_of(site.root_page).live().exists()
    response = client.get("/toegankelijkheid/", HTTP_HOST="west.example.org")
    assert response.status_code == 200
