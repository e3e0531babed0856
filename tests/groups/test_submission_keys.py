"""A group, a join request, invitations and a pinned link, each sent twice, are made once
(meent/idempotency.py)."""

import uuid

import pytest
from django.urls import reverse

from groups.models import Group, Invitation, JoinRequest, PinnedItem
from tests.factories import UserFactory
from tests.helpers import group_with
from tests.submissions import key_in, keys_in, post_twice

pytestmark = pytest.mark.django_db

GROUP_FORM = {
    "name": "Twee keer gemaakt",
    "slug": "",
    "description": "",
    "membership_policy": "open",
    "visibility": "listed",
    "content_default": "members",
    "wiki_enabled": "on",
    "members_tab_enabled": "on",
}


def test_a_group_sent_twice_is_one_group(client):
    client.force_login(UserFactory())
    url = reverse("groups:create")
    key = key_in(client.get(url))
    first, _again = post_twice(
        client, url, {**GROUP_FORM, "submission_key": key}, Group.objects.count
    )
    assert first["Location"] == Group.objects.get().get_absolute_url()
    # Another key, another name: another group.
    other = {**GROUP_FORM, "name": "Nog een groep", "submission_key": str(uuid.uuid4())}
    assert client.post(url, other).status_code == 302
    assert Group.objects.count() == 2


def test_a_group_form_with_errors_keeps_its_key(client):
    client.force_login(UserFactory())
    url = reverse("groups:create")
    key = key_in(client.get(url))
    response = client.post(url, {**GROUP_FORM, "name": "", "submission_key": key})
    assert response.status_code == 200
    assert keys_in(response) == [uuid.UUID(key)]
    assert not Group.objects.exists()


def test_a_join_request_sent_twice_is_one_request(client):
    group = group_with(UserFactory(), membership_policy="request")
    client.force_login(UserFactory())
    url = reverse("groups:join", args=[group.slug])
    key = key_in(client.get(url))
    first, _again = post_twice(
        client, url, {"message": "Graag", "submission_key": key}, JoinRequest.objects.count
    )
    assert first["Location"] == group.get_absolute_url()
    # Another key: the request that waits is the answer, as before (one at a time).
    response = client.post(url, {"message": "Nog eens", "submission_key": str(uuid.uuid4())})
    assert response.status_code == 409
    assert JoinRequest.objects.count() == 1


def test_invitations_sent_twice_are_sent_once(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    owner = UserFactory()
    group = group_with(owner, membership_policy="invitation")
    client.force_login(owner)
    url = reverse("groups:invitations", args=[group.slug])
    key = key_in(client.get(url))
    data = {"emails": "een@rws.nl twee@rws.nl", "message": "", "submission_key": key}
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, data)
        again = client.post(url, data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == url
    assert Invitation.objects.count() == 2
    assert len(mailoutbox) == 2
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url, {"emails": "drie@rws.nl", "message": "", "submission_key": str(uuid.uuid4())}
        )
    assert Invitation.objects.count() == 3


def test_a_repeated_batch_of_invitations_is_not_counted_against_the_hourly_limit(client, settings):
    settings.MEENT_INVITATION_RATE = 2
    owner = UserFactory()
    group = group_with(owner, membership_policy="invitation")
    client.force_login(owner)
    url = reverse("groups:invitations", args=[group.slug])
    data = {"emails": "een@rws.nl twee@rws.nl", "message": "", "submission_key": str(uuid.uuid4())}
    assert client.post(url, data).status_code == 302
    # The retry is answered as the first was, not with "you have sent the most invitations".
    assert client.post(url, data).status_code == 302
    # A batch that the limit refuses stores nothing and leaves its key free.
    refused = {"emails": "drie@rws.nl", "message": "", "submission_key": str(uuid.uuid4())}
    response = client.post(url, refused)
    assert response.status_code == 429
    assert Invitation.objects.count() == 2
    assert keys_in(response) == [uuid.UUID(refused["submission_key"])]


def test_a_pinned_link_sent_twice_is_pinned_once(client):
    owner = UserFactory()
    group = group_with(owner)
    client.force_login(owner)
    key = key_in(client.get(group.get_absolute_url()))
    url = reverse("groups:pin_add", args=[group.slug])
    data = {"title": "Handboek", "url": "/toolbox/", "submission_key": key}
    first, _again = post_twice(client, url, data, PinnedItem.objects.count)
    assert first["Location"] == group.get_absolute_url()
