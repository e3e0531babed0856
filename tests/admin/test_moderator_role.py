"""manage.py moderator_role gives the Moderators group its rights, idempotently."""

import io

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command

from moderation.roles import ensure_moderator_role
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_command_gives_the_role_and_can_run_again():
    call_command("moderator_role", stdout=io.StringIO())
    group = Group.objects.get(name=settings.MEENT_MODERATORS_GROUP)
    codenames = set(group.permissions.values_list("content_type__app_label", "codename"))
    call_command("moderator_role", stdout=io.StringIO())
    assert set(group.permissions.values_list("content_type__app_label", "codename")) == codenames
    assert {
        ("wagtailadmin", "access_admin"),
        ("accounts", "view_user"),
        ("accounts", "change_user"),
        ("accounts", "delete_organisation"),
        ("accounts", "add_organisationdomain"),
        ("groups", "view_group"),
        ("groups", "change_group"),
        ("moderation", "view_report"),
    } <= codenames
    assert ("accounts", "delete_user") not in codenames
    assert ("groups", "delete_group") not in codenames


def test_a_moderator_has_the_rights():
    person = UserFactory()
    person.groups.add(ensure_moderator_role())
    assert person.has_perms(
        ["accounts.change_user", "groups.change_group", "accounts.add_organisation"]
    )
    assert not person.has_perm("accounts.delete_user")
