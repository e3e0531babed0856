"""The front page's queries stay the same however many posts, groups and toolbox pages its
blocks show."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import Post
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.home.helpers import block, post, set_blocks
from tests.toolbox.factories import ToolboxArticlePageFactory, ToolboxIndexPageFactory

pytestmark = pytest.mark.django_db


def queries(client):
    client.get("/")  # warm: the site, content types, the header's links
    with CaptureQueriesContext(connection) as context:
        response = client.get("/")
    assert response.status_code == 200
    return len(context.captured_queries), response.content.decode()


def build(front, size, authors, articles):
    """A front page showing ``size`` groups, posts and chosen toolbox pages (each post by its
    own author of its own organisation, in its own group)."""
    site = front["site"]
    groups = [
        GroupFactory(name=f"Groep {size}-{n}", content_default="open", site=site)
        for n in range(size)
    ]
    for n, group in enumerate(groups):
        MembershipFactory(group=group, user=authors[n])
        post(f"Bericht {size}-{n}", author=authors[n], group=group, days_ago=n + 1)
    value = {"heading": "Groepen", "text": "", "groups": [str(g.pk) for g in groups]}
    teaser = {"heading": "Toolbox", "text": "", "pages": [a.pk for a in articles[:size]]}
    set_blocks(
        front["home"],
        [
            block("groups", value),
            block("latest_posts", {"heading": "Nieuws", "count": size}),
            block("toolbox", {**teaser, "newest": 3}),
            block("toolbox", {**teaser, "pages": [], "newest": size}),
        ],
    )


@pytest.mark.parametrize("signed_in", [False, True])
def test_queries_are_flat_in_the_number_of_items(client, front, signed_in):
    from accounts.models import Organisation

    authors = []
    for n in range(12):
        organisation = Organisation.objects.create(name=f"Organisatie {n}", slug=f"org-{n}")
        authors.append(UserFactory(organisation=organisation))
    ToolboxIndexPageFactory(parent=front["home"])
    articles = [ToolboxArticlePageFactory(title=f"Artikel {n}") for n in range(12)]
    if signed_in:
        client.force_login(UserFactory())
    build(front, 2, authors, articles)
    few, html = queries(client)
    assert "Bericht 2-1" in html and "Groep 2-1" in html and "Artikel 1" in html
    Post.objects.all().delete()  # the newest twelve are the new ones
    build(front, 12, authors, articles)
    many, html = queries(client)
    assert "Bericht 12-11" in html and "Groep 12-11" in html and "Artikel 11" in html
    assert html.count('class="card"') >= 12 * 4
    assert many == few, f"{few} queries with 2 of each, {many} with 12"
