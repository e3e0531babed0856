"""Links that leave the site (issue 19, finding 4): `/\\attacker.example/` and
`/<tab>/attacker.example/` look like paths here, but browsers read them as `//attacker.example`.
One function (meent/links.py) checks every stored link, every e-mail link and every redirect
target; these tests send the probe's values and their cousins through each way in."""

import pytest
from django.urls import reverse

from groups.models import PinnedItem
from meent import links
from notifications.emails import absolute_url
from notifications.models import Notification
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.themes.helpers import errors_of, theme_settings

LEAVING = [
    "/\\attacker.example/",
    "/\t/attacker.example/",
    "/\n/attacker.example/",
    "/\r/attacker.example/",
    "//attacker.example/",
    "\\\\attacker.example/",
    " //attacker.example/",
    "\t//attacker.example/",
    "/\\/attacker.example/",
    "\x00//attacker.example/",
    "\x01/attacker.example/",
    "///attacker.example/",
    "https:attacker.example",
    "javascript:alert(1)",
    "java\tscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "https://attacker.example\\@meent.example/",
    "https://\tattacker.example/",
    "",
    "groups/",
]
STAYING = ["/groups/", "/groups/team/?tab=wiki#top", "/", "/zoeken/?q=open%20source"]
ELSEWHERE = ["https://www.rijksoverheid.nl/", "http://example.org/pad?x=1"]


@pytest.mark.parametrize("url", LEAVING)
def test_leaving_values_are_neither_paths_nor_links(url):
    assert not links.is_local_path(url)
    assert links.safe_link(url) is None
    assert links.local_path_or(url, "/fallback/") == "/fallback/"


@pytest.mark.parametrize("url", STAYING)
def test_paths_here_stay(url):
    assert links.is_local_path(url)
    assert links.safe_link(f"  {url} ") == url


@pytest.mark.parametrize("url", ELSEWHERE)
def test_web_addresses_are_links_but_not_paths(url):
    assert links.safe_link(url) == url
    assert not links.is_local_path(url)


@pytest.mark.django_db
def test_pinned_links_that_leave_the_site_are_refused_in_the_form(client):
    owner = UserFactory()
    group = GroupFactory(slug="team")
    MembershipFactory(group=group, user=owner, role="owner")
    client.force_login(owner)
    url = reverse("groups:pin_add", args=[group.slug])
    for value in ("/\\attacker.example/", "/\t/attacker.example/"):
        response = client.post(url, {"title": "Agenda", "url": value}, HTTP_ACCEPT_LANGUAGE="en")
        assert response.status_code in (302, 400)
        assert not group.pinned_items.exists(), value
    response = client.post(url, {"title": "Agenda", "url": " /groups/ "})
    assert list(group.pinned_items.values_list("url", flat=True)) == ["/groups/"]


@pytest.mark.django_db
def test_a_stored_link_that_leaves_the_site_is_shown_without_a_link(client):
    """Links saved before the check stay harmless: the title is shown, no href."""
    group = GroupFactory(slug="team", content_default="open")
    PinnedItem.objects.create(group=group, title="Oud", url="/\\attacker.example/", position=0)
    PinnedItem.objects.create(group=group, title="Goed", url="/groups/", position=1)
    html = client.get(reverse("groups:home", args=[group.slug])).content.decode()
    assert "attacker.example" not in html
    assert "Oud" in html and 'href="/groups/">Goed' in html


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/\\attacker.example/", "/\t/attacker.example/", "//x.example"])
def test_theme_links_that_leave_the_site_are_refused(url):
    instance = theme_settings(header_links=[("link", {"label": "Weg", "url": url})])
    assert "header_links" in errors_of(instance)
    instance = theme_settings(footer_links=[("link", {"label": "Weg", "url": url})])
    assert "footer_links" in errors_of(instance)


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/\\attacker.example/", "/\t/attacker.example/"])
def test_notifications_never_lead_off_the_site(client, url, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://meent.example"
    assert absolute_url(url) == "https://meent.example" + reverse("notifications:list")
    person = UserFactory()
    notification = Notification.objects.create(recipient=person, kind="mention", text="x", url=url)
    client.force_login(person)
    response = client.get(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:list")


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["/\\attacker.example/", "/\t/attacker.example/", "//x.example"])
def test_next_parameters_never_lead_off_the_site(client, value):
    """Sign-in and the language switch take ``next=``: both stay on the site."""
    person = UserFactory(email="anna@voorbeeld.nl")
    person.set_password("een-lang-wachtwoord")
    person.save()
    response = client.post(
        reverse("account_login") + "?next=" + value,
        {"login": "anna@voorbeeld.nl", "password": "een-lang-wachtwoord", "next": value},
    )
    assert response.status_code == 302
    assert links.is_local_path(response["Location"]), response["Location"]
    response = client.post(reverse("set_language"), {"language": "en", "next": value})
    assert response.status_code == 302
    assert links.is_local_path(response["Location"]), response["Location"]
