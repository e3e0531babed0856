"""Reporting: one open report per item, one flag per person, only what one may see; group admins
first; the decisions and what they do everywhere (pages, search, chat, notifications, audit)."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from blog.models import Comment, Post
from moderation import services
from moderation.models import Flag, Report
from notifications.models import Notification
from search.backends import SearchQuery, get_search_backend

pytestmark = pytest.mark.django_db


def find(text, user=None):
    results = get_search_backend().search(SearchQuery(text=text, user=user or AnonymousUser()))
    return [(hit.type, hit.object_id) for hit in results.hits]


def report(world, who="reader", kind="comment", obj=None, reason="spam", text=""):
    obj = obj or world["comment"]
    return services.report_item(world["people"][who], kind, obj.pk, reason, text)


# ---------------------------------------------------------------------------------------------
# Reporting


def test_a_report_keeps_a_snapshot_and_joins_later_reporters(world):
    first, new = report(world)
    assert new and first.is_open
    assert first.kind == "comment" and "Parkeerbeleid" in first.title
    assert first.excerpt == "Koop nu goedkope horloges"
    assert first.author == world["people"]["author"] and first.group == world["group"]
    assert first.url.endswith(f"#comment-{world['comment'].pk}")

    second, new = report(world, who="second", reason="abuse")
    assert new and second.pk == first.pk
    again, new = report(world, who="reader", reason="other", text="Nog eens")
    assert not new and again.pk == first.pk
    assert Report.objects.count() == 1
    assert list(Flag.objects.values_list("reason", flat=True)) == ["spam", "abuse"]


def test_after_a_decision_a_new_report_opens_a_new_one(world):
    first, _ = report(world)
    services.decide(world["people"]["moderator"], first, "dismiss")
    second, new = report(world, who="second")
    assert new and second.pk != first.pk
    assert Report.objects.open().count() == 1


def test_nobody_reports_what_they_cannot_see_or_their_own(world):
    people = world["people"]
    with pytest.raises(services.ModerationError) as refused:
        services.report_item(people["outsider"], "post", world["secret"].pk, "spam")
    assert refused.value.status == 404
    with pytest.raises(services.ModerationError):
        services.report_item(people["reader"], "profile", people["reader"].pk, "spam")
    with pytest.raises(services.ModerationError):
        services.report_item(people["reader"], "post", 999_999, "spam")
    with pytest.raises(services.ModerationError):
        services.report_item(people["reader"], "nonsense", world["post"].pk, "spam")
    assert not Report.objects.exists()


def test_bad_reasons_are_refused_and_nothing_is_stored(world):
    with pytest.raises(services.ModerationError):
        report(world, reason="boring")
    with pytest.raises(services.ModerationError):
        report(world, reason="other", text="   ")
    assert not Report.objects.exists() and not Flag.objects.exists()


def test_the_report_form(client, world):
    comment = world["comment"]
    url = reverse("moderation:report", args=["comment", comment.pk])
    assert client.get(url).status_code == 302  # sign in first

    client.force_login(world["people"]["outsider"])
    secret_url = reverse("moderation:report", args=["post", world["secret"].pk])
    assert client.get(secret_url).status_code == 404

    client.force_login(world["people"]["reader"])
    page = client.get(url)
    assert page.status_code == 200 and "Parkeerbeleid" in page.content.decode()
    refused = client.post(url, {"reason": "other", "text": ""}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "Say in a few words what is wrong." in refused.content.decode()
    assert not Report.objects.exists()

    sent = client.post(url, {"reason": "spam", "text": "Reclame"}, follow=True)
    assert sent.redirect_chain[-1][0].endswith(f"#comment-{comment.pk}")
    assert Flag.objects.get().text == "Reclame"
    again = client.get(url)
    assert again.status_code == 200 and 'name="reason"' not in again.content.decode()


def test_the_post_and_comment_show_a_report_link_to_others_only(client, world):
    post = world["post"]
    client.force_login(world["people"]["reader"])
    html = client.get(post.get_absolute_url()).content.decode()
    assert reverse("moderation:report", args=["post", post.pk]) in html
    assert reverse("moderation:report", args=["comment", world["comment"].pk]) in html
    client.force_login(world["people"]["author"])
    html = client.get(post.get_absolute_url()).content.decode()
    assert reverse("moderation:report", args=["post", post.pk]) not in html


def test_reports_are_rate_limited(world, settings):
    settings.MEENT_REPORT_RATE = 2
    report(world)
    services.report_item(world["people"]["reader"], "post", world["post"].pk, "spam")
    with pytest.raises(services.ModerationError) as refused:
        services.report_item(
            world["people"]["reader"], "profile", world["people"]["author"].pk, "spam"
        )
    assert refused.value.status == 429


# ---------------------------------------------------------------------------------------------
# Group admins first


def test_group_content_goes_to_its_admins_first(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        opened, _ = report(world)
    assert services.group_admins_first(opened)
    told = set(Notification.objects.filter(kind="moderation").values_list("recipient", flat=True))
    assert told == {world["people"]["owner"].pk, world["people"]["admin"].pk}
    opened.created_at = timezone.now() - datetime.timedelta(hours=49)
    assert not services.group_admins_first(opened)


def test_content_by_a_group_admin_goes_straight_to_the_moderators(world):
    comment = Comment.objects.create(
        post=world["post"], author=world["people"]["admin"], body="Van de beheerder"
    )
    opened, _ = services.report_item(world["people"]["reader"], "comment", comment.pk, "abuse")
    assert opened.escalated_at is not None and not services.group_admins_first(opened)
    assert not services.may_handle(world["people"]["admin"], opened)
    assert services.may_handle(world["people"]["owner"], opened)


def test_the_author_never_sees_the_report_about_their_own_content(client, world):
    """Found by the outside probe: an admin whose post was reported saw the report, the reporter's
    words and the decision form in the group's Reports tab."""
    admin = world["people"]["admin"]
    post = Post.objects.create(
        author=admin,
        group=world["group"],
        title="Beheerdersbericht",
        slug="beheerdersbericht",
        body="<p>Van de beheerder.</p>",
        published_at=timezone.now(),
    )
    opened, _ = report(
        world, kind="post", obj=post, reason="other", text="Rik vindt dit beledigend"
    )
    client.force_login(admin)
    url = reverse("moderation:group_reports", args=["team"])
    html = client.get(url).content.decode()
    assert "Rik vindt dit beledigend" not in html and "Beheerdersbericht" not in html
    assert 'class="badge"' not in client.get(reverse("groups:home", args=["team"])).content.decode()
    decide_url = reverse("moderation:group_decide", args=["team", opened.pk])
    response = client.post(decide_url, {f"{opened.pk}-decision": "dismiss"})
    assert response.status_code == 403 and Report.objects.get(pk=opened.pk).is_open
    # The other owner still sees it (and the moderators have it at once).
    client.force_login(world["people"]["owner"])
    assert "Rik vindt dit beledigend" in client.get(url).content.decode()
    assert not services.group_admins_first(opened)


