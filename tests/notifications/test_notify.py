from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from notifications import Kind, notify
from notifications.emails import send_notification_email
from notifications.models import Email, Notification, NotificationPreference
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_public_interface_is_importable_from_the_package():
    import notifications as package

    assert package.notify is notify
    assert package.Kind is Kind
    assert Kind.JOIN_REQUEST == "join_request"
    assert {"join_request", "join_decision", "invitation", "membership", "mention", "reply"} <= set(
        Kind.values
    )


def test_immediate_kind_is_stored_and_mailed_after_commit(
    mailoutbox, django_capture_on_commit_callbacks
):
    person, admin = UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notification = notify(
            person,
            Kind.JOIN_DECISION,
            "groups.join_approved",
            "/groups/a/",
            params={"group": "<Groep>"},
            actor=admin,
        )
        assert mailoutbox == []  # nothing goes out before the transaction commits
    assert len(callbacks) == 1

    notification.refresh_from_db()
    assert notification.recipient == person
    assert notification.actor == admin
    assert notification.kind == "join_decision"
    # The key and its parameters are stored, not a finished text.
    assert notification.message == "groups.join_approved"
    assert notification.params == {"group": "<Groep>"}
    assert notification.text == ""
    assert notification.read_at is None
    assert notification.emailed_at is not None

    text = "Je aanvraag om lid te worden van <Groep> is goedgekeurd."
    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [person.email]
    assert mail.subject.startswith("[Meent] ")
    assert text in mail.subject
    assert text in mail.body  # plain text: not escaped
    assert settings.WAGTAILADMIN_BASE_URL.rstrip("/") + "/groups/a/" in mail.body
    assert mail.alternatives == []


def test_every_immediate_default_kind_is_mailed(mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory()
    immediate = [Kind.JOIN_REQUEST, Kind.JOIN_DECISION, Kind.INVITATION, Kind.MEMBERSHIP]
    with django_capture_on_commit_callbacks(execute=True):
        for kind in immediate:
            notify(person, kind, "groups.removed", "/", params={"group": kind})
    assert len(mailoutbox) == len(immediate)


def test_daily_default_kinds_are_stored_but_not_mailed_at_once(
    mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(person, Kind.MENTION, "chat.mention", "/", params={"text": "Hoi"})
        notify(person, Kind.REPLY, "blog.post_comment", "/", params={"title": "Plan"})
    assert Notification.objects.filter(recipient=person).count() == 2
    assert mailoutbox == []


def test_never_means_in_app_only(mailoutbox, django_capture_on_commit_callbacks):
    person = UserFactory()
    NotificationPreference.objects.create(user=person, kind=Kind.MEMBERSHIP, email=Email.NEVER)
    with django_capture_on_commit_callbacks(execute=True):
        notification = notify(person, Kind.MEMBERSHIP, "groups.removed", "/")
    assert notification is not None
    assert Notification.objects.filter(recipient=person).count() == 1
    assert mailoutbox == []


def test_chosen_immediately_overrides_a_daily_default(
    mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory()
    NotificationPreference.objects.create(user=person, kind=Kind.MENTION, email=Email.IMMEDIATELY)
    with django_capture_on_commit_callbacks(execute=True):
        notify(person, Kind.MENTION, "chat.mention", "/")
    assert len(mailoutbox) == 1


def test_hidden_group_the_recipient_cannot_see_delivers_nothing(
    mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory()
    hidden = GroupFactory(visibility="hidden")
    with django_capture_on_commit_callbacks(execute=True):
        result = notify(
            person, Kind.INVITATION, "groups.invitation_accepted", "/groups/geheim/", about=hidden
        )
    assert result is None
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_hidden_group_of_ones_own_and_listed_groups_are_delivered(
    mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory()
    hidden = GroupFactory(visibility="hidden")
    MembershipFactory(group=hidden, user=person)
    listed = GroupFactory(visibility="listed")
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(person, Kind.MEMBERSHIP, "groups.removed", "/", about=hidden) is not None
        assert (
            notify(person, Kind.INVITATION, "groups.invitation_accepted", "/", about=listed)
            is not None
        )
    assert Notification.objects.filter(recipient=person).count() == 2
    assert len(mailoutbox) == 2


@pytest.mark.parametrize(
    "attributes",
    [
        {"suspended_until": timezone.now() + timedelta(days=3)},
        {"is_active": False},
    ],
    ids=["suspended", "inactive"],
)
def test_suspended_or_inactive_people_get_nothing(
    attributes, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(**attributes)
    with django_capture_on_commit_callbacks(execute=True):
        assert notify(person, Kind.MEMBERSHIP, "groups.role_changed", "/") is None
    assert not Notification.objects.exists()
    assert mailoutbox == []


def test_suspension_that_has_ended_does_not_block():
    person = UserFactory(suspended_until=timezone.now() - timedelta(days=1))
    assert notify(person, Kind.MEMBERSHIP, "groups.removed", "/") is not None


def test_nobody_is_notified_about_what_they_did_themselves():
    person = UserFactory()
    assert notify(person, Kind.MEMBERSHIP, "groups.removed", "/", actor=person) is None
    assert not Notification.objects.exists()


def test_anonymous_or_missing_recipient_gets_nothing():
    from django.contrib.auth.models import AnonymousUser

    assert notify(AnonymousUser(), Kind.MEMBERSHIP, "groups.removed") is None
    assert notify(None, Kind.MEMBERSHIP, "groups.removed") is None


def test_unknown_kind_or_message_is_a_programming_error():
    with pytest.raises(ValueError):
        notify(UserFactory(), "gossip", "groups.removed")
    with pytest.raises(ValueError, match="Unknown notification message"):
        notify(UserFactory(), Kind.MEMBERSHIP, "Je bent verwijderd uit de groep.")
    assert not Notification.objects.exists()


def test_long_parameters_are_cut_to_fit():
    notification = notify(
        UserFactory(), Kind.MEMBERSHIP, "groups.removed", params={"group": "x" * 800}
    )
    notification.refresh_from_db()
    assert len(notification.params["group"]) == 300


def test_task_run_twice_sends_one_email(mailoutbox):
    notification = notify(UserFactory(), Kind.MEMBERSHIP, "groups.removed", "/")
    assert send_notification_email(notification.pk) is True
    assert send_notification_email(notification.pk) is False
    assert len(mailoutbox) == 1


def test_email_link_never_leaves_the_site(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(UserFactory(), Kind.MEMBERSHIP, "groups.removed", "https://evil.example/")
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert "evil.example" not in mailoutbox[0].body
    assert f"{base}/notifications/" in mailoutbox[0].body


def test_multiline_text_makes_a_one_line_subject(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(UserFactory(), Kind.MEMBERSHIP, "groups.removed", "/", params={"group": "Een\nTwee"})
    assert mailoutbox[0].subject == "[Meent] Je bent verwijderd uit Een Twee."
