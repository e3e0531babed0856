import io

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.core.management import call_command

from accounts.models import Organisation, User
from files.models import Folder, GroupFile
from groups.models import Group, Membership
from home.models import HomePage
from moderation.models import Report

pytestmark = pytest.mark.django_db


def counts():
    return {
        "people": User.objects.count(),
        "organisations": Organisation.objects.count(),
        "groups": Group.objects.count(),
        "memberships": Membership.objects.count(),
        "addresses": EmailAddress.objects.count(),
        "home pages": HomePage.objects.count(),
        "open reports": Report.objects.open().count(),
        "folders": Folder.objects.count(),
        "group files": list(GroupFile.objects.values_list("name", "last_number")),
    }


def test_load_demo_is_idempotent_and_uses_the_demo_password(monkeypatch):
    monkeypatch.setenv("MEENT_DEMO_PASSWORD", "een-eigen-demo-wachtwoord")
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    first = counts()
    call_command("load_demo", stdout=io.StringIO())
    assert counts() == first

    assert first["people"] >= 12
    assert first["groups"] >= 3
    # Dutch and its English translation, for the default community and the demo's second.
    assert first["home pages"] == 4
    assert first["open reports"] == 1  # something for the moderators' queue to show
    # Real documents of every kind in groups of both communities, their words read for search.
    files = GroupFile.objects.select_related("group__site")
    assert {f.extension for f in files} == {"pdf", "docx", "odt", "csv", "png"}
    assert {f.group.site.hostname for f in files} >= {"oost.localhost"}
    assert all(f.text_status == "done" for f in files if f.extension != "png")
    assert "formulierenbouwblok" in files.get(name="Componentenoverzicht 2026.pdf").text
    assert files.get(name="Samenwerkingsovereenkomst.docx").versions.count() == 2
    printed = out.getvalue()
    assert "een-eigen-demo-wachtwoord" in printed
    assert "moderator@minbzk.nl" in printed
    assert "[##############################] " in printed  # the progress bar reached the end

    organisations_with_people = Organisation.objects.filter(members__isnull=False).distinct()
    assert organisations_with_people.count() >= 3
    moderator = authenticate(email="moderator@minbzk.nl", password="een-eigen-demo-wachtwoord")
    assert moderator is not None and moderator.is_staff
    assert moderator.groups.filter(name="Moderators").exists()
    manager = User.objects.get(email="redactie@minbzk.nl")
    assert manager.groups.filter(name="Community managers").exists()
    assert User.objects.get(email="anna.jansen@minbzk.nl").organisation.name == "Ministerie van BZK"
    assert User.objects.get(email="gast@voorbeeld.nl").organisation is None


def test_demo_home_page_is_served(client):
    call_command("load_demo", stdout=io.StringIO())
    response = client.get("/")
    assert response.status_code == 200
    assert "Samenwerken over de grenzen" in response.content.decode()


def test_the_demo_has_a_second_community_with_its_own_group(client, settings):
    from wagtail.models import Site

    settings.ALLOWED_HOSTS = [".localhost", "testserver"]
    call_command("load_demo", stdout=io.StringIO())
    site = Site.objects.get(hostname="oost.localhost")
    assert Group.objects.get(slug="dijken-en-water").site == site
    assert Group.objects.get(slug="open-source-overheid").site.is_default_site
    home = client.get("/", HTTP_HOST="oost.localhost:8000").content.decode()
    assert "Regio Oost" in home
    groups = client.get("/groups/", HTTP_HOST="oost.localhost:8000").content.decode()
    assert "Dijken en water" in groups and "Open source in de overheid" not in groups
    assert client.get("/toolbox/", HTTP_HOST="oost.localhost:8000").status_code == 200
    from themes.models import ThemeSettings

    theme = ThemeSettings.for_site(site)
    # Its own header and link colours: nothing looks like the main community.
    assert (theme.primary_colour, theme.secondary_colour) == ("#7a1f5c", "#8a2468")


def test_the_demo_communities_are_where_make_demo_serves_them(client, settings):
    """Wagtail starts with a site at localhost:80, where nothing answers: every full URL built
    from it (a redirect to another community, a share link) was a dead end on make demo's port."""
    from wagtail.models import Site

    settings.ALLOWED_HOSTS = [".localhost", "127.0.0.1", "testserver"]
    call_command("load_demo", "--quiet-accounts", "--port", "8123", stdout=io.StringIO())
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8123"
    assert Site.objects.get(hostname="oost.localhost").root_url == "http://oost.localhost:8123"
    call_command("load_demo", "--quiet-accounts", "--port", "8124", stdout=io.StringIO())
    assert Site.objects.get(is_default_site=True).root_url == "http://127.0.0.1:8124"
    assert Site.objects.get(hostname="oost.localhost").root_url == "http://oost.localhost:8124"
    # The main community's group asked for on the second community's host leads to its own.
    response = client.get("/groups/open-source-overheid/", HTTP_HOST="oost.localhost:8124")
    assert response.status_code in (301, 302)
    assert response["Location"].startswith("http://127.0.0.1:8124/groups/open-source-overheid/")
