"""Notifications are stored as a message key and its parameters, and read in the reader's language
when shown (the list, the e-mails, the daily summary); each leads to the community it belongs to."""

from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from notifications import Kind, notify
from notifications.emails import send_digest
from notifications.messages import MESSAGES, render
from notifications.models import Email, Notification, NotificationPreference
from tests.factories import GroupFactory, MembershipFactory, UserFactory

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
SECOND_HOST = "oost.voorbeeld.nl"

JOIN_NL = "Bram Bos vraagt om lid te worden van Klimaat & <Water>."
JOIN_EN = "Bram Bos asks to join Klimaat & <Water>."


def on(host="testserver", user=None, language=None):
    client = Client(HTTP_HOST=host)
    if language:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        client.force_login(user)
    return client


def join_request_for(person, *, group_name="Klimaat & <Water>", **fields):
    return notify(
        person,
        Kind.JOIN_REQUEST,
        "groups.join_request",
        "/groups/klimaat/requests/",
        params={"person": "Bram Bos", "group": group_name},
        **fields,
    )


# --- the registry -----------------------------------------------------------------------------


STORED = {
    "role": "owner",
    "kind": "post",
    "decision": "hide",
    "date": "2026-03-05T13:02:00Z",
    # An event's dates (events/notices.py).
    "start": "2026-03-05T13:02:00Z",
    "original": "2026-02-26T13:02:00Z",
}
SHOWN = {
    "en": {
        "role": "owner",
        "kind": "blog post",
        "decision": "hidden",
        "date": "5 March 2026",
        "start": "5 March 2026",
        "original": "26 February 2026",
    },
    "nl": {
        "role": "eigenaar",
        "kind": "blogbericht",
        "decision": "verborgen",
        "date": "5 maart",
        "start": "5 maart",
        "original": "26 februari",
    },
}


def test_every_message_reads_in_dutch_and_english_with_all_its_parameters():
    for key, message in MESSAGES.items():
        params = {name: STORED.get(name, f"<{name} {key}>") for name in message.names}
        texts = {}
        for language in ("en", "nl"):
            with translation.override(language):
                texts[language] = render(key, {**params, "reason": "Te lang."})
            for name in message.names:
                shown = SHOWN[language].get(name, params[name])
                assert shown in texts[language], (key, language, name)
            assert "%(" not in texts[language] and "(unknown)" not in texts[language]
        assert texts["nl"] != texts["en"], f"{key} has no Dutch translation"


def test_labels_and_dates_are_rendered_in_the_readers_language():
    params = {"role": "owner", "group": "Klimaat"}
    with translation.override("nl"):
        assert render("groups.role_changed", params) == "Je bent nu eigenaar van Klimaat."
    with translation.override("en"):
        assert render("groups.role_changed", params) == "You are now owner of Klimaat."

    moment = {"date": datetime(2026, 12, 7, 13, 5, tzinfo=UTC).isoformat()}
    with translation.override("nl"):
        # 14:05 in Amsterdam (TIME_ZONE), Dutch month.
        assert render("privacy.export_ready", moment) == (
            "Je gegevens staan klaar om te downloaden tot 7 december 2026 14:05."
        )
    with translation.override("en"):
        # Day, month, year and a 24-hour clock (meent/formats/en), not "Dec. 7, 2026, 2:05 p.m.".
        assert render("privacy.export_ready", moment) == (
            "Your data is ready to download until 7 December 2026, 14:05."
        )

    outcome = {"item": "Bericht", "decision": "hide"}
    with translation.override("nl"):
        assert render("moderation.report_handled", outcome) == (
            "Je melding over Bericht is afgehandeld: verborgen. Dank je wel."
        )
    with translation.override("en"):
        assert render("moderation.report_handled", outcome) == (
            "Your report about Bericht was handled: hidden. Thank you."
        )


def test_a_reason_follows_only_when_given():
    with translation.override("en"):
        refused = render("groups.join_refused", {"group": "Klimaat", "reason": "Vol."})
        assert refused == "Your request to join Klimaat was refused. Reason: Vol."
        assert render("groups.join_refused", {"group": "Klimaat", "reason": ""}) == (
            "Your request to join Klimaat was refused."
        )


@pytest.mark.parametrize(
    "params",
    [
        {},
        None,
        "not a mapping",
        ["a", "list"],
        {"person": ["a", "list"], "group": {"nested": True}},
        {"person": None, "group": True},
        {"person": "   ", "group": ""},
    ],
    ids=["empty", "none", "string", "list", "nested", "null-bool", "blank"],
)
def test_missing_or_malformed_parameters_render_a_fallback(params):
    with translation.override("en"):
        assert render("groups.join_request", params) == "Someone asks to join (unknown)."
    with translation.override("nl"):
        assert render("groups.join_request", params).startswith("Iemand vraagt om lid te worden")


