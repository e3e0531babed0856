"""Privacy as a registry: each app registers its parts of what Meent holds about a person
(privacy/registry.py), and the export, the overview and account deletion ask the parts."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import translation

from privacy import export as exporting
from privacy import registry, services
from privacy.registry import PrivacyPart

from .test_export import read_zip, run_export

pytestmark = pytest.mark.django_db
User = get_user_model()

# The sections of the JSON export, and the rows of the overview, as they were before the registry.
SECTIONS = [
    "profile",
    "profile_values",
    "memberships",
    "join_requests",
    "invitations_sent",
    "blog_posts",
    "comments",
    "reactions",
    "follows",
    "content_digest",
    "bookmarks",
    "wiki_revisions",
    "wiki_attachments",
    "group_files",
    "event_signups",
    "events_organised",
    "discussions_started",
    "discussion_replies",
    "polls_asked",
    "poll_votes",
    "chat_messages",
    "notifications",
    "questions_asked",
    "answers_written",
    "answer_votes",
    "reports",
]
OVERVIEW = [
    "E-mail addresses",
    "Profile fields",
    "Group memberships",
    "Requests to join groups",
    "Invitations you sent",
    "Blog posts",
    "Comments",
    "Likes",
    "What you follow",
    "Content digest",
    "Saved items",
    "Activity streams",
    "Wiki changes",
    "Wiki files",
    "Group files you uploaded",
    "Event sign-ups",
    "Events you organise",
    "Discussions you started",
    "Replies in discussions",
    "Polls you asked",
    "Your votes in polls",
    "Chat messages",
    "Notifications",
    "Questions you asked",
    "Answers you wrote",
    "Votes for answers",
    "Reports you made",
]


def test_the_sections_keep_their_order(client, privacy_world):
    assert [part.key for part in exporting.sections()] == SECTIONS
    data, _files = read_zip(run_export(privacy_world.anna))
    assert list(data) == ["meent_data_export", *SECTIONS]

    client.force_login(privacy_world.anna)
    with translation.override("en"):
        response = client.get(reverse("privacy:overview"), HTTP_ACCEPT_LANGUAGE="en")
        lines = services.plan(privacy_world.anna)
    assert [label for label, _count in response.context["categories"]] == OVERVIEW
    assert lines == [
        "1 blog post of yours (on your own blog, or a draft) is deleted.",
        "1 blog post in groups stays for the group, as by a former member.",
        "1 comment of yours stays where you wrote it, as by a former member.",
        "4 lines about what you did leave the activity streams.",
        "1 wiki change of yours stays where you made it, as by a former member.",
        "1 chat message of yours stays where you wrote it, as by a former member.",
    ]


def test_a_key_is_registered_once():
    with pytest.raises(ValueError, match="registered already"):
        registry.register(PrivacyPart("blog_posts", "Blog posts", 1))


@pytest.fixture
def extra_part():
    """A part of some other app: between the chat messages and the notifications."""
    erased = []

    def erase(user, erasure):
        # Inside the deletion, while the person is still there.
        assert User.objects.filter(pk=user.pk).exists()
        erasure.delete_file(user.avatar)
        erased.append(user.pk)

    part = registry.register(
        PrivacyPart(
            "test_things",
            "Test things",
            105,
            export=lambda user, files: [{"thing": f"of {user.first_name}"}],
            held=lambda user: 3,
            plan=lambda user: [f"Your 3 test things go, {user.first_name}."],
            erase=erase,
        )
    )
    try:
        yield part, erased
    finally:
        registry.unregister("test_things")
    assert "test_things" not in registry.PARTS


def test_a_registered_part_is_exported_counted_and_erased(
    client, privacy_world, extra_part, media_root, django_capture_on_commit_callbacks
):
    _part, erased = extra_part
    anna = privacy_world.anna
    data, _files = read_zip(run_export(anna))
    keys = list(data)
    assert data["test_things"] == [{"thing": "of Anna"}]
    assert keys.index("test_things") == keys.index("chat_messages") + 1
    assert keys.index("notifications") == keys.index("test_things") + 1

    client.force_login(anna)
    with translation.override("en"):
        overview = client.get(reverse("privacy:overview"), HTTP_ACCEPT_LANGUAGE="en")
        page = client.get(reverse("privacy:delete"), HTTP_ACCEPT_LANGUAGE="en")
    assert dict(overview.context["categories"])["Test things"] == 3
    assert '<th scope="row">Test things</th><td data-count>3</td>' in overview.content.decode()
    assert "<li>Your 3 test things go, Anna.</li>" in page.content.decode()

    avatar = media_root / anna.avatar.name
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_account(anna)
    assert erased == [anna.pk]
    assert not User.objects.filter(pk=anna.pk).exists()
    assert not avatar.exists()


def test_a_step_label_is_its_parts(privacy_world):
    with translation.override("en"):
        assert str(exporting.step_label("comments")) == "Comments"
        assert str(exporting.step_label("files")) == "Uploaded files"
        assert exporting.step_label("data_exports") == ""  # a part without a section
        assert exporting.step_label("gone") == ""


def test_reports_are_described_in_the_persons_language(privacy_world):
    from moderation.models import Report

    anna = privacy_world.anna
    Report.objects.update(subject={"key": "post", "title": "Brams openbare post"})
    User.objects.filter(pk=anna.pk).update(language="nl")
    anna.refresh_from_db()
    data, _files = read_zip(run_export(anna))
    assert [r["item"] for r in data["reports"]] == ["Blogbericht “Brams openbare post”"]
