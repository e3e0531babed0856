"""Communities: an operator adds one (a Site with its own host name, home page and toolbox) from
the admin; groups, their lists and search belong to the community whose host they were made on;
a group's pages are served on its own host; people use one account on every community."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from wagtail.models import Page, Site

from groups.models import Group
from home.models import HomePage
from search.backends import SearchQuery, get_search_backend
from tests.factories import DEFAULT_PASSWORD, GroupFactory, UserFactory
from tests.helpers import activate_totp
from tests.toolbox.factories import ToolboxSectionPageFactory
from toolbox.models import ToolboxIndexPage

pytestmark = pytest.mark.django_db

HOST_A = "localhost"  # the default site of the test database
HOST_B = "samen.voorbeeld.nl"


@pytest.fixture(autouse=True)
def hosts(settings):
    settings.ALLOWED_HOSTS = ["testserver", "localhost", HOST_B, ".example.org"]


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def operator():
    user = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(user)
    return user


@pytest.fixture
def admin_client(operator):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(operator)
    return client


@pytest.fixture
def community_b():
    from communities.services import NewCommunity, create_community

    return create_community(NewCommunity(name="Samen Voorbeeld", hostname=HOST_B, port=80))


def on(host, user=None):
    client = Client(HTTP_HOST=host, HTTP_ACCEPT_LANGUAGE="en")
    if user is not None:
        client.force_login(user)
    return client


# --- Adding a community -----------------------------------------------------------------------


def test_the_operator_adds_a_community_from_the_admin(admin_client):
    response = admin_client.get("/admin/communities/")
    assert response.status_code == 200
    assert "Add a community" in response.content.decode()
    response = admin_client.get("/admin/communities/add/")
    assert response.status_code == 200
    response = admin_client.post(
        "/admin/communities/add/",
        {
            "name": "Samen Voorbeeld",
            "hostname": "Samen.Voorbeeld.NL",
            "port": "443",
            "introduction": "Samenwerken in de regio.",
        },
        follow=True,
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The community Samen Voorbeeld has been added at https://samen.voorbeeld.nl" in html
    site = Site.objects.get(hostname="samen.voorbeeld.nl", port=443)
    assert site.site_name == "Samen Voorbeeld" and not site.is_default_site
    home = site.root_page.specific
    assert isinstance(home, HomePage) and home.live and home.title == "Samen Voorbeeld"
    assert home.introduction == "Samenwerken in de regio."
    toolbox = ToolboxIndexPage.objects.child_of(home).get()
    assert toolbox.live
    # Both languages, like the default site: the English tree is served at the same address.
    assert {page.locale.language_code for page in home.get_translations(inclusive=True)} == {
        "nl",
        "en",
    }
    toolboxes = ToolboxIndexPage.objects.filter(translation_key=toolbox.translation_key)
    assert toolboxes.count() == 2
    # Community managers write in both, moderators approve (toolbox/roles.py).
    from toolbox.roles import WORKFLOW_NAME

    assert {index.get_workflow().name for index in toolboxes} == {WORKFLOW_NAME}
    # The list shows it with its address.
    assert "https://samen.voorbeeld.nl" in admin_client.get("/admin/communities/").content.decode()


def test_a_host_that_is_not_allowed_yet_is_mentioned(admin_client):
    response = admin_client.post(
        "/admin/communities/add/",
        {"name": "Elders", "hostname": "elders.voorbeeld.nl", "port": "443"},
        follow=True,
    )
    html = response.content.decode()
    assert "does not answer for elders.voorbeeld.nl yet" in html
    assert Site.objects.filter(hostname="elders.voorbeeld.nl").exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (
            {"name": "X", "hostname": "https://x.voorbeeld.nl", "port": "443"},
            "hostname",
            "without https://",
        ),
        ({"name": "X", "hostname": "x_y.nl", "port": "443"}, "hostname", "is not a host name"),
        ({"name": "X", "hostname": "-x.nl", "port": "443"}, "hostname", "is not a host name"),
        ({"name": "X", "hostname": "x..nl", "port": "443"}, "hostname", "is not a host name"),
        ({"name": "X", "hostname": "<script>", "port": "443"}, "hostname", "is not a host name"),
        ({"name": "X", "hostname": "localhost", "port": "80"}, "hostname", "already a community"),
        ({"name": "   ", "hostname": "x.nl", "port": "443"}, "name", "This field is required"),
        ({"name": "X", "hostname": "x.nl", "port": "70000"}, "port", "less than or equal to 65535"),
        ({"name": "X", "hostname": "", "port": "443"}, "hostname", "This field is required"),
    ],
)
def test_bad_input_re_renders_with_the_reason_and_adds_nothing(admin_client, data, field, message):
    sites, pages = Site.objects.count(), Page.objects.count()
    response = admin_client.post("/admin/communities/add/", data)
    assert response.status_code == 200
    form = response.context["form"]
    assert any(message in error for error in form.errors[field]), form.errors
    assert "The community was not added. Correct the errors below." in response.content.decode()
    assert (Site.objects.count(), Page.objects.count()) == (sites, pages)


def test_only_operators_manage_communities():
    staff = UserFactory(is_staff=True)
    activate_totp(staff)
    from django.contrib.auth.models import Permission

    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client = Client()
    client.force_login(staff)
    sites = Site.objects.count()
    assert client.get("/admin/communities/").status_code in (302, 403)
    response = client.post(
        "/admin/communities/add/", {"name": "X", "hostname": "x.nl", "port": 443}
    )
    assert response.status_code in (302, 403)
    assert Site.objects.count() == sites


def test_the_management_command(capsys):
    call_command("add_community", "Regio Oost", "oost.example.org", "--port", "443")
    assert Site.objects.filter(hostname="oost.example.org").exists()
    assert "https://oost.example.org" in capsys.readouterr().out
    with pytest.raises(CommandError, match="already a community"):
        call_command("add_community", "Regio Oost", "oost.example.org", "--port", "443")
    with pytest.raises(CommandError, match="is not a host name"):
        call_command("add_community", "Kapot", "kapot_host")


# --- Each community its own home, toolbox and groups -----------------------------------------


def test_each_host_serves_its_own_home_and_toolbox(community_b):
    home_b = on(HOST_B).get("/")
    assert home_b.status_code == 200
    assert "Samen Voorbeeld" in home_b.content.decode()
    assert on(HOST_B).get("/toolbox/").status_code == 200
    # A new community's toolbox is empty: no menu item to an empty page until something is in it.
    assert 'href="/toolbox/"' not in on(HOST_B).get("/groups/").content.decode()
    index = ToolboxIndexPage.objects.descendant_of(community_b.root_page).first()
    ToolboxSectionPageFactory(parent=index).save_revision().publish()
    assert 'href="/toolbox/"' in on(HOST_B).get("/groups/").content.decode()


def test_a_group_belongs_to_the_community_it_was_made_on(community_b):
    person = UserFactory()
    response = on(HOST_B, person).post(
        "/groups/new/",
        {
            "name": "Fietspaden Oost",
            "slug": "fietspaden-oost",
            "description": "",
            "membership_policy": "open",
            "visibility": "listed",
            "content_default": "open",
            "wiki_enabled": "on",
            "blog_enabled": "on",
            "chat_enabled": "on",
            "members_tab_enabled": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    group = Group.objects.get(slug="fietspaden-oost")
    assert group.site_id == community_b.pk
    assert "Fietspaden Oost" in on(HOST_B, person).get("/groups/").content.decode()
    assert "Fietspaden Oost" not in on(HOST_A, person).get("/groups/").content.decode()


def test_the_default_community_lists_its_groups_and_those_of_deleted_communities(community_b):
    home_group = GroupFactory(name="Thuisgroep", site=Site.objects.get(is_default_site=True))
    orphan = GroupFactory(name="Weesgroep", site=None)
    other = GroupFactory(name="Oostgroep", site=community_b)
    listed_a = on(HOST_A).get("/groups/").content.decode()
    listed_b = on(HOST_B).get("/groups/").content.decode()
    assert home_group.name in listed_a and orphan.name in listed_a and other.name not in listed_a
    assert (
        other.name in listed_b and home_group.name not in listed_b and orphan.name not in listed_b
    )


def test_a_group_page_on_another_community_redirects_to_its_own_host(community_b):
    group = GroupFactory(slug="oost", site=community_b, content_default="open")
    response = on(HOST_A).get("/groups/oost/wiki/?sort=title")
    assert response.status_code == 302
    assert response["Location"] == "http://samen.voorbeeld.nl/groups/oost/wiki/?sort=title"
    assert on(HOST_B).get(f"/groups/{group.slug}/").status_code == 200
    # Forms sent to the wrong host are not redirected (that would drop what was sent): the
    # view checks them as ever.
    response = on(HOST_A, UserFactory()).post("/groups/oost/join/")
    assert not response.get("Location", "").startswith("http://samen.voorbeeld.nl")
    assert group.memberships.count() == 1


def test_a_hidden_group_is_only_redirected_for_its_members(community_b):
    from groups.models import Membership

    group = GroupFactory(slug="geheim", site=community_b, visibility="hidden")
    stranger, member = UserFactory(), UserFactory()
    Membership.objects.create(group=group, user=member)
    assert on(HOST_A, stranger).get("/groups/geheim/").status_code == 404
    assert on(HOST_A).get("/groups/geheim/").status_code == 404
    response = on(HOST_A, member).get("/groups/geheim/")
    assert response.status_code == 302
    assert response["Location"] == "http://samen.voorbeeld.nl/groups/geheim/"


def test_moving_a_group_moves_its_redirect(community_b):
    group = GroupFactory(slug="verhuizer", site=community_b)
    assert on(HOST_A).get("/groups/verhuizer/").status_code == 302
    group.site = Site.objects.get(is_default_site=True)
    group.save()
    assert on(HOST_A).get("/groups/verhuizer/").status_code == 200
    assert on(HOST_B).get("/groups/verhuizer/")["Location"].startswith("http://localhost")


def test_the_redirect_check_costs_no_query_once_warm(community_b):
    GroupFactory(slug="warm", site=community_b)
    client = on(HOST_A)
    client.get("/groups/warm/")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/groups/warm/")
    assert response.status_code == 302
    assert len(queries) == 0, [q["sql"] for q in queries]


# --- One account on every community ----------------------------------------------------------


def test_one_account_signs_in_on_every_community(community_b):
    person = UserFactory(email="reiziger@voorbeeld.nl")
    for host in (HOST_A, HOST_B):
        client = Client(HTTP_HOST=host)
        response = client.post(
            "/accounts/login/", {"login": "reiziger@voorbeeld.nl", "password": DEFAULT_PASSWORD}
        )
        assert response.status_code == 302, host
        assert int(client.session["_auth_user_id"]) == person.pk
        assert client.get("/groups/").context["user"] == person


# --- Search per community ---------------------------------------------------------------------


def _titles(site, user, text):
    results = get_search_backend().search(SearchQuery(text=text, user=user, site_id=site.pk))
    return {hit.title for hit in results.hits}


def test_search_finds_a_community_own_content_and_the_people_of_all(
    community_b, django_capture_on_commit_callbacks
):
    site_a = Site.objects.get(is_default_site=True)
    with django_capture_on_commit_callbacks(execute=True):
        GroupFactory(name="Waterbeheer West", site=site_a, content_default="open")
        GroupFactory(name="Waterbeheer Oost", site=community_b, content_default="open")
        UserFactory(first_name="Waterbeheer", last_name="Deskundige")
    from search.indexing import drain_outbox

    drain_outbox()
    viewer = UserFactory()
    in_a = _titles(site_a, viewer, "waterbeheer")
    in_b = _titles(community_b, viewer, "waterbeheer")
    assert "Waterbeheer West" in in_a and "Waterbeheer Oost" not in in_a
    assert "Waterbeheer Oost" in in_b and "Waterbeheer West" not in in_b
    assert "Waterbeheer Deskundige" in in_a and "Waterbeheer Deskundige" in in_b

    response = on(HOST_B, viewer).get("/search/", {"q": "waterbeheer"})
    html = response.content.decode()
    assert "Waterbeheer Oost" in html and "Waterbeheer West" not in html
    suggestions = on(HOST_B, viewer).get("/search/suggest/", {"q": "waterb"}).json()
    titles = {item["title"] for item in suggestions["suggestions"]}
    assert "Waterbeheer Oost" in titles and "Waterbeheer West" not in titles


def test_moving_a_group_moves_its_content_in_search(
    community_b, django_capture_on_commit_callbacks
):
    from groups.models import Membership
    from search.indexing import drain_outbox
    from wiki import services as wiki_services

    site_a = Site.objects.get(is_default_site=True)
    owner = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        group = GroupFactory(name="Verhuisgroep", site=community_b, content_default="open")
        Membership.objects.create(group=group, user=owner, role=Membership.Role.OWNER)
        wiki_services.create_page(owner, group, title="Polderpeil", body="<p>Polderpeil.</p>")
    drain_outbox()
    assert "Polderpeil" in _titles(community_b, owner, "polderpeil")
    assert "Polderpeil" not in _titles(site_a, owner, "polderpeil")

    with django_capture_on_commit_callbacks(execute=True):
        group.site = site_a
        group.save()
    drain_outbox()
    assert "Polderpeil" in _titles(site_a, owner, "polderpeil")
    assert "Polderpeil" not in _titles(community_b, owner, "polderpeil")


def test_account_e_mails_name_the_community_the_person_is_on(community_b, mailoutbox):
    """A newcomer read "Hello from 127.0.0.1:8000": allauth named the host. Its e-mails now name
    the community, on every community."""
    UserFactory(email="anna@voorbeeld.nl")
    for host, name in ((HOST_A, "Meent"), (HOST_B, "Samen Voorbeeld")):
        mailoutbox.clear()
        response = on(host).post(reverse("account_reset_password"), {"email": "anna@voorbeeld.nl"})
        assert response.status_code == 302
        (message,) = mailoutbox
        assert message.subject.startswith(f"[{name}] "), message.subject
        assert f"Hello from {name}!" in message.body, message.body
        assert "127.0.0.1" not in message.body and "[Meent] [" not in message.subject


def test_the_chat_list_shows_this_communitys_rooms_and_ones_direct_conversations(community_b):
    """On the second community the chat list showed, and opened, the main community's rooms."""
    from chat import services as chat
    from groups.models import Membership

    person, friend = UserFactory(), UserFactory()
    here = GroupFactory(name="Hier", slug="hier")
    there = GroupFactory(name="Daar", slug="daar", site=community_b)
    for group in (here, there):
        Membership.objects.create(group=group, user=person)
        Membership.objects.create(group=group, user=friend)
    direct, _ = chat.direct_room(person, [friend])
    room_here, room_there = chat.room_for_group(here), chat.room_for_group(there)
    listed_a = on(HOST_A, person).get("/chat/").content.decode()
    listed_b = on(HOST_B, person).get("/chat/").content.decode()
    assert f'href="/chat/{room_here.pk}/"' in listed_a
    assert f'href="/chat/{room_there.pk}/"' not in listed_a
    assert f'href="/chat/{room_there.pk}/"' in listed_b
    assert f'href="/chat/{room_here.pk}/"' not in listed_b
    for listed in (listed_a, listed_b):  # a direct conversation is the person's, everywhere
        assert f'href="/chat/{direct.pk}/"' in listed
    response = on(HOST_A, person).get(f"/chat/{room_there.pk}/")
    assert response.status_code == 302
    assert response["Location"] == f"http://{HOST_B}/chat/{room_there.pk}/"
    assert on(HOST_B, person).get(f"/chat/{room_there.pk}/").status_code == 200
    assert on(HOST_B, person).get(f"/chat/{direct.pk}/").status_code == 200


