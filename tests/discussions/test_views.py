"""The discussions' pages: the list with its order, marks and unread counts, starting, the
thread with its replies, quotes and first new reply, replying, editing, pinning and closing;
refusals at their field with their status, 404 for what a person may not see, queries flat as
threads and replies grow."""

import datetime

import pytest
from django.conf import settings
from django.db import connection, reset_queries
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from discussions import services
from discussions.models import Discussion, DiscussionVisit, Reply
from tests.discussions.conftest import answer, start


def url(name, forum, *args):
    return reverse(f"discussions:{name}", args=[forum["group"].slug, *args])


def login(client, forum, who):
    client.force_login(forum["people"][who])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def text_of(response):
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# The list


def test_pinned_first_then_newest_activity_and_the_newest_started_sort(client, forum):
    old = start(forum, title="Oud onderwerp")
    middle = start(forum, title="Middel onderwerp")
    pinned = start(forum, title="Vastgeprikt onderwerp")
    services.pin(forum["people"]["owner"], pinned)
    answer(forum, old)  # the oldest has the newest activity now
    english(client)
    login(client, forum, "bram")
    page = text_of(client.get(url("list", forum)))
    assert page.index(pinned.title) < page.index(old.title) < page.index(middle.title)
    assert "Pinned" in page and "1 reply" in page
    started = text_of(client.get(url("list", forum) + "?sort=started"))
    assert started.index(pinned.title) < started.index(middle.title) < started.index(old.title)
    assert client.get(url("list", forum) + "?sort=oldest").status_code == 400


def test_n_new_since_the_last_visit_of_the_thread(client, forum):
    discussion = start(forum)
    english(client)
    login(client, forum, "anna")
    client.get(discussion.get_absolute_url())
    # Her visit is a minute old when the others reply.
    DiscussionVisit.objects.update(seen_at=timezone.now() - datetime.timedelta(minutes=5))
    answer(forum, discussion, who="bram")
    answer(forum, discussion, who="owner", body="Ik ook")
    answer(forum, discussion, who="anna", body="Mijn eigen reactie telt niet")
    page = text_of(client.get(url("list", forum)))
    assert "2 new" in page
    thread = text_of(client.get(discussion.get_absolute_url()))
    first = Reply.objects.filter(author=forum["people"]["bram"]).get()
    assert "First new reply" in thread and first.get_absolute_url() in thread
    assert 'class="reply reply--new"' in thread
    # The visit is written: after a minute nothing is new any more.
    DiscussionVisit.objects.update(seen_at=timezone.now())
    assert "new" not in text_of(client.get(url("list", forum))).split("discussion-list")[1].split(
        "</ul>"
    )[0].replace("newest", "")


def test_an_empty_list_says_what_to_do(client, forum):
    english(client)
    login(client, forum, "anna")
    page = text_of(client.get(url("list", forum)))
    assert "No discussions yet. Start the first one" in page
    assert url("new", forum) in page
    login(client, forum, "outsider")
    response = client.get(url("list", forum))
    assert response.status_code == 403
    assert "Only members of this group can see its discussions." in text_of(response)


def test_a_flat_number_of_queries_for_10_and_1000_threads(
    client, forum, django_assert_max_num_queries
):
    group = forum["group"]
    anna, bram = forum["people"]["anna"], forum["people"]["bram"]
    login(client, forum, "anna")
    address = url("list", forum)

    def fill(count):
        have = Discussion.objects.count()
        now = timezone.now()
        made = Discussion.objects.bulk_create(
            [
                Discussion(
                    group=group,
                    author=bram,
                    title=f"Onderwerp {number:04}",
                    body="<p>x</p>",
                    last_activity_at=now - datetime.timedelta(minutes=number),
                    reply_count=1,
                )
                for number in range(have, count)
            ]
        )
        Reply.objects.bulk_create([Reply(discussion=d, author=bram, body="r") for d in made])
        DiscussionVisit.objects.bulk_create(
            [
                DiscussionVisit(user=anna, discussion=d, seen_at=now - datetime.timedelta(days=1))
                for d in made
            ]
        )

    fill(10)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    counted = len(few.captured_queries)
    assert 0 < counted <= 30
    fill(1000)
    client.get(address)
    reset_queries()
    with django_assert_max_num_queries(counted):
        response = client.get(address)
    print(f"discussions list: at most {counted} queries for 10 and for 1,000 threads")
    page = text_of(response)
    assert "Onderwerp 0000" in page and "Onderwerp 0025" not in page
    assert page.count("badge--new") == 25
    assert "Onderwerp 0025" in text_of(client.get(address + "?page=2"))


