"""Moderators merge a duplicate organisation into the one to keep."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation
from wagtail.models import ModelLogEntry

from accounts.models import Organisation, OrganisationDomain, User
from search.models import OutboxItem
from tests.factories import OrganisationDomainFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def merge_url(organisation):
    return reverse("wagtailsnippets_accounts_organisation:merge", args=[organisation.pk])


@pytest.fixture
def duplicate():
    organisation = OrganisationFactory(name="Gem. Meent", slug="gem-meent")
    OrganisationDomainFactory(organisation=organisation, domain="gemeentemeent.nl")
    OrganisationDomainFactory(organisation=organisation, domain="meent.gem.nl")
    UserFactory.create_batch(3, organisation=organisation)
    return organisation


@pytest.fixture
def keep():
    organisation = OrganisationFactory(name="Gemeente Meent", slug="gemeente-meent")
    OrganisationDomainFactory(organisation=organisation, domain="meent.nl")
    UserFactory(organisation=organisation)
    return organisation


def test_edit_page_offers_the_merge(moderator_client, duplicate):
    edit = reverse("wagtailsnippets_accounts_organisation:edit", args=[duplicate.pk])
    assert merge_url(duplicate) in moderator_client.get(edit).content.decode()


def test_the_form_previews_what_moves(moderator_client, duplicate, keep):
    response = moderator_client.get(merge_url(duplicate))
    assert response.status_code == 200
    html = response.content.decode()
    assert "gemeentemeent.nl" in html and "meent.gem.nl" in html
    assert response.context["people_count"] == 3
    choices = [choice for choice, _label in response.context["form"].fields["keep"].choices]
    assert duplicate.pk not in [getattr(c, "value", c) for c in choices]


def test_merge_moves_people_and_domains_and_deletes_the_duplicate(
    moderator_client, moderator, duplicate, keep
):
    moved = set(User.objects.filter(organisation=duplicate).values_list("pk", flat=True))
    OutboxItem.objects.all().delete()
    with mock.patch("search.indexing._drain_after_commit"):
        response = moderator_client.post(merge_url(duplicate), {"keep": keep.pk})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "wagtailsnippets_accounts_organisation:edit", args=[keep.pk]
    )
    assert not Organisation.objects.filter(pk=duplicate.pk).exists()
    assert set(User.objects.filter(organisation=keep).values_list("pk", flat=True)) >= moved
    assert User.objects.filter(organisation=keep).count() == 4
    assert set(
        OrganisationDomain.objects.filter(organisation=keep).values_list("domain", flat=True)
    ) == {
        "meent.nl",
        "gemeentemeent.nl",
        "meent.gem.nl",
    }
    entry = ModelLogEntry.objects.get(action="meent.organisation.merge")
    assert entry.object_id == str(keep.pk) and entry.user == moderator
    assert entry.data == {"merged": "Gem. Meent", "people": 3, "domains": 2}
    with translation.override("en"):
        assert "Merged: Gem. Meent" in entry.message
    # The moved people are indexed again (update() sends no signals).
    queued = set(OutboxItem.objects.filter(type="person").values_list("object_id", flat=True))
    assert queued >= moved


@pytest.mark.parametrize("choice", ["self", "missing", "none", "garbage"])
def test_bad_choices_are_form_errors_and_change_nothing(moderator_client, duplicate, keep, choice):
    data = {
        "self": {"keep": duplicate.pk},
        "missing": {"keep": 999999},
        "none": {},
        "garbage": {"keep": "x"},
    }[choice]
    response = moderator_client.post(merge_url(duplicate), data)
    assert response.status_code == 200
    assert "keep" in response.context["form"].errors
    assert Organisation.objects.filter(pk=duplicate.pk).exists()
    assert User.objects.filter(organisation=duplicate).count() == 3
    assert duplicate.domains.count() == 2
    assert not ModelLogEntry.objects.filter(action="meent.organisation.merge").exists()


def test_merge_service_refuses_itself(moderator, duplicate):
    from accounts.admin_views import MergeError, merge_organisations

    with pytest.raises(MergeError):
        merge_organisations(moderator, duplicate, duplicate)
    assert Organisation.objects.filter(pk=duplicate.pk).exists()


def test_members_cannot_merge(client, duplicate, keep):
    member = UserFactory()
    client.force_login(member)
    client.post(merge_url(duplicate), {"keep": keep.pk})
    assert Organisation.objects.filter(pk=duplicate.pk).exists()
