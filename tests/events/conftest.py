import datetime

import pytest
from django.utils import timezone

from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory


def soon(days=7, hour=10):
    """A whole hour ``days`` ahead (UTC)."""
    moment = timezone.now() + datetime.timedelta(days=days)
    return moment.replace(hour=hour, minute=0, second=0, microsecond=0)


def make(world, who="anna", **fields):
    """A group event of ``world`` made through the services by ``who`` (a week ahead, two
    hours, unless ``fields`` say otherwise)."""
    from events import services
    from events.services import EventInput

    start = fields.pop("starts_at", soon())
    values = EventInput(
        title=fields.pop("title", "Werksessie"),
        starts_at=start,
        ends_at=fields.pop("ends_at", start + datetime.timedelta(hours=2)),
        **fields,
    )
    return services.save_event(world["people"][who], values, group=world["group"])


@pytest.fixture
def events_world(db):
    """A members-only group with an owner and three members, an outsider, a community manager."""
    from django.conf import settings
    from django.contrib.auth.models import Group as AuthGroup

    home = OrganisationFactory(name="Gemeente Meent", slug="gemeente-meent")
    people = {
        name: UserFactory(first_name=name.capitalize(), last_name="Test", organisation=home)
        for name in ("owner", "anna", "bram", "cor", "outsider", "manager")
    }
    managers, _created = AuthGroup.objects.get_or_create(
        name=settings.MEENT_COMMUNITY_MANAGERS_GROUP
    )
    people["manager"].groups.add(managers)
    group = GroupFactory(slug="team", name="Team", content_default="members")
    MembershipFactory(group=group, user=people["owner"], role="owner")
    for name in ("anna", "bram", "cor"):
        MembershipFactory(group=group, user=people[name], role="member")
    return {"people": people, "group": group}
