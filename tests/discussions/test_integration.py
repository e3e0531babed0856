"""Discussions with the rest of Meent: the activity stream and following, the notifications of a
reply (never the replier, never twice), mentions, search (a word from a reply finds the thread),
reports and hiding, and a person's data."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from activity import services as stream
from activity.models import Entry, Follow
from discussions import services
from discussions.models import Discussion, DiscussionVisit, Reply
from moderation import services as moderation
from moderation.models import Kind, Report
from moderation.targets import may_report, target_for
from notifications.models import Notification
from privacy import export as exporting
from privacy import registry
from privacy import services as privacy
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from tests.discussions.conftest import answer, start
from tests.factories import UserFactory, make_moderator

pytestmark = pytest.mark.django_db


def lines(user, group):
    return [
        line
        for line in stream.lines(stream.group_entries(user, group))
        if line.kind.key.startswith("discussions.")
    ]


def find(user, text, **filters):
    drain_outbox()
    results = get_search_backend().search(
        SearchQuery(text=text, user=user, types=("discussion",), per_page=50, **filters)
    )
    return [hit.object_id for hit in results.hits]


# ---------------------------------------------------------------------------------------------
# The stream and following


def test_starting_and_replying_are_lines_and_one_persons_replies_fold(forum):
    discussion = start(forum)
    for body in ("Een", "Twee", "Drie"):
        answer(forum, discussion, body=body)
    answer(forum, discussion, who="anna", body="Vier")
    owner = forum["people"]["owner"]
    shown = lines(owner, forum["group"])
    assert [line.kind.key for line in shown] == [
        "discussions.replied",
        "discussions.replied",
        "discussions.started",
    ]
    assert shown[1].entry.count == 3 and shown[0].entry.count == 1
    with translation.override("en"):
        assert str(shown[1].kind.plural) == "{actor} replied {count} times to {target}"
    # Nobody reads a line of a discussion they may not see.
    assert lines(forum["people"]["outsider"], forum["group"]) == []
    services.hide(discussion)
    assert lines(owner, forum["group"]) == []


def test_the_author_and_repliers_follow_and_a_follow_can_be_undone(forum):
    discussion = start(forum)
    answer(forum, discussion)
    anna, bram = forum["people"]["anna"], forum["people"]["bram"]
    assert stream.follow_of(anna, discussion) and stream.follow_of(bram, discussion)
    assert stream.unfollow(bram, discussion)
    assert stream.follow_of(bram, discussion) is None


def test_followers_of_the_group_hear_of_a_new_discussion(forum, django_capture_on_commit_callbacks):
    bram, outsider = forum["people"]["bram"], forum["people"]["outsider"]
    stream.follow(bram, forum["group"], Follow.Level.ALL)
    with django_capture_on_commit_callbacks(execute=True):
        discussion = start(forum)
    [told] = Notification.objects.filter(message="activity.new_in_group")
    assert told.recipient == bram and told.url == discussion.get_absolute_url()
    assert not Notification.objects.filter(recipient=outsider)


def test_a_reply_tells_the_author_and_followers_once_never_the_replier(
    forum, django_capture_on_commit_callbacks
):
    anna, bram, owner, admin = (forum["people"][w] for w in ("anna", "bram", "owner", "admin"))
    with django_capture_on_commit_callbacks(execute=True):
        discussion = start(forum)
    stream.follow(owner, discussion)  # every new item
    stream.follow(admin, discussion, Follow.Level.MENTIONS)
    with django_capture_on_commit_callbacks(execute=True):
        reply = answer(forum, discussion, body="Goed plan, @Anna Test en @Admin Test")
    told = list(Notification.objects.values_list("recipient_id", "kind", "message"))
    assert sorted(told) == sorted(
        [
            (anna.pk, "conversations", "discussions.reply"),
            (owner.pk, "conversations", "discussions.reply"),
            (admin.pk, "following", "discussions.followed_reply"),
        ]
    )
    assert not Notification.objects.filter(recipient=bram)
    note = Notification.objects.get(recipient=anna)
    assert note.url == reply.get_absolute_url()
    with translation.override("en"):
        assert note.display_text == "Bram Test replied to “Werkafspraken”"
    # Bram replies again: he follows now, but is never told of his own reply; Anna hears again.
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        answer(forum, discussion, who="anna", body="Dank je, @Bram Test")
    assert set(Notification.objects.values_list("recipient_id", "message")) == {
        (bram.pk, "discussions.reply"),
        (owner.pk, "discussions.reply"),
        (admin.pk, "discussions.followed_reply"),
    }


def test_a_mention_reaches_who_follows_nothing_if_they_may_read(
    forum, django_capture_on_commit_callbacks
):
    outsider = forum["people"]["outsider"]
    with django_capture_on_commit_callbacks(execute=True):
        discussion = start(forum, body="<p>Wat vindt @Owner Test, en @Outsider Test?</p>")
    [mention] = Notification.objects.filter(kind="mention")
    assert mention.recipient == forum["people"]["owner"]
    assert mention.message == "discussions.mention"
    assert not Notification.objects.filter(recipient=outsider)
    with django_capture_on_commit_callbacks(execute=True):
        answer(forum, discussion, who="bram", body="@Admin Test kijk even")
    [reply_mention] = Notification.objects.filter(message="discussions.reply_mention")
    assert reply_mention.recipient == forum["people"]["admin"]


# ---------------------------------------------------------------------------------------------
# Search


def test_a_word_from_a_reply_finds_the_thread_and_hiding_it_forgets_the_word(
    forum, django_capture_on_commit_callbacks
):
    bram, outsider = forum["people"]["bram"], forum["people"]["outsider"]
    with django_capture_on_commit_callbacks(execute=True):
        discussion = start(forum, title="Dijkversterking", body="<p>Hoe pakken we het aan?</p>")
        reply = answer(forum, discussion, body="Met de waterkering van 2027 < 2028 & meer")
    assert find(bram, "Dijkversterking") == [discussion.pk]
    assert find(bram, "waterkering") == [discussion.pk]
    assert find(outsider, "waterkering") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.hide_reply(reply)
    assert find(bram, "waterkering") == []
    with django_capture_on_commit_callbacks(execute=True):
        services.hide(discussion)
    assert find(bram, "Dijkversterking") == []


def test_the_switch_takes_the_discussions_out_of_search_and_back(
    forum, django_capture_on_commit_callbacks
):
    bram = forum["people"]["bram"]
    with django_capture_on_commit_callbacks(execute=True):
        discussion = start(forum, title="Bruggenplan")
    assert find(bram, "Bruggenplan") == [discussion.pk]
    group = forum["group"]
    with django_capture_on_commit_callbacks(execute=True):
        group.discussions_enabled = False
        group.save()
    assert find(bram, "Bruggenplan") == []
    with django_capture_on_commit_callbacks(execute=True):
        group.discussions_enabled = True
        group.save()
    assert find(bram, "Bruggenplan") == [discussion.pk]


# ---------------------------------------------------------------------------------------------
# Reports


def test_the_targets_describe_a_discussion_and_a_reply(forum):
    discussion = start(forum)
    reply = answer(forum, discussion, body="Een antwoord")
    target = target_for(Kind.DISCUSSION)
    assert target.get(discussion.pk) == discussion and target.group(discussion) == forum["group"]
    with translation.override("en"):
        assert target.title(discussion) == "Discussion “Werkafspraken” in Team"
        assert target_for(Kind.DISCUSSION_REPLY).title(reply) == (
            "Reply in the discussion “Werkafspraken”"
        )
    assert target_for(Kind.DISCUSSION_REPLY).excerpt(reply) == "Een antwoord"
    assert target_for(Kind.DISCUSSION_REPLY).author(reply) == forum["people"]["bram"]


def test_a_reply_is_reported_and_hidden_by_the_groups_owner(
    forum, django_capture_on_commit_callbacks, client
):
    anna, owner = forum["people"]["anna"], forum["people"]["owner"]
    discussion = start(forum)
    reply = answer(forum, discussion, body="Koop nu")
    assert may_report(anna, reply)
    with django_capture_on_commit_callbacks(execute=True):
        report, _new = moderation.report_item(anna, Kind.DISCUSSION_REPLY, reply.pk, "spam")
    assert report.group == forum["group"] and report.author == forum["people"]["bram"]
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(owner, report, Report.Decision.HIDE, "Reclame")
    reply.refresh_from_db()
    discussion.refresh_from_db()
    assert reply.hidden_at is not None and discussion.reply_count == 0
    client.force_login(anna)
    page = client.get(discussion.get_absolute_url()).content.decode()
    assert "Koop nu" not in page


def test_a_moderator_deletes_a_discussion_with_its_replies(
    forum, django_capture_on_commit_callbacks
):
    moderator = make_moderator(UserFactory(is_staff=True))
    discussion = start(forum)
    answer(forum, discussion)
    with django_capture_on_commit_callbacks(execute=True):
        report, _new = moderation.report_item(
            forum["people"]["bram"], Kind.DISCUSSION, discussion.pk, "abuse"
        )
        moderation.decide(moderator, report, Report.Decision.DELETE, "Ongepast")
    assert not Discussion.objects.exists() and not Reply.objects.exists()
    assert not Entry.objects.filter(kind__startswith="discussions.").exists()


def test_the_thread_offers_report_links_to_others_than_the_author(forum, client):
    discussion = start(forum)
    reply = answer(forum, discussion)
    start_link = reverse("moderation:report", args=["discussion", discussion.pk])
    reply_link = reverse("moderation:report", args=["discussion_reply", reply.pk])
    client.force_login(forum["people"]["bram"])
    page = client.get(discussion.get_absolute_url()).content.decode()
    assert start_link in page and reply_link not in page
    client.force_login(forum["people"]["anna"])
    page = client.get(discussion.get_absolute_url()).content.decode()
    assert start_link not in page and reply_link in page
    assert client.get(reply_link).status_code == 200


# ---------------------------------------------------------------------------------------------
# A person's data


def test_my_data_has_my_discussions_and_replies(forum):
    discussion = start(forum)
    answer(forum, discussion, who="anna", body="Mijn eigen antwoord")
    data, _files = exporting.collect(forum["people"]["anna"])
    [mine] = data["discussions_started"]
    assert mine["title"] == "Werkafspraken" and mine["group"] == "Team"
    assert mine["link"].endswith(discussion.get_absolute_url())
    [written] = data["discussion_replies"]
    assert written["text"] == "Mijn eigen antwoord" and written["discussion"] == "Werkafspraken"
    services.hide(discussion)
    data, _files = exporting.collect(forum["people"]["anna"])
    assert data["discussion_replies"][0]["discussion"] is None  # no longer hers to see
    assert registry.part_for("discussions_started").held(forum["people"]["anna"]).count() == 1
    assert registry.part_for("discussion_replies").held(forum["people"]["anna"]).count() == 1


def test_deleting_my_account_leaves_my_words_as_a_former_members(
    forum, django_capture_on_commit_callbacks, client
):
    anna, owner = forum["people"]["anna"], forum["people"]["owner"]
    with django_capture_on_commit_callbacks(execute=True):
        discussion = start(forum, title="Waterplan")
        answer(forum, discussion, who="anna", body="Nog een gedachte")
    services.visit(anna, discussion)
    assert find(owner, "Waterplan", author_id=anna.pk) == [discussion.pk]
    with translation.override("en"):
        plan = privacy.plan(anna)
    assert any("discussion you started stays in its group" in line for line in plan)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.delete_account(anna)
    discussion.refresh_from_db()
    assert discussion.author is None
    assert Reply.objects.get(body="Nog een gedachte").author is None
    assert not DiscussionVisit.objects.exists()
    assert find(owner, "Waterplan") == [discussion.pk]
    assert find(owner, "Waterplan", author_id=anna.pk) == []
    client.force_login(owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(discussion.get_absolute_url()).content.decode()
    assert "A former member" in page
