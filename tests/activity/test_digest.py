"""The content digest (activity/digest.py): daily or weekly as each person chooses, once per
period, only what they may read at sending time, in their language, each link on its item's own
community host, one-click unsubscribe (RFC 8058)."""

import time
from datetime import UTC, datetime, timedelta
from io import StringIO
from unittest import mock
from urllib.parse import urlsplit

import pytest
from django.core import mail, signing
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import F
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from activity import digest, tasks
from activity.models import DigestSent, DigestSetting, Entry
from blog import services as blog_services
from blog.models import Post
from groups import services as group_services
from groups.models import Group
from meent import sites
from tests.factories import MembershipFactory, UserFactory
from wiki import services as wiki_services

from .conftest import publish

pytestmark = pytest.mark.django_db

SECOND_HOST = "oost.voorbeeld.nl"


@pytest.fixture(autouse=True)
def _english(settings):
    """People without a language of their own get English here (Dutch is the default)."""
    settings.LANGUAGE_CODE = "en"


def soon():
    """A moment just after everything the test made (the lines are recorded at "now")."""
    return timezone.now() + timedelta(seconds=5)


def mails_to(person):
    return [message for message in mail.outbox if message.to == [person.email]]


def only_mail_to(person):
    found = mails_to(person)
    assert len(found) == 1, [m.subject for m in found]
    return found[0]


def unsubscribe_path(message):
    header = message.extra_headers["List-Unsubscribe"]
    assert header.startswith("<") and header.endswith(">")
    return urlsplit(header[1:-1]).path


# --- what is in it, and once -------------------------------------------------------------------


def test_a_weekly_digest_lists_the_new_items_once(world, mailoutbox):
    group, anna, bram, chris = world["group"], world["anna"], world["bram"], world["chris"]
    post = publish(anna, "Werkafspraken", group=group)
    wiki_services.create_page(anna, group, title="Handleiding", body="<p>x</p>")
    blog_services.add_comment(anna, post, "Eerste reactie")
    # As if all this happened last week, and last week's digests go out now.
    Entry.objects.update(occurred_at=F("occurred_at") - timedelta(days=7))
    last_week = soon() - timedelta(days=7)

    result = digest.send_digests("weekly", now=last_week)
    message = only_mail_to(bram)
    assert "Werkafspraken" in message.body and "Handleiding" in message.body
    assert "Anna Jansen commented on Werkafspraken" in message.body
    assert "Anna Jansen published Werkafspraken" in message.body
    assert "Anna Jansen created the wiki page Handleiding" in message.body
    assert message.subject == "[Meent] This week's news for you: 3 new items"
    # Who joined is not in a digest; Anna's own items are not news to her; Chris is no member.
    assert "joined" not in message.body
    assert mails_to(anna) == [] and mails_to(chris) == []
    assert (result.sent, result.items, result.failed) == (1, 3, 0)

    # Run again for the same week: nobody gets a second copy.
    again = digest.send_digests("weekly", now=last_week)
    assert len(mails_to(bram)) == 1
    assert again.sent == 0
    assert DigestSent.objects.filter(user=bram).count() == 1

    # This week's lists only what came after last week's.
    publish(anna, "Nieuwe week", group=group)
    digest.send_digests("weekly", now=soon())
    latest = mails_to(bram)[-1]
    assert len(mails_to(bram)) == 2
    assert "Nieuwe week" in latest.body and "Werkafspraken" not in latest.body
    assert DigestSent.objects.filter(user=bram).count() == 2


def test_daily_and_weekly_go_to_who_chose_them(world, mailoutbox):
    group, anna, bram, chris = world["group"], world["anna"], world["bram"], world["chris"]
    group_services.join(group, chris)
    digest.choose(bram, DigestSetting.Frequency.DAILY)
    publish(anna, "Bericht", group=group)

    digest.send_digests("weekly", now=soon())
    assert mails_to(bram) == []
    assert "This week" in only_mail_to(chris).subject

    digest.send_digests("daily", now=soon())
    assert "Today" in only_mail_to(bram).subject
    assert len(mails_to(chris)) == 1

    # Never: nothing, whatever runs.
    digest.choose(bram, DigestSetting.Frequency.NEVER)
    publish(anna, "Nog een", group=group)
    tomorrow = soon() + timedelta(days=1)
    digest.send_digests("daily", now=tomorrow)
    digest.send_digests("weekly", now=tomorrow + timedelta(days=7))
    assert len(mails_to(bram)) == 1


