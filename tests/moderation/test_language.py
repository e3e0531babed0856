"""What moderation tells people is in their own language, not the moderator's: the suspension
e-mail, the decisions' notifications (the kind and the decision named in the reader's words), and
dates in the reader's format."""

from datetime import datetime

import pytest
from django.utils import timezone, translation

from moderation import services
from notifications.models import Notification

pytestmark = pytest.mark.django_db


def report(world, who="reader"):
    return services.report_item(world["people"][who], "comment", world["comment"].pk, "spam")[0]


@pytest.mark.parametrize(
    ("language", "greeting", "until", "reason"),
    [
        ("en", "Hello", "until 1 March 2030, 12:00", "Reason: Reclame"),
        ("nl", "Hallo", "tot 1 maart 2030, 12:00", "Reden: Reclame"),
    ],
)
def test_the_suspension_email_is_in_the_persons_language(
    world, mailoutbox, django_capture_on_commit_callbacks, language, greeting, until, reason
):
    person = world["people"]["author"]
    person.language = language
    person.save(update_fields=["language"])
    end = timezone.make_aware(datetime(2030, 3, 1, 12, 0))
    moderator_language = "nl" if language == "en" else "en"
    with translation.override(moderator_language), django_capture_on_commit_callbacks(execute=True):
        services.suspend(world["people"]["moderator"], person, until=end, reason="Reclame")
    assert len(mailoutbox) == 1
    body = mailoutbox[0].body
    assert body.startswith(f"{greeting} {person.display_name},")
    assert until in body
    assert reason in body


def test_decisions_are_told_in_each_readers_language(world, django_capture_on_commit_callbacks):
    people = world["people"]
    people["author"].language = "en"
    people["author"].save(update_fields=["language"])
    opened = report(world)
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        services.decide(people["moderator"], opened, "hide", "Reclame hoort hier niet")

    to_author = Notification.objects.get(recipient=people["author"])
    to_reader = Notification.objects.get(recipient=people["reader"])
    assert to_author.message == "moderation.hidden" and to_author.text == ""
    # What was reported is stored as a key and the post's title, described when read.
    title = world["comment"].post.title
    assert opened.subject == {"key": "comment", "title": title}
    with translation.override("en"):
        item = f"Comment on “{title}”"
        assert to_author.display_text == (
            f"A moderator hid your comment: {item}. Reason: Reclame hoort hier niet"
        )
        assert to_reader.display_text == f"Your report about {item} was handled: hidden. Thank you."
    with translation.override("nl"):
        item = f"Reactie op “{title}”"
        assert to_author.display_text == (
            f"Een moderator heeft je reactie verborgen: {item}. Reden: Reclame hoort hier niet"
        )
        assert to_reader.display_text == (
            f"Je melding over {item} is afgehandeld: verborgen. Dank je wel."
        )


@pytest.mark.parametrize(
    ("language", "described"),
    [("en", "Chat message in a direct conversation"), ("nl", "Chatbericht in een direct gesprek")],
)
def test_the_queue_describes_each_report_in_the_moderators_language(world, language, described):
    from moderation.models import Report, describe

    opened = report(world)
    with translation.override(language):
        assert opened.label == describe({"key": "comment", "title": world["comment"].post.title})
        assert describe({"key": "chat_message_direct"}) == described
        assert str(opened) == opened.label
    # A report made before subjects were stored shows its stored title; an unknown or broken
    # subject describes nothing and falls back to it too.
    for subject in ({}, {"key": "nonsense"}, ["key"], {"key": "group", "name": ["x"]}):
        Report.objects.filter(pk=opened.pk).update(subject=subject, title="Oude titel")
        opened.refresh_from_db()
        with translation.override(language):
            assert opened.label in ("Oude titel", describe({"key": "group"}))
    with translation.override("en"):
        assert describe({"key": "wiki_page", "title": "Plan"}) == "Wiki page “Plan” in (unknown)"


def test_a_report_handled_twice_names_the_date_in_the_readers_format(world):
    opened = report(world)
    services.decide(world["people"]["moderator"], opened, "dismiss")
    moment = timezone.make_aware(datetime(2026, 3, 5, 14, 2))
    type(opened).objects.filter(pk=opened.pk).update(decided_at=moment)
    for language, date in (("en", "5 March 2026, 14:02"), ("nl", "5 maart 2026 14:02")):
        with translation.override(language), pytest.raises(services.ModerationError) as refused:
            services.decide(world["people"]["moderator"], opened, "hide", "Toch")
        assert date in refused.value.message
