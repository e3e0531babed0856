import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.factories import (
    GroupFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
    make_moderator,
)


def png(name="omslag.png", size=(8, 6)):
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def blog_world(db):
    """Two organisations; a members-only group with an owner, an admin and a member; an outsider
    and a moderator (of the whole community)."""
    home = OrganisationFactory(name="Gemeente Meent", slug="gemeente-meent")
    elsewhere = OrganisationFactory(name="Provincie Elders", slug="provincie-elders")
    people = {
        "author": UserFactory(first_name="Anna", last_name="Jansen", organisation=home),
        "owner": UserFactory(first_name="Olga", last_name="Eigen", organisation=home),
        "admin": UserFactory(first_name="Bas", last_name="Beheer", organisation=elsewhere),
        "member": UserFactory(first_name="Lies", last_name="Lid", organisation=elsewhere),
        "outsider": UserFactory(first_name="Otto", last_name="Buiten", organisation=elsewhere),
        "moderator": UserFactory(first_name="Mo", last_name="Derator"),
    }
    make_moderator(people["moderator"])
    group = GroupFactory(slug="team", name="Team", content_default="members")
    for role, person in (
        ("owner", "owner"),
        ("admin", "admin"),
        ("member", "member"),
        ("member", "author"),
    ):
        MembershipFactory(group=group, user=people[person], role=role)
    return {"people": people, "group": group, "home": home, "elsewhere": elsewhere}