def test_the_header_counts_unread_chat_of_this_community_and_direct_conversations(community_b):
    """The header's chat count on one community counted the other community's rooms too."""
    from chat import services as chat
    from groups.models import Membership

    person, friend = UserFactory(), UserFactory()
    here = GroupFactory(name="Hier", slug="hier")
    there = GroupFactory(name="Daar", slug="daar", site=community_b)
    for group in (here, there):
        Membership.objects.create(group=group, user=person)
        Membership.objects.create(group=group, user=friend)
    direct, _ = chat.direct_room(person, [friend])
    for room, count in ((chat.room_for_group(here), 1), (chat.room_for_group(there), 2)):
        for number in range(count):
            chat.post_message(room, friend, f"{room.pk}-{number}", "Hallo")
    chat.post_message(direct, friend, "direct", "Hoi")

    def badge(host):
        html = on(host, person).get("/").content.decode()
        start = html.index("data-chat-unread")
        return html[start : html.index("</a>", start)]

    assert '<span class="badge">2<' in badge(HOST_A)  # 1 here + 1 direct
    assert '<span class="badge">3<' in badge(HOST_B)  # 2 there + 1 direct


def test_the_blog_feeds_hold_this_communitys_posts(community_b):
    """On the second community the tag and person feeds listed the main community's posts."""
    from django.utils import timezone

    from blog.models import Post, Tag

    writer = UserFactory(first_name="Sam", last_name="Schrijver")
    tag = Tag.objects.create(name="Water", slug="water")
    main = Site.objects.get(is_default_site=True)
    group_a = GroupFactory(slug="hier-a", content_default="open")
    group_b = GroupFactory(slug="daar-b", site=community_b, content_default="open")
    now = timezone.now()
    for title, site, group in (
        ("Persoonlijk hier", main, None),
        ("Persoonlijk daar", community_b, None),
        ("Groep hier", None, group_a),
        ("Groep daar", None, group_b),
    ):
        post = Post.objects.create(
            title=title,
            slug=title.lower().replace(" ", "-"),
            author=writer,
            site=site,
            group=group,
            body="<p>Tekst</p>",
            published_at=now,
        )
        post.tags.add(tag)
    for host, ours, theirs in (
        (HOST_A, ("Persoonlijk hier", "Groep hier"), ("Persoonlijk daar", "Groep daar")),
        (HOST_B, ("Persoonlijk daar", "Groep daar"), ("Persoonlijk hier", "Groep hier")),
    ):
        for feed in (
            "/blog/feed/rss/",
            "/blog/tags/water/feed/rss/",
            f"/people/{writer.pk}/blog/feed/rss/",
        ):
            response = on(host).get(feed)
            assert response.status_code == 200, (host, feed)
            xml = response.content.decode()
            assert all(title in xml for title in ours), (host, feed)
            assert not any(title in xml for title in theirs), (host, feed)
    assert "Blogs on Samen Voorbeeld" in on(HOST_B).get("/blog/feed/rss/").content.decode()
    # Another community's group has no feed here: it is on its own host.
    elsewhere = on(HOST_B).get("/groups/hier-a/blog/feed/rss/")
    assert elsewhere.status_code in (302, 404)
    if elsewhere.status_code == 302:
        assert elsewhere["Location"] == "http://localhost/groups/hier-a/blog/feed/rss/"
    assert on(HOST_B).get("/groups/daar-b/blog/feed/rss/").status_code == 200


