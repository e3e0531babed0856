"""The blog feeds: valid RSS and Atom that hold only what an anonymous reader may see."""

import html
import re
import xml.etree.ElementTree as ET
from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from blog import feeds, services
from blog.models import Post, Tag
from blog.services import PostInput, Publish
from groups.models import Group, Membership
from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import count_queries, get_with_queries
from tests.security.html_safety import assert_plain_text
from tests.security.xss_corpus import PAYLOADS

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
CONTENT_TYPES = {
    "rss": "application/rss+xml; charset=utf-8",
    "atom": "application/atom+xml; charset=utf-8",
}
FORMATS = ["rss", "atom"]
_slugs = count()
CSRF_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="[^"]*"')


def make_post(author, title, *, group=None, visibility=Post.Visibility.PUBLIC, ago=1, **fields):
    """A post straight in the database (no cleaning): ``ago`` hours back, None for a draft."""
    tags = fields.pop("tags", [])
    published_at = None if ago is None else timezone.now() - timedelta(hours=ago)
    post = Post.objects.create(
        author=author,
        group=group,
        title=title,
        slug=f"bericht-{next(_slugs)}",
        visibility=visibility,
        published_at=published_at,
        **fields,
    )
    if tags:
        post.tags.set(tags)
    return post


def get_feed(client, name, fmt, **kwargs):
    response = client.get(reverse(f"{name}_{fmt}", kwargs=kwargs))
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    # Our own response, not untrusted input; a parse error here is a failed test.
    return response, ET.fromstring(response.content)  # noqa: S314


def entries(root, fmt):
    """Each item as a dict of the fields the tests look at."""
    result = []
    if fmt == "rss":
        assert root.tag == "rss"
        for item in root.findall("./channel/item"):
            result.append(
                {
                    "title": item.findtext("title"),
                    "link": item.findtext("link"),
                    "id": item.findtext("guid"),
                    "description": item.findtext("description"),
                    "author": item.findtext("{http://purl.org/dc/elements/1.1/}creator"),
                    "categories": [c.text for c in item.findall("category")],
                    "published": item.findtext("pubDate"),
                }
            )
    else:
        assert root.tag == f"{ATOM}feed"
        for entry in root.findall(f"{ATOM}entry"):
            result.append(
                {
                    "title": entry.findtext(f"{ATOM}title"),
                    "link": entry.find(f"{ATOM}link").get("href"),
                    "id": entry.findtext(f"{ATOM}id"),
                    "description": entry.findtext(f"{ATOM}summary"),
                    "author": entry.findtext(f"{ATOM}author/{ATOM}name"),
                    "categories": [c.get("term") for c in entry.findall(f"{ATOM}category")],
                    "published": entry.findtext(f"{ATOM}published"),
                    "updated": entry.findtext(f"{ATOM}updated"),
                }
            )
    return result


def feed_title(root, fmt):
    return root.findtext("./channel/title") if fmt == "rss" else root.findtext(f"{ATOM}title")


def titles(root, fmt):
    return {entry["title"] for entry in entries(root, fmt)}


@pytest.fixture
def world(db):
    """Posts of every kind that an anonymous reader may or may not see, and a member who may
    see all of them."""
    organisation = OrganisationFactory()
    author = UserFactory(first_name="Anna", last_name="Jansen", organisation=organisation)
    member = UserFactory(first_name="Bram", last_name="Visser", organisation=organisation)
    open_group = GroupFactory(
        slug="open", name="Open groep", content_default=Group.ContentDefault.OPEN
    )
    closed_group = GroupFactory(
        slug="besloten", name="Besloten groep", content_default=Group.ContentDefault.MEMBERS
    )
    hidden_group = GroupFactory(
        slug="verborgen",
        name="Verborgen groep",
        visibility=Group.Visibility.HIDDEN,
        content_default=Group.ContentDefault.OPEN,
    )
    for group in (open_group, closed_group, hidden_group):
        MembershipFactory(group=group, user=author, role=Membership.Role.OWNER)
        MembershipFactory(group=group, user=member)
    tag = Tag.objects.create(name="Duurzaamheid", slug="duurzaamheid")
    posts = {
        "public": make_post(author, "Openbaar bericht", tags=[tag], ago=2),
        "open_group": make_post(author, "Bericht in open groep", group=open_group, tags=[tag]),
        "draft": make_post(author, "Concept", ago=None, tags=[tag]),
        "scheduled": make_post(author, "Gepland", ago=-2, tags=[tag]),
        "logged_in": make_post(
            author, "Voor ingelogden", visibility=Post.Visibility.LOGGED_IN, tags=[tag]
        ),
        "organisation": make_post(
            author, "Voor de organisatie", visibility=Post.Visibility.ORGANISATION, tags=[tag]
        ),
        "private": make_post(
            author, "Alleen voor mij", visibility=Post.Visibility.PRIVATE, tags=[tag]
        ),
        "closed_group": make_post(author, "Besloten bericht", group=closed_group, tags=[tag]),
        "hidden_group": make_post(author, "Verborgen bericht", group=hidden_group, tags=[tag]),
        "scheduled_group": make_post(author, "Gepland in groep", group=open_group, ago=-1),
    }
    return {
        "author": author,
        "member": member,
        "open_group": open_group,
        "closed_group": closed_group,
        "hidden_group": hidden_group,
        "tag": tag,
        "posts": posts,
    }


