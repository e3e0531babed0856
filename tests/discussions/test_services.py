"""The discussions' services: what is saved, what is refused with which reason, and that a
refusal saves nothing."""

import pytest
from django.utils import translation

from discussions import services
from discussions.models import Discussion, Reply
from discussions.services import DiscussionError
from tests.discussions.conftest import answer, start
from tests.helpers import at_once, require_row_locks


def test_a_member_starts_a_discussion_with_clean_text(forum):
    discussion = start(forum, body="<p>Hallo <b>team</b></p><script>alert(1)</script>")
    assert discussion.author == forum["people"]["anna"]
    assert "<script>" not in discussion.body and "<b>team</b>" in discussion.body
    assert discussion.reply_count == 0 and discussion.last_activity_at == discussion.created_at


@pytest.mark.parametrize(
    "title, body, field",
    [
        ("", "<p>Tekst</p>", "title"),
        ("   ", "<p>Tekst</p>", "title"),
        ("x" * 201, "<p>Tekst</p>", "title"),
        ("Titel", "", "body"),
        ("Titel", "<p> </p>", "body"),
    ],
)
def test_a_start_without_a_title_or_text_is_refused_at_its_field(forum, title, body, field):
    with pytest.raises(DiscussionError) as refused:
        start(forum, title=title, body=body)
    assert refused.value.field == field and refused.value.status == 400
    assert not Discussion.objects.exists()


def test_a_body_too_long_is_413_and_nothing_saved(forum, settings):
    settings.MEENT_BLOG_MAX_BODY = 100
    with pytest.raises(DiscussionError) as refused:
        start(forum, body="<p>" + "a" * 200 + "</p>")
    assert refused.value.status == 413 and refused.value.field == "body"
    assert not Discussion.objects.exists()


def test_who_may_start_a_discussion(forum):
    group = forum["group"]
    with pytest.raises(DiscussionError) as refused:
        start(forum, who="outsider")
    assert refused.value.status == 403
    group.discussions_enabled = False
    group.save()
    with pytest.raises(DiscussionError) as refused:
        start(forum)
    assert refused.value.status == 409
    group.discussions_enabled, group.is_archived = True, True
    group.save()
    with pytest.raises(DiscussionError) as refused:
        start(forum)
    assert refused.value.status == 409
    assert not Discussion.objects.exists()


def test_replies_count_and_move_the_last_activity(forum):
    discussion = start(forum)
    first = answer(forum, discussion)
    second = answer(forum, discussion, who="anna", body="Dank je!")
    discussion.refresh_from_db()
    assert discussion.reply_count == 2
    assert discussion.last_activity_at == second.created_at > first.created_at


def test_an_empty_or_too_long_reply_is_refused(forum):
    discussion = start(forum)
    for body in ("", "   \n "):
        with pytest.raises(DiscussionError) as refused:
            answer(forum, discussion, body=body)
        assert refused.value.field == "body"
    with pytest.raises(DiscussionError):
        answer(forum, discussion, body="a" * (services.REPLY_MAX + 1))
    discussion.refresh_from_db()
    assert discussion.reply_count == 0 and not Reply.objects.exists()


def test_quoting_a_reply_and_the_start(forum):
    discussion = start(forum)
    first = answer(forum, discussion, body="Eerste gedachte")
    quoting = answer(forum, discussion, who="anna", body="Precies", quote=str(first.pk))
    assert quoting.quoted == first and not quoting.quotes_start
    of_start = answer(forum, discussion, who="owner", body="Ja", quote="start")
    assert of_start.quotes_start and of_start.quoted is None
    assert services.quote_excerpt(None, discussion) == "Hoe werken we samen?"


def test_quoting_another_discussions_reply_a_hidden_or_a_missing_one_is_refused(forum):
    discussion = start(forum)
    other = start(forum, title="Iets anders")
    elsewhere = answer(forum, other)
    hidden = answer(forum, discussion)
    services.hide_reply(hidden)
    for quote, reason in (
        (str(elsewhere.pk), "this discussion"),
        (str(hidden.pk), "hidden"),
        ("999999", "does not exist"),
        ("99999999999999999999", "does not exist"),
        ("abc", "does not exist"),
    ):
        with translation.override("en"), pytest.raises(DiscussionError) as refused:
            answer(forum, discussion, body="Citaat", quote=quote)
        assert refused.value.field == "quote" and refused.value.status == 400
        assert reason in refused.value.message
    discussion.refresh_from_db()
    assert discussion.reply_count == 0
    assert Reply.objects.filter(discussion=discussion).count() == 1  # only the hidden one


def test_a_closed_discussion_refuses_replies_and_saves_nothing(forum):
    discussion = start(forum)
    services.close(forum["people"]["owner"], discussion)
    with translation.override("en"), pytest.raises(DiscussionError) as refused:
        answer(forum, discussion)
    assert refused.value.status == 409 and "closed" in refused.value.message
    assert not Reply.objects.exists()
    services.reopen(forum["people"]["admin"], discussion)
    answer(forum, discussion)
    assert Reply.objects.count() == 1