def test_a_group_admin_handles_and_passes_on(client, world):
    opened, _ = report(world)
    client.force_login(world["people"]["admin"])
    page = client.get(reverse("moderation:group_reports", args=["team"]))
    assert page.status_code == 200 and "Koop nu goedkope horloges" in page.content.decode()

    decide_url = reverse("moderation:group_decide", args=["team", opened.pk])
    refused = client.post(decide_url, {f"{opened.pk}-decision": "hide"}, HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 400
    assert "Give a reason" in refused.content.decode()
    # Warning and suspending are for moderators: not even offered.
    refused = client.post(
        decide_url, {f"{opened.pk}-decision": "suspend", f"{opened.pk}-reason": "x"}
    )
    assert refused.status_code == 400
    assert Report.objects.get().is_open

    client.post(decide_url, {"escalate": "1"})
    assert Report.objects.get().escalated_at is not None
    assert ModelLogEntry.objects.filter(action="meent.report.escalate").count() == 1

    client.post(decide_url, {f"{opened.pk}-decision": "hide", f"{opened.pk}-reason": "Spam"})
    handled = Report.objects.get()
    assert handled.decision == "hide" and handled.decided_by == world["people"]["admin"]
    assert Comment.objects.get().is_removed


def test_members_and_outsiders_have_no_group_queue(client, world):
    report(world)
    url = reverse("moderation:group_reports", args=["team"])
    client.force_login(world["people"]["reader"])
    assert client.get(url).status_code == 403
    client.force_login(world["people"]["outsider"])
    assert client.get(url).status_code == 403
    other = Report.objects.get()
    client.force_login(world["people"]["reader"])
    response = client.post(
        reverse("moderation:group_decide", args=["team", other.pk]),
        {f"{other.pk}-decision": "dismiss"},
    )
    assert response.status_code == 403
    assert Report.objects.get().is_open


# ---------------------------------------------------------------------------------------------
# Decisions


def test_hiding_a_comment_tells_the_author_and_every_reporter(
    client, world, django_capture_on_commit_callbacks
):
    people = world["people"]
    with django_capture_on_commit_callbacks(execute=True):
        opened, _ = report(world)
        report(world, who="second", reason="abuse")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(people["moderator"], opened, "hide", "Reclame hoort hier niet")

    comment = Comment.objects.get()
    assert comment.is_removed and comment.removed_by == people["moderator"]
    to_author = Notification.objects.get(recipient=people["author"])
    assert "Reclame hoort hier niet" in to_author.display_text
    for who in ("reader", "second"):
        assert Notification.objects.filter(recipient=people[who], kind="moderation").count() == 1
    assert not Notification.objects.filter(recipient=people["moderator"]).exists()

    entry = ModelLogEntry.objects.get(action="meent.report.hide")
    assert entry.user_id == people["moderator"].pk
    assert entry.data["reason"] == "Reclame hoort hier niet"

    client.force_login(people["reader"])
    html = client.get(world["post"].get_absolute_url()).content.decode()
    assert "horloges" not in html
    assert find("horloges", people["reader"]) == []


def test_a_hidden_post_is_gone_everywhere(client, world, django_capture_on_commit_callbacks):
    people, post = world["people"], world["post"]
    with django_capture_on_commit_callbacks(execute=True):
        opened, _ = services.report_item(people["reader"], "post", post.pk, "abuse")
        Post.objects.get(pk=post.pk).save()  # indexed before
    assert find("parkeerbeleid")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(people["moderator"], opened, "hide", "Beledigend")
    for who in ("reader", "author", "moderator"):
        client.force_login(people[who])
        assert client.get(post.get_absolute_url()).status_code == 404
        assert "Parkeerbeleid" not in client.get(reverse("blog:list")).content.decode()
    assert find("parkeerbeleid", people["author"]) == []
    assert find("horloges", people["reader"]) == []  # its comments went with it


def test_deleting_a_post_and_the_report_stays_readable(world):
    opened, _ = services.report_item(world["people"]["reader"], "post", world["post"].pk, "spam")
    services.decide(world["people"]["moderator"], opened, "delete", "Reclame")
    assert not Post.objects.filter(pk=world["post"].pk).exists()
    handled = Report.objects.get()
    assert handled.decision == "delete" and handled.title and handled.excerpt


def test_a_decision_is_taken_once(world):
    opened, _ = report(world)
    services.decide(world["people"]["moderator"], opened, "dismiss")
    with pytest.raises(services.ModerationError) as twice:
        services.decide(world["people"]["owner"], opened, "hide", "Toch")
    assert twice.value.status == 409
    assert not Comment.objects.get().is_removed


def test_who_may_decide_what(world):
    people = world["people"]
    opened, _ = report(world)
    with pytest.raises(services.ModerationError) as refused:
        services.decide(people["reader"], opened, "dismiss")
    assert refused.value.status == 403
    with pytest.raises(services.ModerationError) as refused:
        services.decide(people["owner"], opened, "warn", "Let op")
    assert refused.value.status == 403
    with pytest.raises(services.ModerationError):
        services.decide(people["moderator"], opened, "warn", "")  # a reason is required
    assert Report.objects.get().is_open


def test_warning_tells_the_author(world, django_capture_on_commit_callbacks):
    opened, _ = report(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(world["people"]["moderator"], opened, "warn", "Niet meer doen")
    note = Notification.objects.get(recipient=world["people"]["author"])
    assert "Niet meer doen" in note.display_text
    assert not Comment.objects.get().is_removed


def test_suspending_through_a_report(client, world, mailoutbox, django_capture_on_commit_callbacks):
    people = world["people"]
    opened, _ = report(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(
            people["moderator"],
            opened,
            "suspend",
            "Herhaalde reclame",
            until=timezone.now() + datetime.timedelta(days=7),
        )
    author = type(people["author"]).objects.get(pk=people["author"].pk)
    assert author.is_suspended
    assert ModelLogEntry.objects.filter(action="meent.person.suspend").count() == 1
    assert ModelLogEntry.objects.filter(action="meent.report.suspend").count() == 1
    to_author = [message for message in mailoutbox if message.to == [author.email]]
    assert len(to_author) == 1 and "Herhaalde reclame" in to_author[0].body
    assert not client.login(email=author.email, password="password")


def test_suspension_for_good_and_its_rules(world):
    people = world["people"]
    services.suspend(people["moderator"], people["reader"], reason="Spam")
    people["reader"].refresh_from_db()
    assert services.is_for_good(people["reader"].suspended_until)
    with pytest.raises(services.ModerationError):
        services.suspend(people["moderator"], people["author"], reason="")
    with pytest.raises(services.ModerationError):
        services.suspend(
            people["moderator"],
            people["author"],
            until=timezone.now() - datetime.timedelta(days=1),
            reason="Te laat",
        )
    with pytest.raises(services.ModerationError) as refused:
        services.suspend(people["owner"], people["author"], reason="Geen moderator")
    assert refused.value.status == 403
    services.lift_suspension(people["moderator"], people["reader"], reason="Uitgelegd")
    people["reader"].refresh_from_db()
    assert not people["reader"].is_suspended


def test_hiding_a_profile_keeps_the_name(client, world, django_capture_on_commit_callbacks):
    people = world["people"]
    author = people["author"]
    author.about = "Bel mij op 06-12345678"
    author.job_title = "Beleidsmedewerker"
    with django_capture_on_commit_callbacks(execute=True):
        author.save()
    assert find("12345678")
    opened, _ = services.report_item(people["reader"], "profile", author.pk, "personal_data")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(people["moderator"], opened, "hide", "Telefoonnummer")
    client.force_login(people["reader"])
    html = client.get(author.get_absolute_url()).content.decode()
    assert "Anna Jansen" in html and "12345678" not in html and "Beleidsmedewerker" not in html
    assert find("12345678") == []
    client.force_login(author)
    assert "12345678" in client.get(author.get_absolute_url()).content.decode()
    with pytest.raises(services.ModerationError):
        opened2, _ = services.report_item(people["second"], "profile", author.pk, "spam")
        services.decide(people["moderator"], opened2, "delete", "Kan niet")


def test_hiding_a_group_takes_it_out_of_sight(client, world):
    people = world["people"]
    opened, _ = services.report_item(people["outsider"], "group", world["group"].pk, "abuse")
    assert opened.group is None  # about the group itself: the moderators'
    services.decide(people["moderator"], opened, "hide", "Haatgroep")
    group = world["group"]
    group.refresh_from_db()
    assert group.is_archived and group.is_hidden
    client.force_login(people["outsider"])
    assert client.get(group.get_absolute_url()).status_code == 404
    client.force_login(people["reader"])
    assert client.get(group.get_absolute_url()).status_code == 200


def test_a_suspended_person_is_told_at_sign_in(client, world):
    reader = world["people"]["reader"]
    services.suspend(
        world["people"]["moderator"],
        reader,
        until=timezone.now() + datetime.timedelta(days=3),
        reason="Spam",
    )
    response = client.post(
        reverse("account_login"),
        {"login": reader.email, "password": "correct-horse-battery-42"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "Your account is suspended until" in response.content.decode()
    assert "_auth_user_id" not in client.session
    services.suspend(world["people"]["moderator"], reader, reason="Weer spam")
    response = client.post(
        reverse("account_login"),
        {"login": reader.email, "password": "correct-horse-battery-42"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "You can no longer sign in." in response.content.decode()


def test_the_reporter_sees_you_reported_this_instead_of_report_everywhere(
    client, world, django_assert_num_queries
):
    from wiki import services as wiki_services

    people, post, group = world["people"], world["post"], world["group"]
    page = wiki_services.create_page(people["author"], group, title="Afspraken", body="<p>x</p>")
    targets = [
        ("post", post, post.get_absolute_url()),
        ("comment", world["comment"], post.get_absolute_url()),
        ("wiki_page", page, page.get_absolute_url()),
        ("group", group, group.get_absolute_url()),
        ("profile", people["author"], people["author"].get_absolute_url()),
    ]
    for kind, obj, _url in targets:
        services.report_item(people["reader"], kind, obj.pk, "spam")
    client.force_login(people["reader"])
    for kind, obj, url in targets:
        html = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
        assert reverse("moderation:report", args=[kind, obj.pk]) not in html, kind
        assert "You reported this" in html, kind
    # Others still get the link; once the report is decided, the reporter gets it back.
    client.force_login(people["second"])
    html = client.get(post.get_absolute_url()).content.decode()
    assert reverse("moderation:report", args=["post", post.pk]) in html
    Report.objects.filter(kind="post").update(status=Report.Status.DISMISSED)
    client.force_login(people["reader"])
    html = client.get(post.get_absolute_url()).content.decode()
    assert reverse("moderation:report", args=["post", post.pk]) in html


def test_the_reported_marks_cost_one_query_however_many_items(client, world):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    people, post = world["people"], world["post"]
    client.force_login(people["reader"])

    def queries():
        with CaptureQueriesContext(connection) as captured:
            html = client.get(post.get_absolute_url()).content.decode()
        return len(captured), html.count("report-link--done")

    services.report_item(people["reader"], "comment", world["comment"].pk, "spam")
    queries()  # warms the caches (site, theme) the first request fills
    before, marked = queries()
    assert marked == 1
    for n in range(5):
        comment = Comment.objects.create(post=post, author=people["second"], body=f"Nog een {n}")
        services.report_item(people["reader"], "comment", comment.pk, "spam")
    after, marked = queries()
    assert marked == 6
    assert after == before


def test_the_chat_marks_the_messages_the_person_reported(client, world):
    from chat import services as chat_services

    people = world["people"]
    room = chat_services.room_for_group(world["group"])
    posted = [
        chat_services.post_message(room, people["author"], f"c{n}", f"Bericht {n}").message
        for n in range(3)
    ]
    services.report_item(people["reader"], "chat_message", posted[1].pk, "spam")
    services.report_item(people["reader"], "post", world["post"].pk, "spam")
    client.force_login(people["reader"])
    html = client.get(reverse("chat:room", args=[room.pk]), HTTP_ACCEPT_LANGUAGE="en")
    html = html.content.decode()
    # The script draws "You reported this" for these ids instead of a Report link.
    assert f'data-reported="{posted[1].pk}"' in html
    assert 'data-you-reported="You reported this"' in html
    client.force_login(people["second"])
    html = client.get(reverse("chat:room", args=[room.pk])).content.decode()
    assert 'data-reported=""' in html