NEVER_IN_A_FEED = [
    "draft",
    "scheduled",
    "logged_in",
    "organisation",
    "private",
    "closed_group",
    "hidden_group",
    "scheduled_group",
]


def assert_only_public(world, root, fmt, expected):
    found = titles(root, fmt)
    assert found == {world["posts"][key].title for key in expected}
    for key in NEVER_IN_A_FEED:
        assert world["posts"][key].title not in found


@pytest.fixture(params=["anonymous", "member", "author"])
def reader(request, client, world):
    """The feeds answer the same whoever asks: a feed's address gets shared."""
    if request.param != "anonymous":
        client.force_login(world[request.param])
    return client


# ---------------------------------------------------------------------------------------------
# What is in the feeds


@pytest.mark.parametrize("fmt", FORMATS)
def test_site_feed_holds_only_public_posts_whoever_asks(reader, world, fmt):
    response, root = get_feed(reader, "blog_feed", fmt)
    assert_only_public(world, root, fmt, ["public", "open_group"])
    assert feed_title(root, fmt)  # translated; the exact words depend on the language
    assert b"Verborgen" not in response.content
    assert b"Besloten bericht" not in response.content


@pytest.mark.parametrize("fmt", FORMATS)
def test_tag_feed_holds_only_public_posts_with_the_tag(reader, world, fmt):
    other_tag = Tag.objects.create(name="Zorg", slug="zorg")
    make_post(world["author"], "Ander onderwerp", tags=[other_tag])
    make_post(world["author"], "Zonder onderwerp")
    _response, root = get_feed(reader, "blog_tag_feed", fmt, tag="duurzaamheid")
    assert_only_public(world, root, fmt, ["public", "open_group"])
    assert "Duurzaamheid" in feed_title(root, fmt)
    _response, root = get_feed(reader, "blog_tag_feed", fmt, tag="zorg")
    assert titles(root, fmt) == {"Ander onderwerp"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_tag_is_404(client, fmt, world):
    response = client.get(reverse(f"blog_tag_feed_{fmt}", kwargs={"tag": "bestaat-niet"}))
    assert response.status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_group_feed_holds_the_groups_published_posts(reader, world, fmt):
    make_post(world["member"], "Ander in open groep", group=world["open_group"])
    make_post(world["author"], "Persoonlijk")
    _response, root = get_feed(reader, "group_blog_feed", fmt, group_slug="open")
    assert titles(root, fmt) == {"Bericht in open groep", "Ander in open groep"}
    assert "Open groep" in feed_title(root, fmt)


@pytest.mark.parametrize("fmt", FORMATS)
def test_members_only_group_feed_is_empty_also_for_members(reader, world, fmt):
    response, root = get_feed(reader, "group_blog_feed", fmt, group_slug="besloten")
    assert entries(root, fmt) == []
    assert b"Besloten bericht" not in response.content


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("slug", ["verborgen", "bestaat-niet", "geen-blog"])
def test_hidden_missing_or_blogless_group_is_404_also_for_members(reader, world, fmt, slug):
    GroupFactory(slug="geen-blog", content_default=Group.ContentDefault.OPEN, blog_enabled=False)
    MembershipFactory(group=Group.objects.get(slug="geen-blog"), user=world["member"])
    response = reader.get(reverse(f"group_blog_feed_{fmt}", kwargs={"group_slug": slug}))
    assert response.status_code == 404
    assert b"Verborgen" not in response.content


def test_hidden_group_answers_exactly_like_a_missing_one(client, world):
    client.force_login(world["member"])
    hidden = client.get(reverse("group_blog_feed_rss", kwargs={"group_slug": "verborgen"}))
    missing = client.get(reverse("group_blog_feed_rss", kwargs={"group_slug": "nergens"}))
    assert hidden.status_code == missing.status_code == 404

    def page(response):  # the CSRF token is masked afresh in every response
        return CSRF_TOKEN.sub(b"", response.content)

    assert page(hidden).replace(b"verborgen", b"nergens") == page(missing)


@pytest.mark.parametrize("fmt", FORMATS)
def test_person_feed_holds_only_their_public_posts(reader, world, fmt):
    make_post(world["member"], "Van iemand anders")
    person_id = world["author"].pk
    _response, root = get_feed(reader, "person_blog_feed", fmt, person_id=person_id)
    assert_only_public(world, root, fmt, ["public", "open_group"])
    assert "Anna Jansen" in feed_title(root, fmt)
    _response, root = get_feed(reader, "person_blog_feed", fmt, person_id=world["member"].pk)
    assert titles(root, fmt) == {"Van iemand anders"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_unknown_or_inactive_person_is_404(client, world, fmt):
    gone = UserFactory(is_active=False)
    make_post(gone, "Van een vertrokken persoon")
    for person_id in (gone.pk, 999_999):
        response = client.get(reverse(f"person_blog_feed_{fmt}", kwargs={"person_id": person_id}))
        assert response.status_code == 404
    _response, root = get_feed(client, "blog_feed", fmt)
    assert "Van een vertrokken persoon" in titles(root, fmt)  # still the site's public content


@pytest.mark.parametrize("fmt", FORMATS)
def test_posts_saved_through_the_service_appear_once_published(client, fmt):
    author = UserFactory(first_name="Dirk", last_name="Bakker")
    services.save_post(author, PostInput(title="Nog niet klaar"))
    services.save_post(
        author,
        PostInput(
            title="Straks",
            publish=Publish.LATER,
            publish_at=timezone.now() + timedelta(days=1),
        ),
    )
    services.save_post(author, PostInput(title="Nu", tags="Wonen, Werk", publish=Publish.NOW))
    _response, root = get_feed(client, "blog_feed", fmt)
    [entry] = entries(root, fmt)
    assert entry["title"] == "Nu"
    assert sorted(entry["categories"]) == ["Werk", "Wonen"]


# ---------------------------------------------------------------------------------------------
# The items


@pytest.mark.parametrize("fmt", FORMATS)
def test_item_fields(client, fmt):
    author = UserFactory(first_name="Eva", last_name="de Boer")
    tags = [Tag.objects.create(name=name, slug=name.lower()) for name in ("Energie", "Wijk")]
    post = make_post(
        author,
        "Zonnepanelen",
        summary="Wat we leerden van de eerste zomer.",
        body="<p>Lange tekst</p>",
        tags=tags,
        updated_at=timezone.now(),
    )
    _response, root = get_feed(client, "blog_feed", fmt)
    [entry] = entries(root, fmt)
    url = f"http://testserver{post.get_absolute_url()}"
    assert entry["title"] == "Zonnepanelen"
    assert entry["link"] == url
    assert entry["id"] == url
    assert entry["description"] == "Wat we leerden van de eerste zomer."
    assert entry["author"] == "Eva de Boer"
    assert sorted(entry["categories"]) == ["Energie", "Wijk"]
    assert entry["published"]
    if fmt == "atom":
        assert entry["updated"] and entry["updated"] != entry["published"]
        assert root.find(f"{ATOM}link[@rel='self']").get("href") == (
            f"http://testserver{reverse('blog_feed_atom')}"
        )
    else:
        assert root.findtext("./channel/link") == f"http://testserver{reverse('blog:list')}"


@pytest.mark.parametrize("fmt", FORMATS)
def test_without_a_summary_the_description_is_the_start_of_the_body_as_text(client, fmt):
    author = UserFactory()
    body = "<h2>Kop</h2><p>Eerste alinea.</p>" + "<p>" + "woord " * 200 + "</p>"
    make_post(author, "Lang", body=body)
    _response, root = get_feed(client, "blog_feed", fmt)
    [entry] = entries(root, fmt)
    description = entry["description"]
    assert description.startswith("Kop Eerste alinea. woord woord")
    assert len(description) <= feeds.DESCRIPTION_LENGTH
    assert description.endswith("…")
    assert "<" not in description


@pytest.mark.parametrize("fmt", FORMATS)
def test_newest_30_posts_newest_first(client, fmt):
    author = UserFactory()
    for number in range(35):
        make_post(author, f"Bericht {number}", ago=number + 1)
    _response, root = get_feed(client, "blog_feed", fmt)
    found = [entry["title"] for entry in entries(root, fmt)]
    assert found == [f"Bericht {number}" for number in range(30)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_html_and_script_never_reach_the_reader(client, fmt):
    author = UserFactory(first_name="<b>Mallory</b>", last_name="<script>x()</script>")
    tag = Tag.objects.create(name="<b>Energie</b><img src=x onerror=alert(1)>", slug="img")
    make_post(
        author,
        "<script>alert(1)</script>Titel",
        body="<script>alert(1)</script><p>Hallo</p>",
        tags=[tag],
    )
    make_post(author, "Samenvatting", summary="<b>Vet</b> & <i onmouseover=x()>zo</i>", ago=2)
    response, root = get_feed(client, "blog_feed", fmt)
    assert b"<script" not in response.content.lower()
    assert b"<img" not in response.content.lower()
    first, second = entries(root, fmt)
    assert "<script" not in first["title"]
    assert first["title"].endswith("Titel")
    assert "<script" not in first["description"]
    assert "Hallo" in first["description"]
    # The description is HTML for the reader: the plain text, escaped.
    assert second["description"] == "Vet &amp; zo"
    assert first["author"] == "Mallory x()"
    assert first["categories"] == ["Energie"]
    for entry in (first, second):
        assert_plain_text(entry["title"])
        assert_plain_text(entry["author"])
        for category in entry["categories"]:
            assert_plain_text(category)
        assert_plain_text(html.unescape(entry["description"]))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_no_payload_survives_into_a_title_or_description(payload):
    feed = feeds.LatestPostsFeed()
    post = Post(title=payload, body=payload, summary="")
    assert_plain_text(feeds.plain(payload))  # names: authors, tags, groups
    assert_plain_text(feed.item_title(post))
    assert_plain_text(html.unescape(feed.item_description(post)))
    post.summary = payload
    assert_plain_text(html.unescape(feed.item_description(post)))


def test_a_long_body_is_cut_without_leaving_half_a_tag():
    body = "<p>kort</p>" + " " * (feeds.BODY_SCAN_LENGTH - 20) + '<img src="geheim-adres.png">'
    assert feeds.plain_text_start(body) == "kort"


# ---------------------------------------------------------------------------------------------
# Queries


def feed_urls(world):
    return (
        [reverse(f"blog_feed_{fmt}") for fmt in FORMATS]
        + [reverse(f"blog_tag_feed_{fmt}", kwargs={"tag": world["tag"].slug}) for fmt in FORMATS]
        + [reverse(f"group_blog_feed_{fmt}", kwargs={"group_slug": "open"}) for fmt in FORMATS]
        + [
            reverse(f"person_blog_feed_{fmt}", kwargs={"person_id": world["author"].pk})
            for fmt in FORMATS
        ]
    )


def add_posts(world, start, stop):
    for index in range(start, stop):
        author = UserFactory() if index % 3 else world["author"]
        tags = [world["tag"], Tag.objects.create(name=f"Extra {index}", slug=f"extra-{index}")]
        group = world["open_group"] if index % 2 else None
        make_post(author, f"Meer {index}", group=group, tags=tags, ago=index + 3)


def test_queries_do_not_grow_with_the_number_of_posts(client, world):
    add_posts(world, 0, 5)
    for url in feed_urls(world):  # warm the caches (a group's community is looked up once)
        client.get(url)
    few = {url: count_queries(client, url, warm=False) for url in feed_urls(world)}
    add_posts(world, 5, 60)
    for url in feed_urls(world):
        queries, response = get_with_queries(client, url, warm=False)
        assert queries == few[url], url
        assert response.content.count(b"Meer ") >= 10, url
    assert max(few.values()) <= 4
