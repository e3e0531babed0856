import factory

from notifications.models import Kind, Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Kind.MEMBERSHIP
    text = factory.Sequence(lambda n: f"Melding {n}")
    url = "/groups/"
    actor = factory.SubFactory(UserFactory)
