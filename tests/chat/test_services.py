import pytest
from django.urls import reverse
from wagtail.models import Site

from chat import services
from chat.models import Room
from meent.models import CommunitySettings
from notifications.models import Notification
from tests.factories import GroupFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_mentions_notify_only_people_who_may_see_the_room():
    group = GroupFactory()
    author = UserFactory(first_name="Anna", last_name="Jansen")
    bram = UserFactory(first_name="Bram", last_name="de Vries")
    outsider = UserFactory(first_name="Olga", last_name="Buiten")
    MembershipFactory(group=group, user=author)
    MembershipFactory(group=group, user=bram)
    room = services.room_for_group(group)
    services.post_message(room, author, "m1", "Vraag voor @Bram de Vries en @Olga Buiten")
    notified = Notification.objects.filter(kind="mention")
    assert [n.recipient for n in notified] == [bram]
    assert "/chat/" in notified.get().url
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_direct_conversations_with_people_sharing_a_group_or_anyone(client):
    me = UserFactory()
    colleague = UserFactory()
    stranger = UserFactory()
    group = GroupFactory()
    MembershipFactory(group=group, user=me)
    MembershipFactory(group=group, user=colleague)
    client.force_login(me)
    response = client.post(reverse("chat:new_direct"), {"people": [stranger.pk]})
    assert response.status_code == 200
    assert "people" in response.context["form"].errors
    assert not Room.objects.filter(kind="direct").exists()

    settings = CommunitySettings.for_site(Site.objects.get(is_default_site=True))
    settings.direct_messages = "anyone"
    settings.save()
    response = client.post(reverse("chat:new_direct"), {"people": [stranger.pk]})
    assert response.status_code == 302
    room = Room.objects.get(kind="direct")
    assert set(room.participants.values_list("user_id", flat=True)) == {me.pk, stranger.pk}


def test_editing_a_message_tells_only_the_newly_mentioned_people_of_the_room():
    from meent.mentions.models import Mention

    group = GroupFactory()
    author = UserFactory(first_name="Anna", last_name="Jansen")
    bram = UserFactory(first_name="Bram", last_name="de Vries")
    chris = UserFactory(first_name="Chris", last_name="Visser")
    outsider = UserFactory(first_name="Olga", last_name="Buiten")
    for person in (author, bram, chris):
        MembershipFactory(group=group, user=person)
    room = services.room_for_group(group)
    message = services.post_message(room, author, "m1", "Hoi @Bram de Vries").message

    def told(person):
        return Notification.objects.filter(recipient=person, kind="mention").count()

    assert (told(bram), told(chris)) == (1, 0)
    services.edit_message(message, author, "Hoi @Bram de Vries!")  # nobody new
    assert (told(bram), told(chris)) == (1, 0)
    services.edit_message(message, author, "Hoi @Bram de Vries en @Chris Visser en @Olga Buiten")
    assert (told(bram), told(chris), told(outsider)) == (1, 1, 0)
    assert set(Mention.objects.values_list("person_id", flat=True)) == {bram.pk, chris.pk}
    # A resend of the same message stores and tells nothing again.
    services.post_message(room, author, "m1", "Hoi @Bram de Vries")
    assert told(bram) == 1
    services.delete_message(message, author)
    assert not Mention.objects.exists()