def test_bad_stored_values_render_a_fallback():
    with translation.override("en"):
        assert render("groups.role_changed", {"role": "emperor", "group": "X"}) == (
            "You are now (unknown) of X."
        )
        assert render("privacy.export_ready", {"date": "yesterday"}) == (
            "Your data is ready to download until (unknown)."
        )
        assert render("privacy.export_ready", {"date": 12}) == (
            "Your data is ready to download until (unknown)."
        )


def test_unknown_keys_render_the_stored_text_or_a_general_sentence():
    with translation.override("en"):
        assert render("gone.away", {"x": 1}, fallback="Oude tekst") == "Oude tekst"
        assert render("gone.away", {}) == "You have a notification."
        assert render("", {}, fallback="Oude tekst") == "Oude tekst"


def test_a_translation_whose_placeholders_do_not_match_falls_back_to_english(monkeypatch):
    from notifications import messages

    monkeypatch.setattr(
        messages, "gettext", lambda text: "Kapot %(onbekend)s" if "%" in text else text
    )
    assert render("groups.removed", {"group": "Klimaat"}) == "You were removed from Klimaat."


def test_a_translated_text_cannot_be_a_parameter():
    with pytest.raises(ValueError, match="translated text"):
        notify(
            UserFactory(),
            Kind.MEMBERSHIP,
            "groups.removed",
            params={"group": translation.gettext_lazy("group")},
        )
    assert not Notification.objects.exists()


# --- shown in the reader's language -----------------------------------------------------------


def test_made_in_dutch_read_in_english_on_the_list_and_the_other_way_round():
    english, dutch = UserFactory(language="en"), UserFactory(language="nl")
    with translation.override("nl"):
        join_request_for(english)
    with translation.override("en"):
        join_request_for(dutch)
    assert Notification.objects.filter(text="").count() == 2  # no finished text stored

    page = on(user=english, language="en").get(LIST).content.decode()
    assert "Bram Bos asks to join Klimaat &amp; &lt;Water&gt;." in page  # escaped
    assert "vraagt" not in page

    page = on(user=dutch, language="nl").get(LIST).content.decode()
    assert "Bram Bos vraagt om lid te worden van Klimaat &amp; &lt;Water&gt;." in page
    assert "asks to join" not in page


def test_the_list_follows_the_page_language_not_the_one_stored():
    person = UserFactory(language="nl")
    join_request_for(person)
    page = on(user=person, language="en").get(LIST).content.decode()
    assert "Bram Bos asks to join" in page


def test_notifications_from_before_keys_keep_their_text():
    person = UserFactory(language="en")
    NotificationFactory(recipient=person, text="Een oude melding", message="", params={})
    page = on(user=person, language="en").get(LIST).content.decode()
    assert "Een oude melding" in page


def test_the_email_is_in_the_recipients_language_not_the_senders(
    mailoutbox, django_capture_on_commit_callbacks
):
    english, dutch, unknown = (
        UserFactory(first_name="Eve", language="en"),
        UserFactory(first_name="Daan", language="nl"),
        UserFactory(first_name="Kim", language=""),
    )
    with translation.override("nl"), django_capture_on_commit_callbacks(execute=True):
        join_request_for(english)
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        join_request_for(dutch)
        join_request_for(unknown)
    mails = {mail.to[0]: mail for mail in mailoutbox}

    to_english = mails[english.email]
    assert to_english.subject == f"[Meent] {JOIN_EN}"
    assert to_english.body.startswith(f"Hello {english.display_name},")
    assert JOIN_EN in to_english.body and "Open it on Meent:" in to_english.body
    assert "Hallo" not in to_english.body

    for person in (dutch, unknown):  # no language of one's own: the community's, Dutch
        to_dutch = mails[person.email]
        assert to_dutch.subject == f"[Meent] {JOIN_NL}"
        assert to_dutch.body.startswith(f"Hallo {person.display_name},")
        assert "Bekijk het op Meent:" in to_dutch.body
        assert "Hello" not in to_dutch.body


def test_an_email_caused_by_a_dutch_request_reaches_an_english_owner_in_english(
    mailoutbox, django_capture_on_commit_callbacks
):
    owner = UserFactory(first_name="Eve", language="en")
    group = GroupFactory(name="Klimaat", slug="klimaat", membership_policy="request")
    MembershipFactory(group=group, user=owner, role="owner")
    applicant = UserFactory(first_name="Bram", last_name="Bos", language="nl")

    with django_capture_on_commit_callbacks(execute=True):
        response = on(user=applicant, language="nl").post(
            reverse("groups:join", args=[group.slug]), {"message": "Graag!"}
        )
    assert response.status_code == 302

    assert len(mailoutbox) == 1
    mail = mailoutbox[0]
    assert mail.to == [owner.email]
    assert mail.subject == "[Meent] Bram Bos asks to join Klimaat."
    assert f"Hello {owner.display_name}," in mail.body and "Hallo" not in mail.body


