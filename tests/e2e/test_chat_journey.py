"""Chat in the browser: two people, each in a browser context of their own, talk live.

Chat needs WebSockets, which pytest-django's live server (WSGI) cannot serve: these journeys run
against the server (``asgi_server`` in conftest), with the same committed test data.
"""

import re

import pytest
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import expect

from chat import services
from chat.models import Message, Room
from groups.models import Membership
from tests.e2e.axe import assert_no_serious_axe_violations
from tests.e2e.helpers import starts_with
from tests.factories import (
    DEFAULT_PASSWORD,
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)

# Reconnecting after a server restart: the server needs a few seconds to start, the page's backoff
# adds up to its cap (10 s) on top.
RECONNECT_TIMEOUT_MS = 30_000


def fill_room(room, author, count):
    """``count`` earlier messages by ``author``, stored as post_message stores them.

    Written directly rather than through post_message, whose rate limit would then also count
    against the live messages of the journey (the counter is shared through Redis when set).
    """
    start, now = room.last_seq, timezone.now()
    Message.objects.bulk_create(
        Message(
            room=room,
            seq=start + n,
            author=author,
            client_id=f"earlier-{start + n}",
            body=f"Eerder bericht {start + n}",
            created_at=now,
        )
        for n in range(1, count + 1)
    )
    Room.objects.filter(pk=room.pk).update(last_seq=F("last_seq") + count, last_message_at=now)
    room.refresh_from_db()


@pytest.fixture
def people(db):
    municipality = OrganisationFactory(name="Gemeente Utrecht", slug="utrecht")
    anna = UserFactory(
        first_name="Anna", last_name="de Vries", email="anna@utrecht.nl", organisation=municipality
    )
    bob = UserFactory(first_name="Bob", last_name="Jansen", email="bob@provincie.nl")
    carla = UserFactory(first_name="Carla", last_name="Vreemd", email="carla@elders.nl")
    group = GroupFactory(name="Open data", slug="open-data")
    MembershipFactory(group=group, user=anna, role=Membership.Role.OWNER)
    MembershipFactory(group=group, user=bob)
    return {"anna": anna, "bob": bob, "carla": carla, "group": group}


@pytest.fixture
def person_page(asgi_pages, sign_in):
    """``person_page(user)``: a signed-in page of that person, in a browser context of its own."""

    def open_(user):
        tab = asgi_pages()
        dialogs = []

        def on_dialog(dialog):
            # confirm() is how a person agrees to delete; any other dialog is a script that ran.
            if dialog.type == "confirm":
                dialog.accept()
            else:
                dialogs.append(dialog.message)
                dialog.dismiss()

        tab.on("dialog", on_dialog)
        tab.dialogs = dialogs
        sign_in(tab, user.email, DEFAULT_PASSWORD)
        expect(tab.locator("header")).to_contain_text(user.display_name)
        return tab

    return open_


def composer(page, t, language):
    return page.locator("main form[data-chat-form]").get_by_label(t("Message", language))


def say(page, text):
    """Type into the message field and press Enter, as a person at a keyboard does.

    Lines are typed with Shift+Enter between them: Enter alone sends.
    """
    field = page.locator("main form[data-chat-form] textarea")
    field.focus()
    for number, line in enumerate(text.split("\n")):
        if number:
            page.keyboard.press("Shift+Enter")
        page.keyboard.type(line)
    page.keyboard.press("Enter")


def message(page, text):
    """The messages whose text contains ``text`` (not their author line: that has names in it)."""
    body = page.locator(".chat-message__body", has_text=text)
    return page.locator("[data-chat-messages] .chat-message", has=body)


def expect_connected(page, t, language, timeout=None):
    status = page.locator("[data-chat-status]")
    expect(status).to_have_text(t("Connected", language), timeout=timeout)


def focused_id(page):
    return page.evaluate("() => document.activeElement && document.activeElement.id")


