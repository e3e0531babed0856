"""A new wiki page sent twice is one page (meent/idempotency.py)."""

import uuid

import pytest
from django.urls import reverse

from tests.submissions import key_in, keys_in, post_twice
from wiki.models import WikiPage

pytestmark = pytest.mark.django_db


def test_a_new_page_sent_twice_is_one_page(client, wiki_group):
    client.force_login(wiki_group.people["member"])
    url = reverse("wiki:create", args=[wiki_group.slug])
    key = key_in(client.get(url))
    data = {"title": "Werkwijze", "body": "<p>Zo doen we het.</p>", "submission_key": key}
    first, _again = post_twice(client, url, data, WikiPage.objects.count)
    assert first["Location"] == WikiPage.objects.get().get_absolute_url()
    other = {"title": "Afspraken", "body": "<p>x</p>", "submission_key": str(uuid.uuid4())}
    assert client.post(url, other).status_code == 302
    assert WikiPage.objects.count() == 2


def test_a_new_page_with_errors_keeps_its_key(client, wiki_group):
    client.force_login(wiki_group.people["member"])
    url = reverse("wiki:create", args=[wiki_group.slug])
    key = key_in(client.get(url))
    response = client.post(url, {"title": "", "body": "<p>Mijn tekst</p>", "submission_key": key})
    assert response.status_code == 400
    assert keys_in(response) == [uuid.UUID(key)]
    assert not WikiPage.objects.exists()


def test_restoring_a_revision_twice_makes_one_new_revision(client, wiki_group):
    from wiki import services
    from wiki.models import WikiRevision

    member = wiki_group.people["member"]
    page = services.create_page(member, wiki_group, title="Agenda", body="<p>Een.</p>")
    services.save_page(member, page, base_revision=1, title="Agenda", body="<p>Twee.</p>")
    client.force_login(member)
    history = client.get(reverse("wiki:history", args=[wiki_group.slug, page.pk]))
    keys = keys_in(history)
    assert len(keys) == 1  # the "Restore" button of revision 1 (2 is the current text)
    url = reverse("wiki:restore", args=[wiki_group.slug, page.pk, 1])
    count = WikiRevision.objects.filter(page=page).count
    first, _again = post_twice(client, url, {"submission_key": str(keys[-1])}, count)
    assert first["Location"] == page.get_absolute_url()
    page.refresh_from_db()
    assert (page.body, page.revision_number) == ("<p>Een.</p>", 3)
    response = client.post(url, {"submission_key": "kapot"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "This form was not sent completely" in response.content.decode()
    assert count() == 3
