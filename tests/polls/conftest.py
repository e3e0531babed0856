import datetime

import pytest
from django.utils import timezone

from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory


def later(days=7):
    return timezone.now() + datetime.timedelta(days=days)


def make(world, who="anna", options=("Ja", "Nee", "Misschien"), **fields):
    """A poll of ``world``'s group asked through the services by ``who`` (a week open, three
    options, results after voting, unless ``fields`` say otherwise)."""
    from polls import services
    from polls.services import PollInput

    values = PollInput(
        question=fields.pop("question", "Vergaderen we voortaan online?"),
        ends_at=fields.pop("ends_at", later()),
        options=list(options),
        **fields,
    )
    return services.create_poll(world["people"][who], world["group"], values)


def option_ids(poll, *labels):
    by_label = {option.label: option.pk for option in poll.options.all()}
    return [by_label[label] for label in labels]


def close_now(poll):
    """End the poll as if its time had come (its end in the past, as the clock would make it)."""
    from polls.models import Poll

    Poll.objects.filter(pk=poll.pk).update(ends_at=timezone.now() - datetime.timedelta(minutes=1))
    poll.refresh_from_db()
    return poll


@pytest.fixture
def polls_world(db):
    """A members-only group with an owner, an admin and three members, and an outsider."""
    home = OrganisationFactory(name="Gemeente Meent", slug="gemeente-meent")
    people = {
        name: UserFactory(first_name=name.capitalize(), last_name="Test", organisation=home)
        for name in ("owner", "admin", "anna", "bram", "cor", "outsider")
    }
    group = GroupFactory(slug="team", name="Team", content_default="members")
    MembershipFactory(group=group, user=people["owner"], role="owner")
    MembershipFactory(group=group, user=people["admin"], role="admin")
    for name in ("anna", "bram", "cor"):
        MembershipFactory(group=group, user=people[name], role="member")
    return {"people": people, "group": group}
