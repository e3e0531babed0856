"""A members-only group with an owner, an admin and members, someone of another organisation, a
moderator with two-factor sign-in; questions are made through the services."""

import pytest

from tests.factories import GroupFactory, MembershipFactory, OrganisationFactory, UserFactory


def ask(world, who="anna", title="Hoe vraag ik toegang aan tot het archief?", **fields):
    from questions import services

    return services.ask(world["people"][who], title, fields.pop("body", ""), **fields)


def ask_in_group(world, who="anna", **fields):
    return ask(world, who, group=world["group"], **fields)


@pytest.fixture
def world(db):
    from django.conf import settings
    from django.contrib.auth.models import Group as AuthGroup

    from tests.helpers import activate_totp

    home = OrganisationFactory(name="Gemeente Meent", slug="gemeente-meent")
    other = OrganisationFactory(name="Provincie Oost", slug="provincie-oost")
    people = {
        name: UserFactory(first_name=name.capitalize(), last_name="Test", organisation=home)
        for name in ("owner", "admin", "anna", "lotte", "bram", "outsider", "moderator")
    }
    people["stranger"] = UserFactory(first_name="Stranger", last_name="Test", organisation=other)
    moderators, _created = AuthGroup.objects.get_or_create(name=settings.MEENT_MODERATORS_GROUP)
    people["moderator"].groups.add(moderators)
    activate_totp(people["moderator"])
    group = GroupFactory(slug="team", name="Team", content_default="members")
    MembershipFactory(group=group, user=people["owner"], role="owner")
    MembershipFactory(group=group, user=people["admin"], role="admin")
    for name in ("anna", "lotte", "bram"):
        MembershipFactory(group=group, user=people[name], role="member")
    return {"people": people, "group": group, "home": home, "other": other}
