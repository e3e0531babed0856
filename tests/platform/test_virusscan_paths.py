"""Every way a file reaches Meent is scanned (meent/uploads.py ends each check with the scan):
profile pictures, group images, blog and event covers, wiki attachments, a group's files, and the
admin's documents and images. A file with the EICAR test string is refused on each, with the
virus's message, and nothing is stored."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from wagtail.images import get_image_model
from wagtail.images.forms import get_image_form
from wagtail.models import Collection

from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.platform.clamd import EICAR, clamd  # noqa: F401 (the session's clamd)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scanning(settings, clamd, tmp_path):  # noqa: F811
    settings.MEENT_CLAMD_SOCKET = clamd.socket_path
    settings.MEENT_CLAMD_HOST = ""
    settings.MEENT_CLAMD_TIMEOUT = 10
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def infected_png(name="foto.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(buffer, "PNG")
    # A PNG ends at its IEND chunk; what follows is ignored by viewers, not by clamd.
    return SimpleUploadedFile(name, buffer.getvalue() + EICAR, content_type="image/png")


def refused_for_a_virus(error: ValidationError) -> bool:
    return error.code == "infected" or any(
        getattr(item, "code", "") == "infected" for item in error.error_list
    )


def test_profile_pictures_and_group_images(scanning):
    from accounts.forms import validate_avatar

    for what in ("profile picture", "group image"):
        with pytest.raises(ValidationError) as refused:
            validate_avatar(infected_png(), what=what, user=UserFactory())
        assert refused_for_a_virus(refused.value)


@pytest.mark.parametrize("app", ["blog", "events"])
def test_blog_and_event_covers(scanning, app):
    from importlib import import_module

    from meent.refusals import Refused

    services = import_module(f"{app}.services")
    with pytest.raises(Refused) as refused:
        services._check_cover(infected_png("omslag.png"))
    assert refused.value.field == "cover" and "virus" in refused.value.message.lower()


def test_a_groups_files(scanning):
    from files import services
    from files.models import GroupFile

    person, group = UserFactory(), GroupFactory()
    MembershipFactory(group=group, user=person, role="member")
    upload = SimpleUploadedFile("notities.txt", b"Gewone tekst\n" + EICAR, "text/plain")
    with pytest.raises(services.FilesError) as refused:
        services.upload(person, services.root_folder(group), upload)
    assert refused.value.status == 400 and refused.value.field == "files"
    assert not GroupFile.objects.exists()
    assert not list(scanning.rglob("notities*"))
    assert not (scanning / "private" / "files").exists() or not any(
        (scanning / "private" / "files").iterdir()
    )


def test_admin_documents(scanning):
    from meent.uploads import validate_document

    with pytest.raises(ValidationError) as refused:
        validate_document(SimpleUploadedFile("notities.txt", b"Tekst\n" + EICAR, "text/plain"))
    assert refused_for_a_virus(refused.value)


def test_admin_images(scanning):
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    form_class = get_image_form(get_image_model())
    form = form_class(
        data={"title": "Foto", "collection": root.pk},
        files={"file": infected_png()},
        user=UserFactory(is_superuser=True),
    )
    assert not form.is_valid()
    assert any(error.code == "infected" for error in form.errors.as_data().get("file", []))