def test_nothing_new_sends_nothing(world, mailoutbox):
    result = digest.send_digests("weekly", now=soon())  # only who joined: not digest news
    assert mailoutbox == [] and result.sent == 0
    assert not DigestSent.objects.exists()
    # An item older than the period is not new either.
    post = publish(world["anna"], "Oud", group=world["group"])
    Entry.objects.filter(target_id=post.pk, kind="blog.published").update(
        occurred_at=timezone.now() - timedelta(days=8)
    )
    digest.send_digests("weekly", now=soon())
    assert mailoutbox == []


def test_inactive_and_suspended_people_and_people_without_an_address_get_nothing(world, mailoutbox):
    group, anna = world["group"], world["anna"]
    gone = UserFactory(is_active=False)
    suspended = UserFactory(suspended_until=timezone.now() + timedelta(days=3))
    silent = UserFactory()
    for person in (gone, suspended, silent):
        MembershipFactory(group=group, user=person, role="member")
    type(silent).objects.filter(pk=silent.pk).update(email="")
    publish(anna, "Bericht", group=group)
    digest.send_digests("weekly", now=soon())
    assert [message.to for message in mailoutbox] == [[world["bram"].email]]


# --- access at sending time ----------------------------------------------------------------------


def test_only_what_the_person_may_read_at_sending_time(world, mailoutbox):
    group, anna, bram = world["group"], world["anna"], world["bram"]
    left = group_services.create_group(anna, Group(name="Verlaten", slug="verlaten"))
    group_services.join(left, bram)
    publish(anna, "In de groep die hij verliet", group=left)
    hidden = publish(anna, "Verborgen bericht", group=group)
    publish(anna, "Zichtbaar bericht", group=group)
    gone = group_services.create_group(anna, Group(name="Opgeheven", slug="opgeheven"))
    group_services.join(gone, bram)
    publish(anna, "In een opgeheven groep", group=gone)

    group_services.leave(left, bram)
    Post.objects.filter(pk=hidden.pk).update(hidden_at=timezone.now())
    gone.delete()

    digest.send_digests("weekly", now=soon())
    body = only_mail_to(bram).body
    assert "Zichtbaar bericht" in body
    for title in ("In de groep die hij verliet", "Verborgen bericht", "In een opgeheven groep"):
        assert title not in body


def test_a_person_whose_groups_are_all_gone_gets_nothing_and_no_error(world, mailoutbox):
    publish(world["anna"], "Bericht", group=world["group"])
    world["group"].delete()
    result = digest.send_digests("weekly", now=soon())
    assert mailoutbox == [] and result.failed == 0


# --- language and communities ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "hello", "date", "subject"),
    [
        (
            "nl",
            "Hallo Bram",
            "5 maart 2026",
            "[Meent] Het nieuws van deze week voor jou: 1 nieuw item",
        ),
        ("en", "Hello Bram", "5 March 2026", "[Meent] This week's news for you: 1 new item"),
    ],
)
def test_in_the_recipients_language_with_dates_in_it(
    world, mailoutbox, language, hello, date, subject
):
    bram = world["bram"]
    type(bram).objects.filter(pk=bram.pk).update(language=language)
    post = publish(world["anna"], "Werkafspraken", group=world["group"])
    Entry.objects.filter(target_id=post.pk, kind="blog.published").update(
        occurred_at=datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    )
    digest.send_digests("weekly", now=datetime(2026, 3, 6, 6, 15, tzinfo=UTC))
    message = only_mail_to(bram)
    assert message.subject == subject
    assert hello in message.body
    assert f"({date})" in message.body
    published = {
        "nl": "Anna Jansen heeft Werkafspraken gepubliceerd",
        "en": "Anna Jansen published Werkafspraken",
    }
    assert published[language] in message.body


