import pytest

from tests.factories import GroupFactory, MembershipFactory, UserFactory


@pytest.fixture
def wiki_group(db):
    """An open-for-reading group with an owner, an admin and a member."""
    group = GroupFactory(slug="kennisbank", name="Kennisbank", content_default="open")
    people = {
        "owner": UserFactory(email="eigenaar@voorbeeld.nl", first_name="Eva", last_name="Eigen"),
        "admin": UserFactory(email="beheer@voorbeeld.nl", first_name="Bas", last_name="Beheer"),
        "member": UserFactory(email="lid@voorbeeld.nl", first_name="Lies", last_name="Lid"),
        "outsider": UserFactory(email="buiten@elders.nl", first_name="Otto", last_name="Buiten"),
    }
    for role in ("owner", "admin", "member"):
        MembershipFactory(group=group, user=people[role], role=role)
    group.people = people
    return group
