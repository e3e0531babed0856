"""The wiki's pages over HTTP: forms, conflicts, history, exports, files, query counts."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.helpers import count_queries
from wiki import services
from wiki.models import WikiPage, WikiRevision

from .test_services import PNG

pytestmark = pytest.mark.django_db


def signed_in(client, group, role="member"):
    client.force_login(group.people[role])
    return client


def test_create_a_page_through_the_form(client, wiki_group):
    client = signed_in(client, wiki_group)
    url = reverse("wiki:create", args=[wiki_group.slug])
    form = client.get(url + "?title=Werkwijze")
    assert form.status_code == 200
    assert 'value="Werkwijze"' in form.content.decode()
    assert "data-rich-text" in form.content.decode()
    response = client.post(
        url,
        {
            "title": "Werkwijze",
            "body": "<h2>Doel</h2><p>Samen <strong>werken</strong>.</p><h2>Aanpak</h2><p>x</p>",
            "visibility": "logged_in",
        },
    )
    page = WikiPage.objects.get()
    assert response.status_code == 302
    assert response["Location"] == page.get_absolute_url()
    assert page.visibility == "logged_in"
    shown = client.get(page.get_absolute_url()).content.decode()
    assert '<h2 id="h-doel">Doel</h2>' in shown
    assert 'href="#h-aanpak"' in shown  # the table of contents


def test_a_bad_form_re_renders_with_the_text_kept(client, wiki_group):
    client = signed_in(client, wiki_group)
    services.create_page(wiki_group.people["member"], wiki_group, title="Bestaat al")
    response = client.post(
        reverse("wiki:create", args=[wiki_group.slug]),
        {"title": "bestaat AL", "body": "<p>Mijn lange tekst</p>"},
    )
    assert response.status_code == 400
    content = response.content.decode()
    assert "Mijn lange tekst" in content
    assert 'role="alert"' in content
    assert WikiPage.objects.count() == 1


def test_links_between_pages_by_title(client, wiki_group):
    member = wiki_group.people["member"]
    services.create_page(member, wiki_group, title="Licenties")
    page = services.create_page(
        member,
        wiki_group,
        title="Start",
        body="<p>Zie [[licenties]] en [[Nog te schrijven|deze pagina]]; <code>[[niet]]</code>.</p>",
    )
    content = signed_in(client, wiki_group).get(page.get_absolute_url()).content.decode()
    assert '<a class="wikilink" href="/groups/kennisbank/wiki/licenties/">licenties</a>' in content
    missing = re.search(
        r'<a class="wikilink wikilink--missing" href="([^"]+)">deze pagina', content
    )
    assert missing
    assert "title=Nog+te+schrijven" in missing.group(1).replace("&amp;", "&")
    assert "<code>[[niet]]</code>" in content


def test_editing_twice_then_comparing_and_restoring(client, wiki_group):
    client = signed_in(client, wiki_group)
    page = services.create_page(
        wiki_group.people["member"], wiki_group, title="Agenda", body="<p>Punt een.</p>"
    )
    edit = reverse("wiki:edit", args=[wiki_group.slug, page.pk])
    for base, body in ((1, "<p>Punt een en twee.</p>"), (2, "<p>Punt twee.</p>")):
        response = client.post(
            edit, {"title": "Agenda", "body": body, "base_revision": base, "visibility": "group"}
        )
        assert response.status_code == 302
    history = client.get(reverse("wiki:history", args=[wiki_group.slug, page.pk]))
    assert history.content.decode().count("<tr>") == 4  # header + 3 revisions
    compare = client.get(
        reverse("wiki:compare", args=[wiki_group.slug, page.pk]) + "?from=1&to=3"
    ).content.decode()
    assert "<del>" in compare and "<ins>" in compare
    response = client.post(reverse("wiki:restore", args=[wiki_group.slug, page.pk, 1]))
    assert response.status_code == 302
    page.refresh_from_db()
    assert (page.body, page.revision_number) == ("<p>Punt een.</p>", 4)


def test_a_stale_save_shows_the_conflict_and_keeps_both_texts(client, wiki_group):
    page = services.create_page(
        wiki_group.people["member"], wiki_group, title="Samen", body="<p>Oorspronkelijk.</p>"
    )
    services.save_page(
        wiki_group.people["admin"],
        page,
        base_revision=1,
        title="Samen",
        body="<p>Tekst van de beheerder.</p>",
    )
    client = signed_in(client, wiki_group)
    edit = reverse("wiki:edit", args=[wiki_group.slug, page.pk])
    response = client.post(
        edit,
        {"title": "Samen", "body": "<p>Mijn eigen tekst.</p>", "base_revision": 1},
    )
    assert response.status_code == 409
    content = response.content.decode()
    assert "Mijn eigen tekst." in content  # the person's text, still in the form
    assert "beheerder" in content  # what changed meanwhile
    assert 'name="base_revision" value="2"' in content
    page.refresh_from_db()
    assert page.body == "<p>Tekst van de beheerder.</p>"
    merged = client.post(
        edit,
        {
            "title": "Samen",
            "body": "<p>Tekst van de beheerder.</p><p>Mijn eigen tekst.</p>",
            "base_revision": 2,
        },
    )
    assert merged.status_code == 302
    page.refresh_from_db()
    assert page.revision_number == 3


def test_bad_compare_requests_answer_400(client, wiki_group):
    page = services.create_page(wiki_group.people["member"], wiki_group, title="Een")
    url = reverse("wiki:compare", args=[wiki_group.slug, page.pk])
    client = signed_in(client, wiki_group)
    for query in ("?from=x&to=1", "?from=1&to=7", "?from=-1&to=1"):
        assert client.get(url + query).status_code == 400


def test_moving_under_a_descendant_through_the_form_is_refused(client, wiki_group):
    member = wiki_group.people["member"]
    top = services.create_page(member, wiki_group, title="Boven")
    below = services.create_page(member, wiki_group, title="Onder", parent=top)
    client = signed_in(client, wiki_group)
    response = client.post(
        reverse("wiki:move", args=[wiki_group.slug, top.pk]),
        {"parent": below.pk, "position": 1, "slug": "boven"},
    )
    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None


def test_markdown_and_html_exports(client, wiki_group):
    page = services.create_page(
        wiki_group.people["member"],
        wiki_group,
        title="Uitvoer",
        body="<h2>Kop</h2><p>Een <strong>vet</strong> woord en [[Elders]].</p>",
        visibility="public",
    )
    markdown = client.get(reverse("wiki:export", args=[wiki_group.slug, page.pk, "md"]))
    assert markdown["Content-Type"].startswith("text/markdown")
    assert 'filename="uitvoer.md"' in markdown["Content-Disposition"]
    text = markdown.content.decode()
    assert text.startswith("# Uitvoer\n\n## Kop\n")
    assert "**vet**" in text and "[[Elders]]" in text
    exported = client.get(reverse("wiki:export", args=[wiki_group.slug, page.pk, "html"]))
    assert 'filename="uitvoer.html"' in exported["Content-Disposition"]
    assert "<strong>vet</strong>" in exported.content.decode()
    assert (
        client.get(reverse("wiki:export", args=[wiki_group.slug, page.pk, "pdf"])).status_code
        == 404
    )


def test_following_a_page(client, wiki_group):
    page = services.create_page(wiki_group.people["member"], wiki_group, title="Volg mij")
    client = signed_in(client, wiki_group, "admin")
    url = reverse("wiki:watch", args=[wiki_group.slug, page.pk])
    client.post(url, {"watch": "1"})
    assert page.watches.filter(user=wiki_group.people["admin"]).exists()
    assert 'aria-pressed="true"' in client.get(page.get_absolute_url()).content.decode()
    client.post(url, {"watch": "0"})
    assert not page.watches.filter(user=wiki_group.people["admin"]).exists()


def test_upload_and_download_of_files(client, wiki_group, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = signed_in(client, wiki_group)
    url = reverse("wiki:upload", args=[wiki_group.slug])
    image = client.post(url, {"file": SimpleUploadedFile("Mijn logo.png", PNG)})
    assert image.status_code == 201
    assert image.json()["is_image"] is True
    shown = client.get(image.json()["url"])
    assert shown["Content-Type"] == "image/png"
    assert shown["X-Content-Type-Options"] == "nosniff"
    assert "attachment" not in shown.get("Content-Disposition", "")
    pdf = client.post(url, {"file": SimpleUploadedFile("nota.pdf", b"%PDF-1.4\n...")})
    downloaded = client.get(pdf.json()["url"])
    assert downloaded["Content-Disposition"].startswith("attachment")
    refused = client.post(url, {"file": SimpleUploadedFile("x.svg", b"<svg onload=x()>")})
    assert refused.status_code == 400
    assert refused.json()["error"]
    assert client.post(url, {}).status_code == 400


def test_files_of_a_members_only_group_stay_with_its_members(client, db, settings, tmp_path):
    from tests.factories import GroupFactory, MembershipFactory

    settings.MEDIA_ROOT = tmp_path
    group = GroupFactory(content_default="members")
    member = UserFactory()
    MembershipFactory(group=group, user=member)
    attachment = services.add_attachment(member, group, SimpleUploadedFile("a.png", PNG))
    url = attachment.get_absolute_url()
    client.force_login(member)
    assert client.get(url).status_code == 200
    client.force_login(UserFactory())
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_a_wiki_switched_off_is_not_found(client, wiki_group):
    wiki_group.wiki_enabled = False
    wiki_group.save()
    assert client.get(reverse("wiki:index", args=[wiki_group.slug])).status_code == 404


def test_the_group_has_a_wiki_tab(client, wiki_group):
    content = client.get(wiki_group.get_absolute_url()).content.decode()
    assert reverse("wiki:index", args=[wiki_group.slug]) in content


def test_a_page_with_1000_revisions_opens_with_the_same_queries_as_one(client, wiki_group):
    member = wiki_group.people["member"]
    client = signed_in(client, wiki_group)
    page = services.create_page(member, wiki_group, title="Veel", body="<p>tekst</p>")
    url = page.get_absolute_url()
    history = reverse("wiki:history", args=[wiki_group.slug, page.pk])
    one = (count_queries(client, url), count_queries(client, history))
    big = "<p>" + "lang verhaal " * 2000 + "</p>"
    WikiRevision.objects.bulk_create(
        [
            WikiRevision(page=page, number=n, title="Veel", body=big, author=member)
            for n in range(2, 1001)
        ]
    )
    WikiPage.objects.filter(pk=page.pk).update(revision_number=1000)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    # No revision body is read to show the page.
    assert not any("wiki_wikirevision" in q["sql"] for q in queries.captured_queries)
    assert (len(queries), count_queries(client, history)) == one


def test_the_tree_of_500_pages_renders_with_the_same_queries_as_five(client, wiki_group):
    member = wiki_group.people["member"]
    client = signed_in(client, wiki_group)
    parent = services.create_page(member, wiki_group, title="Wortel")
    for n in range(4):
        services.create_page(member, wiki_group, title=f"Pagina {n}", parent=parent)
    index = reverse("wiki:index", args=[wiki_group.slug])
    page_url = parent.get_absolute_url()
    small = (count_queries(client, index), count_queries(client, page_url))
    WikiPage.objects.bulk_create(
        [
            WikiPage(
                group=wiki_group,
                parent=parent,
                title=f"Extra {n}",
                title_key=f"extra {n}",
                slug=f"extra-{n}",
                path=f"wortel/extra-{n}",
                position=10 + n,
            )
            for n in range(495)
        ]
    )
    assert WikiPage.objects.count() == 500
    response = client.get(index)
    assert response.content.decode().count('class="wiki-tree__controls"') == 500
    assert (count_queries(client, index), count_queries(client, page_url)) == small


def test_rendered_bodies_are_cached_per_revision_and_per_resolved_links(
    client, wiki_group, monkeypatch
):
    from wiki import views

    calls = []
    real = views.add_heading_ids
    monkeypatch.setattr(views, "add_heading_ids", lambda html: calls.append(1) or real(html))
    member = wiki_group.people["member"]
    page = services.create_page(
        member, wiki_group, title="Cache", body="<h2>Kop</h2><p>Zie [[Later]].</p>"
    )
    client = signed_in(client, wiki_group)
    first = client.get(page.get_absolute_url()).content.decode()
    assert "wikilink--missing" in first
    client.get(page.get_absolute_url())
    assert len(calls) == 1  # the second view came from the cache
    services.create_page(member, wiki_group, title="Later")
    linked = client.get(page.get_absolute_url()).content.decode()
    assert "wikilink--missing" not in linked and "/wiki/later/" in linked
    services.save_page(member, page, base_revision=1, title="Cache", body="<h2>Nieuw</h2>")
    assert 'id="h-nieuw"' in client.get(page.get_absolute_url()).content.decode()
    assert len(calls) == 3


def test_deleting_a_page_through_the_confirmation(client, wiki_group):
    page = services.create_page(wiki_group.people["member"], wiki_group, title="Weg ermee")
    url = reverse("wiki:delete", args=[wiki_group.slug, page.pk])
    member = signed_in(client, wiki_group)
    assert member.get(url).status_code == 403
    assert member.post(url).status_code == 403
    admin = signed_in(client, wiki_group, "admin")
    assert 'href="' + url in admin.get(page.get_absolute_url()).content.decode()
    assert admin.get(url).status_code == 200
    assert admin.post(url).status_code == 302
    assert not WikiPage.objects.exists()


def test_a_long_history_is_paged_with_links(client, wiki_group):
    from wiki.views import REVISIONS_PER_PAGE

    owner = wiki_group.people["owner"]
    page = services.create_page(owner, wiki_group, title="Veel versies", body="<p>0</p>")
    for number in range(1, REVISIONS_PER_PAGE + 3):
        page.refresh_from_db()
        services.save_page(
            owner,
            page,
            base_revision=page.revision_number,
            title=page.title,
            body=f"<p>{number}</p>",
        )
    signed_in(client, wiki_group, "owner")
    url = reverse("wiki:history", args=[wiki_group.slug, page.pk])
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'rel="next"' in html and "Page 1 of 2" in html
    html = client.get(url + "?page=2", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'rel="prev"' in html and "Page 2 of 2" in html
