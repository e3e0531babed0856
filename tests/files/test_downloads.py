"""Serving a group's files (files/download_views.py): who gets what, with which headers, and what
every bad address answers."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from files import services
from files.models import Reach
from meent.media import PDF_FRAME_HEADERS, SANDBOX_POLICY
from tests.files import serving
from tests.files.serving import REACHES, ROLES, client_as, file_named, sees
from tests.helpers import count_queries


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return serving.build()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def _download(file):
    return reverse("files:download", args=[file.group.slug, file.pk, file.name])


def _version(file, number=1, name=None):
    return reverse("files:version", args=[file.group.slug, file.pk, number, name or file.name])


def _preview(file, number=1):
    return reverse("files:preview", args=[file.group.slug, file.pk, number])


# --- headers ------------------------------------------------------------------------------------


def test_a_download_is_an_attachment_with_the_files_name_and_the_sandbox(client, world):
    file = file_named(world, "closed", Reach.MEMBERS, "rapport")
    response = client_as(client, world, "member").get(_download(file))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{file.name}"'
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == SANDBOX_POLICY
    assert response["Cache-Control"].startswith("private")
    with file.current.stored.open("rb") as stored:
        assert body(response) == stored.read()


def test_a_picture_is_a_download_too_and_only_the_preview_shows_it(client, world):
    file = file_named(world, "open", Reach.PUBLIC, "foto")
    download = client.get(_download(file))
    assert download["Content-Disposition"].startswith("attachment")
    preview = client.get(_preview(file))
    assert preview.status_code == 200
    assert preview["Content-Type"] == "image/png"
    assert preview["Content-Disposition"].startswith("inline")
    assert preview["Content-Security-Policy"] == SANDBOX_POLICY
    assert preview["X-Content-Type-Options"] == "nosniff"


def test_what_anonymous_visitors_may_see_may_sit_in_shared_caches(client, world):
    public = file_named(world, "open", Reach.PUBLIC, "notitie")
    signed_in_only = file_named(world, "open", Reach.LOGGED_IN, "notitie")
    client_as(client, world, "member")
    assert client.get(_download(public))["Cache-Control"].startswith("public")
    assert client.get(_version(public))["Cache-Control"].startswith("public")
    assert client.get(_download(signed_in_only))["Cache-Control"].startswith("private")


def test_a_name_beyond_ascii_is_given_as_rfc_6266_says(client, world):
    member = world["people"]["member"]
    folder = world["folders"]["closed", Reach.MEMBERS]
    file = serving.put(member, folder, "Begroting één – €.txt", b"bedragen\n")
    response = client_as(client, world, "member").get(_download(file))
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''")
    assert "Begroting%20%C3%A9%C3%A9n%20%E2%80%93%20%E2%82%AC.txt" in disposition


def test_a_pdf_preview_is_inline_and_may_be_framed_by_our_pages_only(client, world):
    file = file_named(world, "closed", Reach.MEMBERS, "rapport")
    response = client_as(client, world, "member").get(_preview(file))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    for header, value in PDF_FRAME_HEADERS.items():
        assert response[header] == value
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"].startswith("private")
    # Everything else still refuses every frame.
    download = client.get(_download(file))
    assert download["X-Frame-Options"] == "DENY"


def test_text_and_office_documents_have_no_preview_here(client, world):
    text = file_named(world, "closed", Reach.MEMBERS, "notitie")
    client_as(client, world, "member")
    assert client.get(_preview(text)).status_code == 404


# --- who may see what ---------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("kind", ["open", "closed"])
def test_every_address_answers_by_the_access_policy(client, world, kind, role):
    client_as(client, world, role)
    probes = 0
    for reach in REACHES:
        allowed = sees(role, kind == "open", reach)
        pdf = file_named(world, kind, reach, "rapport")
        picture = file_named(world, kind, reach, "foto")
        folder = world["folders"][kind, reach]
        addresses = [
            _download(pdf),
            _version(pdf),
            _preview(pdf),
            _preview(picture),
            reverse("files:zip", args=[folder.group.slug, folder.pk]),
        ]
        for address in addresses:
            response = client.get(address)
            expected = 200 if allowed else 404
            assert response.status_code == expected, (address, role, reach)
            probes += 1
    assert probes == 15


@pytest.mark.parametrize("address", ["download", "version", "preview"])
def test_the_trash_a_hidden_file_and_a_switched_off_tab_are_404(client, world, address):
    member = world["people"]["member"]
    client_as(client, world, "member")
    files = [file_named(world, "closed", reach, "rapport") for reach in REACHES]
    url = {"download": _download, "version": _version, "preview": _preview}[address]
    services.trash_file(member, files[0])
    assert client.get(url(files[0])).status_code == 404
    type(files[1]).objects.filter(pk=files[1].pk).update(hidden_at=timezone.now())
    assert client.get(url(files[1])).status_code == 404
    assert client.get(url(files[2])).status_code == 200
    group = world["groups"]["closed"]
    group.files_enabled = False
    group.save()
    assert client.get(url(files[2])).status_code == 404


def test_the_picker_and_the_zip_are_404_with_the_tab_switched_off(client, world):
    group = world["groups"]["open"]
    group.files_enabled = False
    group.save()
    folder = world["folders"]["open", Reach.PUBLIC]
    client_as(client, world, "member")
    assert client.get(reverse("files:pick", args=[group.slug])).status_code == 404
    assert client.get(reverse("files:zip", args=[group.slug, folder.pk])).status_code == 404


def test_a_file_is_not_found_through_another_groups_address(client, world):
    file = file_named(world, "closed", Reach.MEMBERS, "rapport")
    client_as(client, world, "member")
    other = world["groups"]["open"].slug
    assert (
        client.get(reverse("files:download", args=[other, file.pk, file.name])).status_code == 404
    )
    assert client.get(reverse("files:preview", args=[other, file.pk, 1])).status_code == 404


def test_a_file_of_another_community_leads_to_its_own_host(client, world, settings):
    from wagtail.models import Page, Site

    other = Site.objects.create(
        hostname="oost.testserver", port=80, root_page=Page.objects.get(depth=1), site_name="Oost"
    )
    group = world["groups"]["closed"]
    group.site = other
    group.save()
    settings.ALLOWED_HOSTS = ["testserver", "oost.testserver"]
    file = file_named(world, "closed", Reach.MEMBERS, "rapport")
    client_as(client, world, "member")
    for address in (_download(file), _version(file), _preview(file), _pick(group)):
        response = client.get(address)
        assert response.status_code == 302, address
        assert response["Location"] == f"http://oost.testserver{address}"


# --- names and versions -------------------------------------------------------------------------


def test_an_old_name_leads_to_the_current_one_after_a_rename(client, world):
    member = world["people"]["member"]
    file = file_named(world, "open", Reach.PUBLIC, "rapport")
    old_address = _download(file)
    services.update_file(member, file, name="Jaarverslag.pdf", description="", tags="")
    file.refresh_from_db()
    response = client.get(old_address)
    assert response.status_code == 302
    assert response["Location"] == _download(file)
    assert file.name == "Jaarverslag.pdf"
    assert client.get(response["Location"]).status_code == 200
    # Only for whoever may see the file: to others every name is unknown.
    hidden = file_named(world, "closed", Reach.MEMBERS, "rapport")
    assert (
        client.get(
            reverse("files:download", args=[hidden.group.slug, hidden.pk, "anders.pdf"])
        ).status_code
        == 404
    )


def test_a_version_address_serves_that_version_for_good(client, world):
    member = world["people"]["member"]
    file = file_named(world, "closed", Reach.MEMBERS, "notitie")
    first = _version(file, 1)
    services.add_version(member, file, SimpleUploadedFile(file.name, b"Tweede versie\n"))
    file.refresh_from_db()
    client_as(client, world, "member")
    assert body(client.get(first)) == b"Tekst closed members\n"
    assert body(client.get(_version(file, 2))) == b"Tweede versie\n"
    assert body(client.get(_download(file))) == b"Tweede versie\n"
    # A version keeps the name it was uploaded as: after a rename its address still works.
    services.update_file(member, file, name="hernoemd.txt", description="", tags="")
    assert client.get(first).status_code == 200
    assert client.get(_version(file, 1, name="hernoemd.txt")).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "{base}{id}/versions/9/{name}",  # no such version
        "{base}{id}/versions/1/anders.txt",  # not the version's name
        "{base}{id}/preview/9",
        "{base}{id}/preview/0",
        "{base}99999999/download/{name}",
        "{base}{id}/download/",
        "{base}{id}/versions/99999999999999999999999/{name}",
        "{base}{id}/preview/-1",
        "{base}{id}/preview/1.0",
        "{base}folders/99999999/download.zip",
        "/groups/bestaat-niet/files/{id}/download/{name}",
    ],
)
def test_a_bad_address_is_404(client, world, path):
    file = file_named(world, "closed", Reach.MEMBERS, "notitie")
    client_as(client, world, "member")
    base = f"/groups/{file.group.slug}/files/"
    # An address the patterns refuse (a 0 or a sign where an id goes) may first get a slash
    # added (CommonMiddleware); where it ends is still a 404.
    response = client.get(path.format(base=base, id=file.pk, name=file.name), follow=True)
    assert response.status_code == 404


def test_downloads_only_answer_get_and_head(client, world):
    file = file_named(world, "open", Reach.PUBLIC, "notitie")
    client_as(client, world, "member")
    assert client.head(_download(file)).status_code == 200
    assert client.post(_download(file)).status_code == 405


# --- the editors' picker ------------------------------------------------------------------------


def _pick(group, **query):
    url = reverse("files:pick", args=[group.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize("role", ROLES)
def test_the_picker_offers_what_the_person_may_see(client, world, role):
    client_as(client, world, role)
    for kind in ("open", "closed"):
        group = world["groups"][kind]
        response = client.get(_pick(group))
        assert response.status_code == 200
        names = {item["name"] for item in response.json()["files"]}
        expected = {
            f"{prefix}-{reach}.{extension}"
            for reach in REACHES
            if sees(role, kind == "open", reach)
            for prefix, extension in (("notitie", "txt"), ("foto", "png"), ("rapport", "pdf"))
        }
        assert names == expected


def test_the_picker_gives_name_folder_and_both_addresses(client, world):
    member = world["people"]["member"]
    group = world["groups"]["closed"]
    parent = world["folders"]["closed", Reach.MEMBERS]
    inner = services.create_folder(member, parent, "Notulen")
    file = serving.put(member, inner, "Mei vergadering.txt", b"besloten\n")
    response = client_as(client, world, "member").get(_pick(group, q="MEI"))
    assert response.json() == {
        "files": [
            {
                "id": file.pk,
                "name": "Mei vergadering.txt",
                "folder": "Map members/Notulen",
                "url": _download(file),
                "page": reverse("files:file", args=[group.slug, file.pk]),
            }
        ]
    }


def test_the_picker_gives_twenty_at_most_with_constant_queries(client, world):
    member = world["people"]["member"]
    group = world["groups"]["closed"]
    folder = world["folders"]["closed", Reach.MEMBERS]
    client_as(client, world, "member")
    few = count_queries(client, _pick(group))
    deeper = folder
    for depth in range(3):
        deeper = services.create_folder(member, deeper, f"Laag {depth}")
    for n in range(25):
        serving.put(member, deeper, f"stuk-{n}.txt", b"x\n")
    assert count_queries(client, _pick(group)) == few
    response = client.get(_pick(group))
    assert len(response.json()["files"]) == 20


@pytest.mark.parametrize("query", ["x" * 101, "%00", "a%0Ab", "%1B"])
def test_a_bad_query_is_400_with_a_reason(client, world, query):
    group = world["groups"]["open"]
    with translation.override("en"):
        response = client_as(client, world, "member").get(
            _pick(group, q=query), HTTP_ACCEPT_LANGUAGE="en"
        )
    assert response.status_code == 400
    reason = json.loads(response.content)["error"]
    assert reason


def test_the_picker_refuses_nothing_it_can_answer(client, world):
    group = world["groups"]["open"]
    response = client.get(_pick(group, q="x" * 100))
    assert response.status_code == 200
    assert response.json() == {"files": []}


# --- the editors know the group's files ---------------------------------------------------------


@pytest.mark.parametrize("where", ["wiki", "blog"])
def test_the_wiki_and_blog_editors_get_the_pickers_address(client, world, where):
    group = world["groups"]["open"]
    address = {
        "wiki": f"/groups/{group.slug}/wiki/-/new/",
        "blog": f"/blog/new/?group={group.slug}",
    }[where]
    client_as(client, world, "member")
    attribute = f'data-files-url="{reverse("files:pick", args=[group.slug])}"'
    assert attribute in client.get(address).content.decode()
    group.files_enabled = False
    group.save()
    assert "data-files-url" not in client.get(address).content.decode()


def test_over_asgi_a_download_streams_with_its_length(world):
    from asgiref.sync import async_to_sync
    from django.test import AsyncRequestFactory

    from files import download_views

    file = file_named(world, "closed", Reach.MEMBERS, "rapport")
    request = AsyncRequestFactory().get(_download(file))
    request.user = world["people"]["member"]
    response = download_views.download(request, file.group.slug, file.pk, file.name)
    assert response.is_async
    assert response["Content-Length"] == str(file.size)
    assert response["Content-Disposition"] == f'attachment; filename="{file.name}"'

    async def collect():
        return b"".join([chunk async for chunk in response.streaming_content])

    with file.current.stored.open("rb") as stored:
        assert async_to_sync(collect)() == stored.read()
    response.close()