def test_two_people_chat_live_in_their_group_room(people, person_page, t):
    language = "nl"
    anna, bob, group = people["anna"], people["bob"], people["group"]
    room = services.room_for_group(group)
    fill_room(room, anna, 30)
    services.mark_read(room, bob, 28)  # Bob read all but the last two

    # Anna finds the room on her conversation list.
    anna_page = person_page(anna)
    anna_page.locator("header").get_by_role("link", name=starts_with(t("Chat", language))).click()
    expect(anna_page).to_have_url(re.compile(r"/chat/$"))
    assert_no_serious_axe_violations(anna_page)
    anna_page.locator("main").get_by_role("link", name="Open data").click()
    expect(anna_page).to_have_url(re.compile(rf"/chat/{room.pk}/$"))
    expect_connected(anna_page, t, language)

    # Bob opens it through the group's link: at the first message he has not read, which is in
    # view; the page tells the server what he has now seen, and his unread count goes.
    bob_page = person_page(bob)
    header_count = bob_page.locator("header [data-chat-unread]")
    expect(header_count).to_contain_text("2")
    bob_page.goto(f"/chat/group/{group.slug}/")
    expect(bob_page).to_have_url(re.compile(rf"/chat/{room.pk}/$"))
    expect_connected(bob_page, t, language)
    expect(bob_page.locator("#unread")).to_be_in_viewport()
    expect(bob_page.locator("#unread")).to_have_text(t("New messages", language))
    expect(header_count).to_have_text("")
    expect(bob_page.locator("#m8")).to_have_count(0)

    # Older messages load on request, above, and what Bob looks at stays where it was.
    older = bob_page.get_by_role("button", name=t("Load older messages", language))
    expect(older).to_be_visible()
    messages = bob_page.locator("[data-chat-messages]")
    first_shown = bob_page.locator("#m9")
    first_shown.scroll_into_view_if_needed()

    def offset_in_list():
        return first_shown.bounding_box()["y"] - messages.bounding_box()["y"]

    before = offset_in_list()
    older.click()
    expect(bob_page.locator("#m1")).to_contain_text("Eerder bericht 1")
    expect(older).to_be_hidden()
    assert abs(offset_in_list() - before) < 2
    seqs = bob_page.locator("[data-chat-messages] .chat-message").evaluate_all(
        "items => items.map((item) => Number(item.dataset.seq))"
    )
    assert seqs == list(range(1, 31))

    # Anna writes (keyboard only: type, Shift+Enter for a new line, Enter to send). Markup in
    # it is never markup: the server keeps the text without tags, the page shows it as text.
    composer(bob_page, t, language).focus()
    say(anna_page, 'Hallo <b>allemaal</b>! <script>alert("xss")</script>\n1 < 2 & 3 > 2')
    expect(composer(anna_page, t, language)).to_have_value("")
    expected = 'Hallo allemaal! alert("xss")\n1 < 2 & 3 > 2'
    for page in (anna_page, bob_page):
        received = message(page, "Hallo allemaal!")
        expect(received).to_have_count(1)
        body = received.locator(".chat-message__body")
        expect(body).to_have_text(expected.replace("\n", ""))
        assert body.evaluate("element => element.innerText") == expected
        assert body.evaluate("element => element.querySelector('script, b') === null")
        assert "1 &lt; 2 &amp; 3 &gt; 2" in body.inner_html()
        expect(received.locator(".chat-message__meta")).to_contain_text(
            "Anna de Vries (Gemeente Utrecht)"
        )
        expect(received.get_by_role("link", name="Anna de Vries", exact=True)).to_have_attribute(
            "href", anna.get_absolute_url()
        )
    expect(message(anna_page, "Hallo allemaal!")).not_to_have_class(re.compile("pending"))
    # Announced to Bob, politely; his focus stayed where it was.
    announcement = t("New message from {name}: {text}", language).format(
        name="Anna de Vries", text='Hallo allemaal! alert("xss") 1 < 2 & 3 > 2'
    )
    expect(bob_page.locator("[data-chat-announce]")).to_have_text(announcement)
    assert focused_id(bob_page) == "id_body"
    expect(header_count).to_have_text("")  # he is looking at the room: read at once

    # Bob answers with links: http(s) addresses become links, nothing else does.
    say(bob_page, "Zie https://data.overheid.nl/dataset. Niet javascript:alert(1)")
    answer = message(anna_page, "Zie https://data.overheid.nl/dataset")
    expect(answer).to_have_count(1)
    links = answer.locator(".chat-message__body a")
    expect(links).to_have_count(1)
    expect(links).to_have_attribute("href", "https://data.overheid.nl/dataset")
    expect(links).to_have_text("https://data.overheid.nl/dataset")
    assert focused_id(anna_page) == "id_body"
    # Only one's own messages can be edited.
    expect(answer.get_by_role("button")).to_have_count(0)

    assert_no_serious_axe_violations(bob_page)

    # Anna corrects her message: Bob sees the new text, marked as edited.
    mine = anna_page.locator(f"#m{room.last_seq + 1}")
    expect(mine).to_contain_text("Hallo allemaal!")
    mine.get_by_role("button", name=starts_with(t("Edit", language))).click()
    editor = mine.get_by_label(t("Edit your message", language))
    expect(editor).to_be_focused()
    expect(editor).to_have_value(expected)
    assert_no_serious_axe_violations(anna_page)
    editor.fill("Hallo allemaal, welkom!")
    editor.press("Enter")
    for page in (anna_page, bob_page):
        corrected = message(page, "Hallo allemaal, welkom!")
        expect(corrected).to_have_count(1)
        expect(corrected.locator(".chat-message__edited")).to_have_text(t("edited", language))
    expect(mine.get_by_role("button", name=starts_with(t("Edit", language)))).to_be_focused()

    # She deletes it (after confirming): everyone sees that it was deleted, not what it said.
    mine.get_by_role("button", name=starts_with(t("Delete", language))).click()
    for page in (anna_page, bob_page):
        gone = page.locator(f"#m{room.last_seq + 1}")
        expect(gone).to_have_text(re.compile(re.escape(t("This message was deleted.", language))))
        expect(gone).not_to_contain_text("welkom")
    expect(message(anna_page, "Eerder bericht 30").get_by_role("button")).to_have_count(2)

    assert anna_page.dialogs == [] and bob_page.dialogs == []
    stored = list(Message.objects.filter(room=room, seq__gt=30).order_by("seq"))
    assert [(m.author_id, m.deleted_at is not None) for m in stored] == [
        (anna.pk, True),
        (bob.pk, False),
    ]


