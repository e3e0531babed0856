"""A small file library for the serving tests (downloads, previews, ZIPs, the picker), made
through the services: an open group and a closed one, each with a folder per reach.

Who: ``member`` (owner of both groups), ``outsider`` (signed in, in neither), ``anonymous``.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from files import services
from files.models import Folder, Reach
from meent import access
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.files.documents import make_pdf

REACHES = (Reach.PUBLIC, Reach.LOGGED_IN, Reach.MEMBERS)
ROLES = ("anonymous", "outsider", "member")


def png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 3), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def put(user, folder, name, data):
    return services.upload(user, folder, SimpleUploadedFile(name, data)).file


def sees(role, group_is_open, reach) -> bool:
    """The policy, written out: who may see a folder of this reach."""
    if role == "member":
        return True
    if not group_is_open:
        return False
    return reach == Reach.PUBLIC or (reach == Reach.LOGGED_IN and role == "outsider")


def build():
    member = UserFactory(first_name="Mila", last_name="Lid")
    outsider = UserFactory(first_name="Olaf", last_name="Buiten")
    world = {"people": {"member": member, "outsider": outsider}, "groups": {}, "folders": {}}
    for kind, content_default in (("open", "open"), ("closed", "members")):
        group = GroupFactory(
            slug=f"{kind}-groep", name=f"Groep {kind}", content_default=content_default
        )
        MembershipFactory(group=group, user=member, role="owner")
        world["groups"][kind] = group
    access.forget_memberships(member)
    for kind, group in world["groups"].items():
        root = services.root_folder(group)
        for reach in REACHES:
            folder = services.create_folder(member, root, f"Map {reach}", visibility=reach)
            world["folders"][kind, reach] = folder
            put(member, folder, f"notitie-{reach}.txt", f"Tekst {kind} {reach}\n".encode())
            put(member, folder, f"foto-{reach}.png", png())
            put(member, folder, f"rapport-{reach}.pdf", make_pdf([f"Rapport {kind} {reach}"]))
    return world


def client_as(client, world, role):
    if role != "anonymous":
        client.force_login(world["people"][role])
    return client


def file_named(world, kind, reach, prefix):
    folder: Folder = world["folders"][kind, reach]
    return folder.files.get(name__startswith=prefix)