# ---------------------------------------------------------------------------------------------
# Starting


def test_a_member_starts_through_the_form_once(client, forum):
    login(client, forum, "anna")
    address = url("new", forum)
    assert client.get(address).status_code == 200
    data = {
        "title": "Nieuwe werkwijze",
        "body": "<p>Wat vinden jullie?</p><script>x</script>",
        "submission_key": "a" * 32,
    }
    response = client.post(address, data)
    discussion = Discussion.objects.get()
    assert response.status_code == 302 and response["Location"] == discussion.get_absolute_url()
    assert "<script>" not in discussion.body
    again = client.post(address, data)
    assert again.status_code == 302 and Discussion.objects.count() == 1


@pytest.mark.parametrize(
    "data, field, status",
    [
        ({"title": "", "body": "<p>x</p>"}, "title", 400),
        ({"title": "x" * 201, "body": "<p>x</p>"}, "title", 400),
        ({"title": "Titel", "body": ""}, "body", 400),
    ],
)
def test_a_refused_start_comes_back_with_the_message_at_its_field(
    client, forum, data, field, status
):
    english(client)
    login(client, forum, "anna")
    response = client.post(url("new", forum), {**data, "submission_key": "b" * 32})
    assert response.status_code == status
    assert response.context["form"].errors[field]
    assert not Discussion.objects.exists()
    # What was typed stays.
    if data["body"]:
        assert "&lt;p&gt;x&lt;/p&gt;" in text_of(response)


def test_who_may_not_start(client, forum):
    login(client, forum, "outsider")
    assert client.get(url("new", forum)).status_code == 403
    forum["group"].content_default = "open"
    forum["group"].save()
    response = client.post(url("new", forum), {"title": "T", "body": "<p>x</p>"})
    assert response.status_code == 403 and not Discussion.objects.exists()
    client.logout()
    response = client.get(url("new", forum))
    assert response.status_code == 302 and "login" in response["Location"]


# ---------------------------------------------------------------------------------------------
# The thread


def test_the_thread_shows_the_start_and_the_replies_with_their_quotes(client, forum):
    discussion = start(forum)
    first = answer(forum, discussion, body="Eerste\nmet een tweede regel <b>niet vet</b>")
    answer(forum, discussion, who="anna", body="Klopt", quote=str(first.pk))
    answer(forum, discussion, who="owner", body="En de start", quote="start")
    english(client)
    login(client, forum, "bram")
    page = text_of(client.get(discussion.get_absolute_url()))
    assert page.index("Hoe werken we samen?") < page.index("Eerste") < page.index("Klopt")
    # Plain text: no markup stored, its line breaks shown.
    assert "regel niet vet" in page and "<b>niet vet" not in page and "<br>" in page
    assert "Bram Test wrote" in page and first.get_absolute_url() in page
    assert "Anna Test wrote" in page
    assert f'id="{first.anchor}"' in page


def test_a_hidden_reply_leaves_its_place_and_no_text(client, forum):
    discussion = start(forum)
    hidden = answer(forum, discussion, body="Iets onaardigs")
    answer(forum, discussion, who="anna", body="Citeer het", quote=str(hidden.pk))
    services.hide_reply(hidden)
    english(client)
    login(client, forum, "owner")
    page = text_of(client.get(discussion.get_absolute_url()))
    assert "Iets onaardigs" not in page
    assert "This reply was hidden by a moderator." in page
    assert "The quoted reply was hidden by a moderator." in page


