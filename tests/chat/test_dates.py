"""A chat message's time reads in the page's language as the server writes it: "7 december
14:05" in Dutch, "7 December 14:05" in English (Django's "j M" wrote "7 Dec" on Dutch pages too).
The script writes live messages the same way (tests/e2e/test_chat_dates.py)."""

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from chat import services
from chat.models import Message
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("language", "shown"), [("nl", "7 december 14:05"), ("en", "7 December 14:05")]
)
def test_message_times_in_the_pages_language(client, language, shown):
    anna = UserFactory()
    group = GroupFactory()
    MembershipFactory(group=group, user=anna)
    room = services.room_for_group(group)
    posted = services.post_message(room, anna, "t-1", "Hallo").message
    moment = timezone.make_aware(datetime(2026, 12, 7, 14, 5))
    Message.objects.filter(pk=posted.pk).update(created_at=moment)
    client.force_login(anna)
    client.cookies["meent_language"] = language
    html = client.get(reverse("chat:room", args=[room.pk])).content.decode()
    assert f'<time datetime="2026-12-07T14:05:00+01:00">{shown}</time>' in html
    assert "7 Dec " not in html