def test_a_personal_post_belongs_to_the_community_it_was_written_on(
    community_b, django_capture_on_commit_callbacks
):
    """On the second community /blog/ listed personal posts written on the main one."""
    from blog.models import Post

    writer = UserFactory()
    for host, title in ((HOST_A, "Hier geschreven"), (HOST_B, "Daar geschreven")):
        with django_capture_on_commit_callbacks(execute=True):  # search indexes after commit
            response = on(host, writer).post(
                "/blog/new/",
                {
                    "title": title,
                    "body": "<p>Tekst</p>",
                    "visibility": "public",
                    "publish": "now",
                    "cover_alt": "",
                },
            )
        assert response.status_code == 302, response.content.decode()[:1500]
    here, there = (
        Post.objects.get(title="Hier geschreven"),
        Post.objects.get(title="Daar geschreven"),
    )
    assert (here.site, there.site) == (Site.objects.get(is_default_site=True), community_b)
    sites = {HOST_A: Site.objects.get(is_default_site=True), HOST_B: community_b}
    for host, own, other in ((HOST_A, here, there), (HOST_B, there, here)):
        for path in ("/blog/", f"/people/{writer.pk}/blog/", "/blog/feed/rss/"):
            html = on(host).get(path).content.decode()
            assert own.get_absolute_url() in html and other.get_absolute_url() not in html, path
        found = _titles(sites[host], AnonymousUser(), "geschreven")
        assert own.title in found and other.title not in found
    response = on(HOST_A).get(there.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"http://{HOST_B}{there.get_absolute_url()}"
