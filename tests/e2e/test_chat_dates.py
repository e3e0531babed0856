"""The chat's times in the page's language, also where the script writes them (a message that
arrives live): "7 december 14:02" on a Dutch page in an English browser, "7 December 14:02" on
an English page in a Dutch browser, exactly as the server writes the messages it renders itself
(Django wrote "7 Dec" on Dutch pages: its "M" capitalises the Dutch abbreviation)."""

import re

import pytest
from django.utils import formats, timezone, translation
from playwright.sync_api import expect

from chat import services
from chat.models import Message
from tests.e2e.test_chat_journey import (  # noqa: F401  (fixtures)
    expect_connected,
    fill_room,
    message,
    people,
    person_page,
    say,
)


def shown(moment, language):
    with translation.override(language):
        local = timezone.localtime(moment)
        day = formats.date_format(local, "MONTH_DAY_FORMAT")
        return f"{day} {formats.date_format(local, 'TIME_FORMAT')}"


@pytest.mark.parametrize(
    ("browser_locale", "language"), [("en-US", "nl"), ("nl-NL", "en")], ids=["nl", "en"]
)
def test_times_written_by_the_script_follow_the_page_not_the_browser(
    people,  # noqa: F811
    person_page,  # noqa: F811
    asgi_server,
    t,
    language,
):
    anna, group = people["anna"], people["group"]
    room = services.room_for_group(group)
    fill_room(room, anna, 1)

    page = person_page(anna)
    # The person chose the other language than their browser's (the language switcher's cookie).
    page.context.add_cookies(
        [{"name": "meent_language", "value": language, "url": asgi_server.url}]
    )
    page.goto(f"/chat/{room.pk}/")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect_connected(page, t, language)

    earlier = Message.objects.get(room=room, body__startswith="Eerder bericht")
    expect(message(page, "Eerder bericht").locator("time")).to_have_text(
        shown(earlier.created_at, language)  # written by the server
    )

    say(page, "Live bericht")
    live = message(page, "Live bericht")
    expect(live).not_to_have_class(re.compile("chat-message--pending"))
    stored = Message.objects.get(room=room, body="Live bericht")
    expected = shown(stored.created_at, language)
    expect(live.locator("time")).to_have_text(expected)  # written by the script
    month = expected.split()[1]
    assert month == (month.lower() if language == "nl" else month.capitalize())