@pytest.fixture
def second_community(settings):
    from communities.services import NewCommunity, create_community

    settings.ALLOWED_HOSTS = ["testserver", "localhost", SECOND_HOST]
    return create_community(NewCommunity(name="Regio Oost", hostname=SECOND_HOST, port=80))


def test_links_lead_to_each_items_own_community(world, second_community, mailoutbox):
    anna, bram = world["anna"], world["bram"]
    east = group_services.create_group(
        anna, Group(name="Oost-team", slug="oost-team", site=second_community)
    )
    group_services.join(east, bram)
    here = publish(anna, "Hier", group=world["group"])
    there = publish(anna, "Daar", group=east)

    digest.send_digests("weekly", now=soon())
    body = only_mail_to(bram).body
    assert f"\n  http://{SECOND_HOST}{there.get_absolute_url()}\n" in body
    assert f"\n  http://localhost{here.get_absolute_url()}\n" in body  # the main community
    assert f"http://localhost{there.get_absolute_url()}" not in body
    assert sites.site_root_url(second_community.pk) == f"http://{SECOND_HOST}"
    # One heading per community, with the group under it.
    assert "== Regio Oost ==" in body
    assert body.index("== Regio Oost ==") < body.index("Oost-team") < body.index("Daar")


def test_at_most_fifty_items_and_the_rest_on_the_start_page(world, mailoutbox):
    anna, group = world["anna"], world["group"]
    for number in range(53):
        publish(anna, f"Bericht {number}", group=group)
    digest.send_digests("weekly", now=soon())
    message = only_mail_to(world["bram"])
    assert message.body.count("\n* ") == 50
    assert "And 3 more items on your start page: " in message.body
    assert message.subject.endswith(": 53 new items")


# --- unsubscribing --------------------------------------------------------------------------------


def test_the_one_click_unsubscribe_headers_and_link(world, mailoutbox):
    publish(world["anna"], "Bericht", group=world["group"])
    digest.send_digests("weekly", now=soon())
    message = only_mail_to(world["bram"])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = message.extra_headers["List-Unsubscribe"][1:-1]
    assert link in message.body  # the same link in the text
    assert "Choose daily, weekly or no digest at all" in message.body
    assert reverse("activity:following") in message.body
    assert message.message()["List-Unsubscribe"] == f"<{link}>"  # in the sent headers


def test_unsubscribe_get_shows_a_button_and_post_unsubscribes(world, mailoutbox):
    bram = world["bram"]
    publish(world["anna"], "Bericht", group=world["group"])
    digest.send_digests("weekly", now=soon())
    path = unsubscribe_path(only_mail_to(bram))

    # A link scanner's GET changes nothing.
    client = Client(enforce_csrf_checks=True)
    page = client.get(path)
    assert page.status_code == 200
    assert b'<form method="post">' in page.content and b'type="submit"' in page.content
    assert digest.frequency_of(type(bram).objects.get(pk=bram.pk)) == "weekly"

    # The mail client's POST (RFC 8058): no session, no CSRF token.
    done = client.post(path, {"List-Unsubscribe": "One-Click"})
    assert done.status_code == 200
    assert DigestSetting.objects.get(user=bram).frequency == "never"
    assert b"Content digest stopped" in done.content
    # No more digests: not next week, not daily.
    for frequency in ("weekly", "daily"):
        due = digest.due_people(frequency, soon() + timedelta(days=7))
        assert not due.filter(pk=bram.pk).exists()