@pytest.mark.parametrize("browser_locale", ["en-US"])
def test_a_direct_conversation_survives_a_server_restart(people, person_page, asgi_server, t):
    language = "en"
    anna, bob = people["anna"], people["bob"]

    # Anna starts a conversation with Bob: only people she shares a group with are offered.
    anna_page = person_page(anna)
    anna_page.goto("/chat/")
    anna_page.locator("main").get_by_role("link", name=t("New conversation", language)).click()
    expect(anna_page).to_have_url(re.compile(r"/chat/new/$"))
    assert_no_serious_axe_violations(anna_page)
    form = anna_page.locator("main form")
    expect(form.get_by_label("Carla Vreemd")).to_have_count(0)
    form.get_by_label("Bob Jansen").check()
    form.get_by_role("button", name=t("Start conversation", language)).click()
    expect(anna_page).to_have_url(re.compile(r"/chat/\d+/$"))
    room = Room.objects.get(kind=Room.Kind.DIRECT)
    assert anna_page.url.endswith(f"/chat/{room.pk}/")
    expect(anna_page.locator("h1")).to_have_text("Bob Jansen")
    expect_connected(anna_page, t, language)

    # Bob finds it on his list, under Anna's name.
    bob_page = person_page(bob)
    bob_page.goto("/chat/")
    bob_page.locator("main").get_by_role("link", name="Anna de Vries").click()
    expect(bob_page).to_have_url(re.compile(rf"/chat/{room.pk}/$"))
    expect_connected(bob_page, t, language)

    say(anna_page, "Hi Bob, got a minute?")
    expect(message(bob_page, "Hi Bob, got a minute?")).to_have_count(1)
    say(bob_page, "Sure <i>Anna</i>")
    expect(message(anna_page, "Sure Anna")).to_have_count(1)
    expect(anna_page.locator("[data-chat-announce]")).to_have_text(
        t("New message from {name}: {text}", language).format(name="Bob Jansen", text="Sure Anna")
    )
    assert_no_serious_axe_violations(bob_page)

    # The server goes away. Both pages say so; what Anna writes meanwhile waits, visibly.
    asgi_server.stop()
    for page in (anna_page, bob_page):
        expect(page.locator("[data-chat-status]")).to_have_text(t("Reconnecting…", language))
    say(anna_page, "Are you still there?")
    waiting = message(anna_page, "Are you still there?")
    expect(waiting).to_have_class(re.compile("chat-message--pending"))
    expect(waiting).to_contain_text(
        t("Not sent yet: it will be sent when the connection is back.", language)
    )

    # It comes back: both reconnect, Anna's message is sent once and Bob gets it once.
    asgi_server.start()
    for page in (anna_page, bob_page):
        expect_connected(page, t, language, timeout=RECONNECT_TIMEOUT_MS)
    expect(waiting).not_to_have_class(re.compile("pending"), timeout=RECONNECT_TIMEOUT_MS)
    expect(message(bob_page, "Are you still there?")).to_have_count(1)
    say(bob_page, "Yes!")
    expect(message(anna_page, "Yes!")).to_have_count(1)

    assert list(Message.objects.filter(room=room).values_list("body", flat=True)) == [
        "Hi Bob, got a minute?",
        "Sure Anna",
        "Are you still there?",
        "Yes!",
    ]
    assert anna_page.dialogs == [] and bob_page.dialogs == []