def test_the_daily_summary_is_in_the_recipients_language(mailoutbox):
    person = UserFactory(first_name="Eve", language="en")
    NotificationPreference.objects.create(user=person, kind=Kind.JOIN_REQUEST, email=Email.DAILY)
    with translation.override("nl"):
        join_request_for(person)
        notify(person, Kind.REPLY, "blog.post_comment", "/blog/plan/", params={"title": "Plan"})
    assert send_digest(person) == 2
    body = mailoutbox[0].body
    assert mailoutbox[0].subject == "[Meent] 2 new notifications"
    assert JOIN_EN in body
    assert "Someone commented on your post “Plan”" in body
    assert "daily summary" in body and "dagelijkse" not in body


# --- the community it belongs to --------------------------------------------------------------


@pytest.fixture
def second_community(settings):
    from communities.services import NewCommunity, create_community

    settings.ALLOWED_HOSTS = ["testserver", "localhost", SECOND_HOST]
    return create_community(NewCommunity(name="Regio Oost", hostname=SECOND_HOST, port=80))


def test_a_group_post_on_the_second_community_opened_on_the_main_host_leads_to_its_host(
    second_community, django_capture_on_commit_callbacks
):
    from blog import services as blog
    from blog.services import PostInput, Publish

    author = UserFactory(first_name="Anna", last_name="Jansen")
    reader = UserFactory(first_name="Bram", last_name="Bos", language="en")
    group = GroupFactory(name="Oost", slug="oost", site=second_community)
    MembershipFactory(group=group, user=author, role="owner")
    MembershipFactory(group=group, user=reader)
    with django_capture_on_commit_callbacks(execute=True):
        post = blog.save_post(
            author,
            PostInput(title="Plan", body="<p>Hoi @Bram Bos</p>", publish=Publish.NOW),
            group=group,
        )
    notification = Notification.objects.get(recipient=reader)
    assert notification.site_id == second_community.pk
    with translation.override("en"):
        assert notification.display_text == "Anna Jansen mentioned you in the blog post “Plan”"

    # On the main community's host: to the post on the second community's host.
    opened = on("localhost", reader).get(reverse("notifications:open", args=[notification.pk]))
    assert opened.status_code == 302
    assert opened["Location"] == f"http://{SECOND_HOST}{post.get_absolute_url()}"
    # On its own host: stays there.
    opened = on(SECOND_HOST, reader).get(reverse("notifications:open", args=[notification.pk]))
    assert opened["Location"] == post.get_absolute_url()


def test_email_links_use_the_communitys_root_url(
    second_community, mailoutbox, django_capture_on_commit_callbacks
):
    person = UserFactory(language="en")
    group = GroupFactory(name="Oost", slug="oost", site=second_community)
    with django_capture_on_commit_callbacks(execute=True):
        join_request_for(person, community=group)
        notify(person, Kind.MEMBERSHIP, "groups.removed", "/groups/", params={"group": "X"})
    on_community, personal = sorted(mailoutbox, key=lambda mail: "asks to join" not in mail.body)
    assert f"http://{SECOND_HOST}/groups/klimaat/requests/" in on_community.body
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    assert f"{base}/groups/" in personal.body  # no community: Meent's main address


def test_group_content_on_the_default_community_belongs_to_it(second_community):
    person = UserFactory()
    group = GroupFactory()  # no site of its own: the default community's
    notification = join_request_for(person, community=group)
    default = second_community.__class__.objects.get(is_default_site=True)
    assert notification.site_id == default.pk
    opened = on(SECOND_HOST, person).get(reverse("notifications:open", args=[notification.pk]))
    assert opened["Location"] == f"http://localhost{notification.url}"


def test_personal_notifications_stay_on_the_host_the_person_is_on(
    second_community, django_capture_on_commit_callbacks
):
    from chat import services as chat

    anna = UserFactory(first_name="Anna", last_name="Jansen")
    bram = UserFactory(first_name="Bram", last_name="Bos")
    group = GroupFactory(site=second_community)
    MembershipFactory(group=group, user=anna)
    MembershipFactory(group=group, user=bram)
    room, _created = chat.direct_room(anna, [bram])
    chat.post_message(room, anna, "c-1", "Hoi @Bram Bos")
    notification = Notification.objects.get(recipient=bram)
    assert notification.site_id is None  # a direct conversation belongs to the people in it
    for host in ("localhost", SECOND_HOST):
        opened = on(host, bram).get(reverse("notifications:open", args=[notification.pk]))
        assert opened["Location"] == notification.url
