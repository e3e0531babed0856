"""A group's library for the view tests: a members-only group with an owner, an admin and two
members, an outsider; a folder tree (Plannen / 2027, Archief) and real files uploaded through
the services (a PDF, a Word document, a text file, an image)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.files import documents


def png(width=4, height=3) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def uploaded(name, data, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def put(user, folder, name, data, **fields):
    """``data`` uploaded as ``name`` into ``folder`` through the services."""
    from files import services

    return services.upload(user, folder, uploaded(name, data), **fields).file


@pytest.fixture
def library(db):
    from files import services

    people = {
        name: UserFactory(first_name=name.capitalize(), last_name="Test")
        for name in ("owner", "admin", "anna", "bram", "outsider")
    }
    group = GroupFactory(slug="team", name="Team", content_default="members")
    MembershipFactory(group=group, user=people["owner"], role="owner")
    MembershipFactory(group=group, user=people["admin"], role="admin")
    for name in ("anna", "bram"):
        MembershipFactory(group=group, user=people[name], role="member")
    root = services.root_folder(group)
    anna = people["anna"]
    plans = services.create_folder(anna, root, "Plannen")
    year = services.create_folder(anna, plans, "2027")
    archive = services.create_folder(people["owner"], root, "Archief")
    files = {
        "pdf": put(anna, root, "Begroting.pdf", documents.make_pdf(["Begroting voor 2027"])),
        "docx": put(anna, plans, "Plan.docx", documents.make_docx("Het plan")),
        "text": put(
            people["bram"],
            root,
            "Notities.txt",
            documents.make_text("Eerste notitie: 3 < 4 & 5 > 2\n"),
        ),
        "image": put(anna, root, "Logo.png", png(), description="Het logo van het team"),
    }
    return {
        "people": people,
        "group": group,
        "root": root,
        "folders": {"plans": plans, "year": year, "archive": archive},
        "files": files,
    }


@pytest.fixture
def open_library(db):
    """An open group with its files: who is signed in, or nobody, reads the public folders."""
    from files import services
    from files.models import Reach

    owner = UserFactory(first_name="Olga", last_name="Open")
    group = GroupFactory(slug="open-team", name="Open team", content_default="open")
    MembershipFactory(group=group, user=owner, role="owner")
    root = services.root_folder(group)
    inner = services.create_folder(owner, root, "Intern", Reach.MEMBERS)
    return {
        "owner": owner,
        "group": group,
        "root": root,
        "inner": inner,
        "public": put(owner, root, "Openbaar.txt", b"Voor iedereen\n"),
        "secret": put(owner, inner, "Geheim.txt", b"Alleen leden\n"),
    }