@pytest.mark.parametrize("asgi_env", [{"MEENT_CHAT_RATE": "2", "MEENT_CHAT_RATE_WINDOW": "60"}])
def test_a_refused_message_is_explained_and_its_text_kept(people, person_page, t):
    language = "nl"
    anna, group = people["anna"], people["group"]
    room = services.room_for_group(group)
    anna_page = person_page(anna)
    anna_page.goto(f"/chat/{room.pk}/")
    expect_connected(anna_page, t, language)

    # Enter on an empty field sends nothing; only spaces are refused with a reason.
    field = composer(anna_page, t, language)
    field.focus()
    anna_page.keyboard.press("Enter")
    anna_page.keyboard.type("   ")
    anna_page.keyboard.press("Enter")
    alert = anna_page.locator("form[data-chat-form] [role=alert]")
    expect(alert).to_have_text(t("Write something before you send.", language))
    field.fill("")

    say(anna_page, "een")
    expect(message(anna_page, "een")).not_to_have_class(re.compile("pending"))
    say(anna_page, "twee")
    expect(message(anna_page, "twee")).not_to_have_class(re.compile("pending"))
    # The third within the minute is refused by the server: the reason is shown next to the form
    # (role="alert"), the text is back in the field, and nothing was stored.
    say(anna_page, "drie, te snel")
    reason = t(
        "You are sending too fast: at most %(rate)s messages in %(window)s seconds.", language
    ) % {"rate": 2, "window": 60}
    expect(alert).to_have_text(reason)
    expect(field).to_have_value("drie, te snel")
    expect(message(anna_page, "drie, te snel")).to_have_count(0)
    expect(field).to_be_focused()
    assert_no_serious_axe_violations(anna_page)
    assert list(Message.objects.filter(room=room).values_list("body", flat=True)) == [
        "een",
        "twee",
    ]
