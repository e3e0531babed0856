"""A group's discussions for the tests: a members-only group with an owner, an admin and two
members, an outsider; discussions made through the services."""

import pytest

from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory


def start(world, who="anna", title="Werkafspraken", body="<p>Hoe werken we samen?</p>"):
    """A discussion of ``world``'s group started through the services by ``who``."""
    from discussions import services

    return services.start(world["people"][who], world["group"], title, body)


def answer(world, discussion, who="bram", body="Eens, goed plan.", quote=None):
    """A reply through the services by ``who``."""
    from discussions import services

    return services.reply(world["people"][who], discussion, body, quote)


@pytest.fixture
def forum(db):
    home = OrganisationFactory(name="Gemeente Meent", slug="gemeente-meent")
    people = {
        name: UserFactory(first_name=name.capitalize(), last_name="Test", organisation=home)
        for name in ("owner", "admin", "anna", "bram", "outsider")
    }
    group = GroupFactory(slug="team", name="Team", content_default="members")
    MembershipFactory(group=group, user=people["owner"], role="owner")
    MembershipFactory(group=group, user=people["admin"], role="admin")
    for name in ("anna", "bram"):
        MembershipFactory(group=group, user=people[name], role="member")
    return {"people": people, "group": group}