def test_a_flat_number_of_queries_for_5_and_500_replies(
    client, forum, django_assert_max_num_queries
):
    discussion = start(forum)
    people = [forum["people"][who] for who in ("anna", "bram", "owner", "admin")]
    login(client, forum, "bram")
    address = discussion.get_absolute_url()

    def fill(count):
        have = Reply.objects.count()
        made = Reply.objects.bulk_create(
            [
                Reply(discussion=discussion, author=people[n % 4], body=f"Reactie {n:04}")
                for n in range(have, count)
            ]
        )
        # Every other one quotes the reply before it.
        for earlier, later in zip(made, made[1:], strict=False):
            if later.pk % 2:
                later.quoted = earlier
        Reply.objects.bulk_update(made, ["quoted"])

    fill(5)
    client.get(address)
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    counted = len(few.captured_queries)
    fill(500)
    client.get(address)
    reset_queries()
    with django_assert_max_num_queries(counted):
        page = text_of(client.get(address))
    print(f"discussion thread: at most {counted} queries for 5 and for 500 replies")
    assert "Reactie 0049" in page and "Reactie 0050" not in page
    assert "Reactie 0050" in text_of(client.get(address + "?page=2"))


def test_a_reply_link_leads_to_its_page_and_place(client, forum):
    discussion = start(forum)
    bram = forum["people"]["bram"]
    Reply.objects.bulk_create(
        [Reply(discussion=discussion, author=bram, body=f"r{n}") for n in range(60)]
    )
    last = Reply.objects.order_by("-pk").first()
    login(client, forum, "anna")
    response = client.get(last.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"] == f"{discussion.get_absolute_url()}?page=2#{last.anchor}"


def test_what_a_person_may_not_see_answers_404(client, forum):
    discussion = start(forum)
    login(client, forum, "outsider")
    assert client.get(discussion.get_absolute_url()).status_code == 404
    login(client, forum, "bram")
    services.hide(discussion)
    assert client.get(discussion.get_absolute_url()).status_code == 404
    Discussion.objects.update(hidden_at=None)
    forum["group"].discussions_enabled = False
    forum["group"].save()
    assert client.get(discussion.get_absolute_url()).status_code == 404
    assert client.get(url("list", forum)).status_code == 404
    assert client.get(url("thread", forum, 999999)).status_code == 404


def test_another_communitys_group_leads_to_its_own_host(client, forum):
    from wagtail.models import Page, Site

    discussion = start(forum)
    other = Site.objects.create(
        hostname="oost.example", port=80, root_page=Page.objects.get(depth=1), site_name="Oost"
    )
    forum["group"].site = other
    forum["group"].save()
    login(client, forum, "anna")
    for address in (discussion.get_absolute_url(), url("list", forum)):
        response = client.get(address)
        assert response.status_code == 302
        assert response["Location"].startswith("http://oost.example")


# ---------------------------------------------------------------------------------------------
# Replying and quoting


def test_replying_without_javascript_once(client, forum):
    discussion = start(forum)
    login(client, forum, "bram")
    data = {"body": "Goed idee", "quote": "", "submission_key": "c" * 32}
    response = client.post(url("reply_post", forum, discussion.pk), data)
    made = Reply.objects.get()
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    client.post(url("reply_post", forum, discussion.pk), data)
    discussion.refresh_from_db()
    assert Reply.objects.count() == 1 and discussion.reply_count == 1


def test_the_quote_link_opens_the_form_with_the_quote(client, forum):
    discussion = start(forum)
    first = answer(forum, discussion, body="Wat ik bedoel is dit")
    english(client)
    login(client, forum, "anna")
    page = text_of(client.get(discussion.get_absolute_url()))
    assert f"?quote={first.pk}#reply-form" in page
    form = text_of(client.get(f"{discussion.get_absolute_url()}?quote={first.pk}"))
    assert "You quote Bram Test" in form and f'value="{first.pk}"' in form
    response = client.post(
        url("reply_post", forum, discussion.pk),
        {"body": "Ja", "quote": str(first.pk), "submission_key": "d" * 32},
    )
    assert response.status_code == 302
    assert Reply.objects.get(body="Ja").quoted == first


def test_quoting_what_cannot_be_quoted_is_400_with_the_reason(client, forum):
    discussion = start(forum)
    other = start(forum, title="Ander onderwerp")
    elsewhere = answer(forum, other)
    english(client)
    login(client, forum, "anna")
    response = client.get(f"{discussion.get_absolute_url()}?quote={elsewhere.pk}")
    assert response.status_code == 400
    assert "You can only quote a reply of this discussion." in text_of(response)
    assert client.get(f"{discussion.get_absolute_url()}?quote=nope").status_code == 400
    response = client.post(
        url("reply_post", forum, discussion.pk),
        {"body": "Hier", "quote": str(elsewhere.pk), "submission_key": "e" * 32},
    )
    assert response.status_code == 400
    assert "You can only quote a reply of this discussion." in text_of(response)
    assert "Hier" in text_of(response)  # what was typed stays
    assert not Reply.objects.filter(discussion=discussion).exists()


def test_an_empty_reply_comes_back_with_the_message(client, forum):
    discussion = start(forum)
    english(client)
    login(client, forum, "bram")
    response = client.post(
        url("reply_post", forum, discussion.pk), {"body": "  ", "submission_key": "f" * 32}
    )
    assert response.status_code == 400
    assert "Write something before you send your reply." in text_of(response)
    assert not Reply.objects.exists()


def test_a_closed_discussion_shows_why_instead_of_the_form_and_refuses_a_post(client, forum):
    discussion = start(forum)
    english(client)
    login(client, forum, "owner")
    response = client.post(url("manage", forum, discussion.pk), {"action": "close"})
    assert response.status_code == 302
    login(client, forum, "bram")
    page = text_of(client.get(discussion.get_absolute_url()))
    assert "This discussion is closed: no replies can be added any more." in page
    assert 'id="reply-form"' in page and "Send reply" not in page
    response = client.post(
        url("reply_post", forum, discussion.pk), {"body": "Toch", "submission_key": "1" * 32}
    )
    assert response.status_code == 409
    assert "This discussion is closed" in text_of(response)
    assert not Reply.objects.exists()


# ---------------------------------------------------------------------------------------------
# Editing, pinning, closing


def test_editing_the_start_and_a_reply_marks_them_edited(client, forum):
    discussion = start(forum)
    own = answer(forum, discussion)
    english(client)
    login(client, forum, "anna")
    response = client.post(
        url("edit", forum, discussion.pk), {"title": "Beter", "body": "<p>Aangepast</p>"}
    )
    assert response.status_code == 302
    response = client.post(url("edit", forum, discussion.pk), {"title": "", "body": "<p>x</p>"})
    assert response.status_code == 400 and response.context["form"].errors["title"]
    assert client.get(url("edit_reply", forum, discussion.pk, own.pk)).status_code == 403
    login(client, forum, "bram")
    assert client.get(url("edit", forum, discussion.pk)).status_code == 403
    response = client.post(url("edit_reply", forum, discussion.pk, own.pk), {"body": "Anders"})
    assert response.status_code == 302
    page = text_of(client.get(discussion.get_absolute_url()))
    assert "Beter" in page and "Anders" in page and page.count("edited") >= 2


def test_pinning_and_closing_are_for_owners_and_admins(client, forum):
    discussion = start(forum)
    login(client, forum, "anna")
    response = client.post(url("manage", forum, discussion.pk), {"action": "pin"})
    assert response.status_code == 403
    login(client, forum, "admin")
    assert client.post(url("manage", forum, discussion.pk), {"action": "fly"}).status_code == 400
    for action in ("pin", "close"):
        assert (
            client.post(url("manage", forum, discussion.pk), {"action": action}).status_code == 302
        )
    discussion.refresh_from_db()
    assert discussion.is_pinned and discussion.is_closed
    assert discussion.closed_by == forum["people"]["admin"]
    for action in ("unpin", "reopen"):
        client.post(url("manage", forum, discussion.pk), {"action": action})
    discussion.refresh_from_db()
    assert not discussion.is_pinned and not discussion.is_closed


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_in_both_languages(client, forum, language):
    discussion = start(forum)
    own = answer(forum, discussion, who="owner")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    login(client, forum, "owner")
    pages = [
        url("list", forum),
        url("new", forum),
        discussion.get_absolute_url(),
        f"{discussion.get_absolute_url()}?quote={own.pk}",
        url("edit_reply", forum, discussion.pk, own.pk),
    ]
    with translation.override(language):
        word = gettext("Discussions")
        reply_word = gettext("Send reply")
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        assert f'lang="{language}"' in text_of(response) and word in text_of(response)
    assert reply_word in text_of(client.get(discussion.get_absolute_url()))