def test_only_owners_and_admins_pin_and_close(forum):
    discussion = start(forum)
    for who in ("anna", "bram", "outsider"):
        for change in (services.pin, services.close):
            with pytest.raises(DiscussionError) as refused:
                change(forum["people"][who], discussion)
            assert refused.value.status == 403
    services.pin(forum["people"]["admin"], discussion)
    discussion.refresh_from_db()
    assert discussion.is_pinned and not discussion.is_closed
    services.unpin(forum["people"]["owner"], discussion)
    discussion.refresh_from_db()
    assert not discussion.is_pinned


def test_authors_edit_their_own_words_only(forum):
    discussion = start(forum)
    own = answer(forum, discussion)
    services.edit(forum["people"]["anna"], discussion, "Nieuwe titel", "<p>Nieuw</p>")
    discussion.refresh_from_db()
    assert discussion.title == "Nieuwe titel" and discussion.edited_at is not None
    services.edit_reply(forum["people"]["bram"], own, "Aangepast")
    own.refresh_from_db()
    assert own.body == "Aangepast" and own.edited_at is not None
    with pytest.raises(DiscussionError) as refused:
        services.edit(forum["people"]["owner"], discussion, "Van de eigenaar", "<p>x</p>")
    assert refused.value.status == 403
    with pytest.raises(DiscussionError):
        services.edit_reply(forum["people"]["anna"], own, "Niet van mij")
    with pytest.raises(DiscussionError) as refused:
        services.edit(forum["people"]["anna"], discussion, "", "<p>Nieuw</p>")
    assert refused.value.field == "title"
    discussion.refresh_from_db()
    assert discussion.title == "Nieuwe titel"


def test_hiding_a_reply_takes_it_out_of_the_count_once(forum):
    discussion = start(forum)
    reply = answer(forum, discussion)
    services.hide_reply(reply)
    services.hide_reply(reply)
    discussion.refresh_from_db()
    assert discussion.reply_count == 0
    services.unhide_reply(reply)
    discussion.refresh_from_db()
    assert discussion.reply_count == 1
    services.delete_reply(reply)
    discussion.refresh_from_db()
    assert discussion.reply_count == 0


def test_a_visit_is_written_at_most_once_a_minute(forum):
    import datetime

    from django.utils import timezone

    discussion = start(forum)
    bram = forum["people"]["bram"]
    now = timezone.now()
    assert services.visit(bram, discussion, now) is None
    assert services.visit(bram, discussion, now + datetime.timedelta(seconds=30)) == now
    later = now + datetime.timedelta(minutes=2)
    assert services.visit(bram, discussion, later) == now
    assert services.visit(bram, discussion, later + datetime.timedelta(minutes=2)) == later


def test_the_page_of_a_reply(forum):
    discussion = start(forum)
    bram = forum["people"]["bram"]
    Reply.objects.bulk_create(
        [Reply(discussion=discussion, author=bram, body=f"r{n}") for n in range(51)]
    )
    replies = list(Reply.objects.filter(discussion=discussion).order_by("created_at", "pk"))
    assert services.page_of(replies[0]) == 1
    assert services.page_of(replies[49]) == 1
    assert services.page_of(replies[50]) == 2


@pytest.mark.django_db(transaction=True)
def test_two_replies_at_once_count_two_and_a_close_between_refuses_the_later():

    from tests.factories import GroupFactory, MembershipFactory, UserFactory

    require_row_locks()
    group = GroupFactory(slug="gelijktijdig", content_default="members")
    people = [UserFactory(first_name=f"Lid{n}") for n in range(3)]
    MembershipFactory(group=group, user=people[0], role="owner")
    for person in people[1:]:
        MembershipFactory(group=group, user=person, role="member")
    discussion = services.start(people[0], group, "Tegelijk", "<p>Wie is eerst?</p>")

    def reply_by(person):
        return lambda: services.reply(person, Discussion.objects.get(pk=discussion.pk), "Ik")

    _results, errors = at_once(*(reply_by(p) for p in people[1:]))
    assert errors == []
    discussion.refresh_from_db()
    assert discussion.reply_count == 2 == Reply.objects.filter(discussion=discussion).count()

    # A reply and a close at once: the reply lands before the close or is refused after it.
    _results, errors = at_once(
        reply_by(people[1]),
        lambda: services.close(people[0], Discussion.objects.get(pk=discussion.pk)),
    )
    assert all(isinstance(error, DiscussionError) for error in errors), errors
    discussion.refresh_from_db()
    assert discussion.is_closed
    replies = Reply.objects.filter(discussion=discussion).count()
    assert discussion.reply_count == replies
    assert (replies, len(errors)) in ((3, 0), (2, 1))
    assert all(error.status == 409 for error in errors)