def test_a_tampered_or_expired_link_is_refused_with_the_way_to_the_settings(world):
    bram = world["bram"]
    token = digest.unsubscribe_token(bram)
    client = Client(enforce_csrf_checks=True)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    other = signing.dumps({"person": bram.pk}, salt="another.salt")
    for bad in (tampered, other, "nonsense"):
        url = reverse("activity:digest_unsubscribe", args=[bad])
        for response in (client.get(url), client.post(url)):
            assert response.status_code == 400
            assert b"This link does not work" in response.content
            assert b"message--error" in response.content and b"60 days" in response.content
            assert reverse("activity:following").encode() in response.content
    url = reverse("activity:digest_unsubscribe", args=[token])
    later = time.time() + digest.UNSUBSCRIBE_MAX_AGE.total_seconds() + 60
    with mock.patch("django.core.signing.time.time", return_value=later):
        assert client.post(url).status_code == 400
    assert not DigestSetting.objects.filter(user=bram).exists()
    # Within its 60 days it works.
    assert client.post(url).status_code == 200
    assert DigestSetting.objects.get(user=bram).frequency == "never"


# --- the setting -------------------------------------------------------------------------------


def test_the_setting_on_what_you_follow(world, client):
    bram = world["bram"]
    client.force_login(bram)
    page = client.get(reverse("activity:following"))
    assert page.status_code == 200
    content = page.content.decode()
    assert 'action="/following/digest/"' in content
    assert 'value="weekly" id="digest_frequency_1" checked' in content.replace("required ", "")

    response = client.post(reverse("activity:digest_setting"), {"frequency": "daily"})
    assert response.status_code == 302
    assert response["Location"] == reverse("activity:following") + "#digest"
    assert DigestSetting.objects.get(user=bram).frequency == "daily"

    for bad in ({"frequency": "hourly"}, {}):
        refused = client.post(reverse("activity:digest_setting"), bad)
        assert refused.status_code == 400
        assert "Choose daily, weekly or never." in refused.content.decode()
    assert DigestSetting.objects.get(user=bram).frequency == "daily"


def test_the_notification_settings_lead_to_it(world, client):
    client.force_login(world["bram"])
    page = client.get(reverse("notifications:preferences"))
    assert f'href="{reverse("activity:following")}#digest"'.encode() in page.content


def test_the_setting_needs_a_signed_in_person(client):
    response = client.post(reverse("activity:digest_setting"), {"frequency": "daily"})
    assert response.status_code == 302 and "login" in response["Location"]
    assert not DigestSetting.objects.exists()


# --- failures, the command, the task, the schedules -------------------------------------------------


def test_a_failure_for_one_person_is_counted_and_the_others_get_theirs(world, mailoutbox, caplog):
    group, anna, bram, chris = world["group"], world["anna"], world["bram"], world["chris"]
    group_services.join(group, chris)
    publish(anna, "Bericht", group=group)
    real_send = digest.EmailMessage.send

    def send(message, *args, **kwargs):
        if message.to == [bram.email]:
            raise ConnectionRefusedError("mail server says no")
        return real_send(message, *args, **kwargs)

    with mock.patch.object(digest.EmailMessage, "send", send):
        result = digest.send_digests("weekly", now=soon())
    assert (result.sent, result.failed) == (1, 1)
    assert len(mails_to(chris)) == 1 and mails_to(bram) == []
    assert "Sending the content digest to person" in caplog.text
    # The claim was given back: the next run sends it.
    assert not DigestSent.objects.filter(user=bram).exists()
    digest.send_digests("weekly", now=soon())
    assert len(mails_to(bram)) == 1 and len(mails_to(chris)) == 1


def test_the_command_shows_progress_and_what_it_sent(world, mailoutbox):
    publish(world["anna"], "Bericht", group=world["group"])
    out = StringIO()
    moment = soon().isoformat()
    call_command("send_content_digests", "--frequency", "weekly", "--now", moment, stdout=out)
    text = out.getvalue()
    people = DigestSent.objects.count()
    assert people == 1
    assert "Content digests [" in text and "3/3" in text  # Anna, Bram and Chris were due
    assert "Content digests sent: 1 of 3 people, with 1 items in all." in text
    out = StringIO()
    call_command("send_content_digests", "--now", moment, stdout=out)
    assert "Content digests sent: 0 of 2 people" in out.getvalue()  # Bram had his
    assert len(mailoutbox) == 1
    with pytest.raises(CommandError, match="not an ISO 8601 moment"):
        call_command("send_content_digests", "--now", "next monday", stdout=StringIO())


