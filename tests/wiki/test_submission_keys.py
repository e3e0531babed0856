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
