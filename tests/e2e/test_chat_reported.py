"""In the chat, a message one has reported says "You reported this" instead of offering Report
again (the marks for the other report links are in tests/moderation/test_reports.py)."""

from playwright.sync_api import expect

from chat import services
from moderation import services as moderation_services
from tests.e2e.test_chat_journey import (  # noqa: F401  (fixtures)
    expect_connected,
    fill_room,
    message,
    people,
    person_page,
)


def test_a_reported_chat_message_says_so_and_the_others_keep_report(people, person_page, t):  # noqa: F811
    language = "nl"
    anna, bob, group = people["anna"], people["bob"], people["group"]
    room = services.room_for_group(group)
    fill_room(room, anna, 3)
    reported = room.messages.order_by("seq")[1]
    moderation_services.report_item(bob, "chat_message", reported.pk, "spam")

    page = person_page(bob)
    page.goto(room.get_absolute_url())
    expect_connected(page, t, language)
    marked = message(page, reported.body)
    expect(marked.locator(".chat-message__reported")).to_have_text(t("You reported this", language))
    expect(marked.locator(".chat-message__report")).to_have_count(0)
    other = message(page, "Eerder bericht 1")
    expect(other.locator(".chat-message__report")).to_have_count(1)
    expect(other.locator(".chat-message__reported")).to_have_count(0)