def test_the_task_calls_the_same_function(world, mailoutbox):
    publish(world["anna"], "Bericht", group=world["group"])
    outcome = tasks.send_content_digests.call("weekly")
    assert outcome == {"frequency": "weekly", "people": 3, "sent": 1, "items": 1, "failed": 0}
    assert tasks.send_weekly_content_digests.call()["sent"] == 0  # the same week: no copy
    assert tasks.send_daily_content_digests.call()["people"] == 0  # nobody chose daily


def test_the_schedules_daily_at_six_fifteen_and_weekly_on_monday():
    from meent.worker import schedules

    found = {schedule.name: schedule for schedule in schedules()}
    daily, weekly = found["content-digests-daily"], found["content-digests-weekly"]

    def at(*args):
        return datetime(*args, tzinfo=UTC).timestamp()

    # Monday 7 December 2026: a new weekly period starts at 06:15 UTC, and not on Sunday.
    assert weekly.period(at(2026, 12, 7, 6, 15)) == weekly.period(at(2026, 12, 7, 6, 14)) + 1
    assert weekly.period(at(2026, 12, 6, 6, 15)) == weekly.period(at(2026, 12, 7, 6, 14))
    assert weekly.period(at(2026, 12, 14, 6, 15)) == weekly.period(at(2026, 12, 7, 6, 15)) + 1
    assert daily.period(at(2026, 12, 8, 6, 15)) == daily.period(at(2026, 12, 8, 6, 14)) + 1


# --- privacy ---------------------------------------------------------------------------------------


def test_download_my_data_holds_the_setting_and_the_rows_go_with_the_account(world, mailoutbox):
    from privacy.registry import part_for

    bram = world["bram"]
    publish(world["anna"], "Bericht", group=world["group"])
    moment = soon()
    digest.send_digests("weekly", now=moment)
    digest.choose(bram, DigestSetting.Frequency.DAILY)
    part = part_for("content_digest")
    exported = part.export(bram, None)
    assert exported["frequency"] == "daily"
    assert exported["digests_sent"][0]["items"] == 1
    assert exported["last_digest_until"]
    assert part.held(bram) == 2
    bram.delete()
    assert not DigestSetting.objects.exists() and not DigestSent.objects.exists()


# --- queries ---------------------------------------------------------------------------------------


def _queries_per_person(people_count, items, now, name):
    """The queries of a daily run for each of ``people_count`` members of a new group with
    ``items`` posts, wiki pages and comments each."""
    author = UserFactory()
    digest.choose(author, DigestSetting.Frequency.NEVER)
    group = group_services.create_group(author, Group(name=name, slug=name.lower()))
    people = [UserFactory() for _ in range(people_count)]
    for person in people:
        MembershipFactory(group=group, user=person, role="member")
        digest.choose(person, DigestSetting.Frequency.DAILY)
    for number in range(items):
        post = publish(author, f"{name} {number}", group=group)
        blog_services.add_comment(author, post, "Reactie")
        wiki_services.create_page(author, group, title=f"{name} pagina {number}", body="<p>x</p>")
    marks = []
    with CaptureQueriesContext(connection) as queries:
        result = digest.send_digests(
            "daily", now=now, on_person=lambda total: marks.append(len(queries))
        )
    assert result.sent == people_count and result.items == people_count * items * 3
    DigestSetting.objects.filter(user__in=people).update(frequency="never")
    # The first person also warms the run's caches (content types, the communities).
    return [after - before for before, after in zip(marks, marks[1:], strict=False)]


def test_queries_grow_by_a_constant_per_person_not_with_the_items(db, mailoutbox):
    now = soon() + timedelta(minutes=1)
    few = _queries_per_person(3, 1, now, "Weinig")
    many = _queries_per_person(20, 6, now + timedelta(seconds=1), "Veel")
    assert len(set(few + many)) == 1, (few, many)
    # Their groups and follows, the lines, one query per kind of line, the claim, the setting.
    assert few[0] <= 14, few[0]
    assert len(mailoutbox) == 23
