"""A folder as a ZIP (files/zipstream.py, download_views.folder_zip): only what the person may
see, read back with zipfile; streamed in chunks with memory flat; the size limit said before
anything is sent; and the archive's paths can never climb out of where it is unpacked."""

import io
import random
import string
import tracemalloc
import zipfile
from datetime import UTC, datetime

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncRequestFactory, RequestFactory
from django.urls import reverse
from django.utils import translation

from files import services, zipstream
from files.models import Reach
from tests.files import serving
from tests.files.serving import client_as
from tests.helpers import queries_of


@pytest.fixture
def tree(db, settings, tmp_path):
    """In the open group, "Openbaar" (public) holds:

    a.txt, notities.txt (a file) and notities.txt/ (a folder with x.txt), Leeg/ (empty),
    Ingelogd/ (signed in) with c.txt, Leden/ (members) with b.txt and Leden/Diep/ with f.txt,
    and in the trash: d.txt and Weg/ with e.txt."""
    settings.MEDIA_ROOT = tmp_path
    world = serving.build()
    member = world["people"]["member"]
    root = services.root_folder(world["groups"]["open"])
    top = services.create_folder(member, root, "Openbaar", visibility=Reach.PUBLIC)
    put = serving.put
    put(member, top, "a.txt", b"A\n")
    put(member, top, "notities.txt", b"bestand\n")
    same = services.create_folder(member, top, "notities.txt")
    put(member, same, "x.txt", b"X\n")
    services.create_folder(member, top, "Leeg")
    signed_in = services.create_folder(member, top, "Ingelogd", visibility=Reach.LOGGED_IN)
    put(member, signed_in, "c.txt", b"C\n")
    members = services.create_folder(member, top, "Leden", visibility=Reach.MEMBERS)
    put(member, members, "b.txt", b"B\n")
    deep = services.create_folder(member, members, "Diep", visibility=Reach.PUBLIC)
    put(member, deep, "f.txt", b"F\n")
    services.trash_file(member, put(member, top, "d.txt", b"D\n"))
    gone = services.create_folder(member, top, "Weg")
    put(member, gone, "e.txt", b"E\n")
    services.trash_folder(member, gone)
    world["top"] = top
    return world


def zip_url(folder):
    return reverse("files:zip", args=[folder.group.slug, folder.pk])


def read_zip(response) -> dict[str, bytes]:
    assert response.status_code == 200
    assert response.streaming
    data = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {info.filename: archive.read(info) for info in archive.infolist()}


EVERYONE = {
    "a.txt": b"A\n",
    # A folder and a file of one name: the folder comes first, the file gets a number.
    "notities.txt/": b"",
    "notities.txt/x.txt": b"X\n",
    "notities (2).txt": b"bestand\n",
    "Leeg/": b"",
}
SIGNED_IN = {"Ingelogd/": b"", "Ingelogd/c.txt": b"C\n"}
MEMBERS = {"Leden/": b"", "Leden/b.txt": b"B\n", "Leden/Diep/": b"", "Leden/Diep/f.txt": b"F\n"}


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", EVERYONE),
        ("outsider", EVERYONE | SIGNED_IN),
        ("member", EVERYONE | SIGNED_IN | MEMBERS),
    ],
)
def test_the_zip_holds_what_the_person_may_see_and_nothing_from_the_trash(
    client, tree, role, expected
):
    response = client_as(client, tree, role).get(zip_url(tree["top"]))
    assert read_zip(response) == expected


def test_the_zip_has_the_folders_name_and_file_headers(client, tree):
    response = client_as(client, tree, "member").get(zip_url(tree["top"]))
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"] == 'attachment; filename="Openbaar.zip"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-store"
    root = services.root_folder(tree["groups"]["open"])
    whole = client.get(zip_url(root))
    assert whole["Content-Disposition"] == 'attachment; filename="Groep open.zip"'
    names = read_zip(whole)
    assert "Openbaar/Leden/Diep/f.txt" in names
    assert "Map members/rapport-members.pdf" in names


def test_a_closed_groups_folder_is_404_to_others(client, tree):
    folder = tree["folders"]["closed", Reach.PUBLIC]
    assert client_as(client, tree, "outsider").get(zip_url(folder)).status_code == 404
    members_only = tree["folders"]["open", Reach.MEMBERS]
    assert client.get(zip_url(members_only)).status_code == 404


def test_over_the_limit_says_so_before_sending_anything(client, tree, settings):
    settings.MEENT_FILES_ZIP_MAX_BYTES = 10
    with translation.override("en"):
        response = client_as(client, tree, "member").get(
            zip_url(tree["top"]), HTTP_ACCEPT_LANGUAGE="en"
        )
        assert response.status_code == 413
        assert not response.streaming
        text = response.content.decode()
        assert "more than the 10\xa0bytes that can be downloaded at once" in text
        assert "Download its subfolders one by one" in text
    # Within the limit for someone who sees less: the sum is of what that person gets.
    settings.MEENT_FILES_ZIP_MAX_BYTES = 2 + 8 + 2  # a.txt, notities.txt, x.txt
    client.logout()
    assert client.get(zip_url(tree["top"])).status_code == 200


def test_folder_downloads_are_limited_per_person(client, tree):
    client_as(client, tree, "member")
    folder = tree["folders"]["open", Reach.PUBLIC]
    for _ in range(10):
        assert client.get(zip_url(folder)).status_code == 200
    with translation.override("en"):
        refused = client.get(zip_url(folder), HTTP_ACCEPT_LANGUAGE="en")
    assert refused.status_code == 429
    assert "You downloaded many folders in the last hour" in refused.content.decode()
    # Another person still may.
    client.logout()
    assert client.get(zip_url(folder)).status_code == 200


def test_the_zip_costs_the_same_queries_however_many_files(client, tree):
    member = tree["people"]["member"]
    client_as(client, tree, "member")
    folder = tree["folders"]["closed", Reach.MEMBERS]
    client.get(zip_url(folder))
    few = queries_of(lambda: b"".join(client.get(zip_url(folder)).streaming_content))
    inner = services.create_folder(member, folder, "Meer")
    for n in range(12):
        serving.put(member, inner, f"stuk-{n}.txt", b"x\n")
    many = queries_of(lambda: b"".join(client.get(zip_url(folder)).streaming_content))
    assert many == few


def _noise(size: int) -> bytes:
    """Text that deflates poorly, so the archive is about as large as what goes in."""
    generator = random.Random(24)
    letters = string.ascii_letters + string.digits + " \n"
    return "".join(generator.choices(letters, k=size)).encode()


def test_the_response_streams_in_chunks(client, tree):
    member = tree["people"]["member"]
    folder = services.create_folder(member, tree["top"], "Groot")
    content = _noise(600_000)
    serving.put(member, folder, "groot.txt", content)
    response = client_as(client, tree, "member").get(zip_url(folder))
    assert response.streaming
    chunks = []
    for chunk in response.streaming_content:
        assert len(chunk) <= 2 * zipstream.CHUNK
        chunks.append(chunk)
    assert len(chunks) >= 6
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        assert archive.read("groot.txt") == content


# --- the archive writer itself (no database) ----------------------------------------------------


class _Endless(io.RawIOBase):
    """``size`` bytes made while read: a large stored file without the disk or the memory."""

    def __init__(self, size):
        self.left = size
        self.block = _noise(zipstream.CHUNK)

    def readable(self):
        return True

    def readinto(self, buffer):
        size = min(len(buffer), self.left, len(self.block))
        buffer[:size] = self.block[:size]
        self.left -= size
        return size


def test_memory_stays_flat_while_a_large_archive_streams():
    moment = datetime(2026, 5, 1, 12, 0, tzinfo=UTC)
    entries = [
        zipstream.Entry(
            path=(f"deel-{n}.bin",),
            modified=moment,
            size=30 * 1024 * 1024,
            content_type="application/zip",  # stored as it is: the archive is as large
            open=lambda: io.BufferedReader(_Endless(30 * 1024 * 1024)),
        )
        for n in range(2)
    ]
    tracemalloc.start()
    sent = 0
    try:
        for chunk in zipstream.stream(entries):
            sent += len(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert sent > 50 * 1024 * 1024
    assert peak < 4 * 1024 * 1024, peak


@pytest.mark.parametrize(
    ("path", "expected"),
    [
        (("..", "etc", "passwd"), "_/etc/passwd"),
        (("/etc", "passwd"), "_etc/passwd"),
        (("a\\..\\b",), "a_.._b"),
        ((".", ""), "_/_"),
        (("map\x00", "x"), "map_/x"),
    ],
)
def test_no_path_climbs_out_of_the_archive(path, expected):
    entry = zipstream.Entry(
        path=path, modified=datetime(1970, 1, 1, tzinfo=UTC), open=lambda: io.BytesIO(b"x")
    )
    data = b"".join(zipstream.stream([entry]))
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        (info,) = archive.infolist()
    assert info.filename == expected
    assert info.date_time == (1980, 1, 1, 0, 0, 0)


def test_names_that_differ_only_in_case_both_survive_unpacking():
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    entries = [
        zipstream.Entry(path=("Plan",), modified=moment),
        zipstream.Entry(path=("plan",), modified=moment, open=lambda: io.BytesIO(b"p")),
        zipstream.Entry(path=("plan.txt",), modified=moment, open=lambda: io.BytesIO(b"1")),
        zipstream.Entry(path=("PLAN.TXT",), modified=moment, open=lambda: io.BytesIO(b"2")),
    ]
    with zipfile.ZipFile(io.BytesIO(b"".join(zipstream.stream(entries)))) as archive:
        assert archive.namelist() == ["Plan/", "plan (2)", "plan.txt", "PLAN (2).TXT"]


# --- over ASGI (how production serves): still a stream ------------------------------------------


def _consume_async(response, seen_by_chunk=None):
    async def collect():
        chunks = []
        async for chunk in response.streaming_content:
            chunks.append(chunk)
            if seen_by_chunk is not None:
                seen_by_chunk.append(len(chunks))
        return chunks

    return async_to_sync(collect)()


def test_over_asgi_the_zip_is_pulled_chunk_by_chunk(tree):
    """Django reads a synchronous iterator whole before sending it over ASGI
    (StreamingHttpResponse.__aiter__): the ZIP must come as an asynchronous one there."""
    from files import download_views

    member = tree["people"]["member"]
    folder = services.create_folder(member, tree["top"], "Groot")
    content = _noise(400_000)
    serving.put(member, folder, "groot.txt", content)
    request = AsyncRequestFactory().get(zip_url(folder))
    request.user = member
    response = download_views.folder_zip(request, folder.group.slug, folder.pk)
    assert response.status_code == 200
    assert response.is_async
    chunks = _consume_async(response)
    assert len(chunks) >= 4
    with zipfile.ZipFile(io.BytesIO(b"".join(chunks))) as archive:
        assert archive.read("groot.txt") == content


def test_streamed_pulls_only_what_is_asked_for():
    from meent.media import streamed

    made = []

    def chunks():
        for number in range(5):
            made.append(number)
            yield bytes([number])

    request = AsyncRequestFactory().get("/")

    async def first_two():
        iterator = streamed(request, chunks())
        got = [await anext(iterator), await anext(iterator)]
        await iterator.aclose()
        return got

    assert async_to_sync(first_two)() == [b"\x00", b"\x01"]
    assert made == [0, 1]
    # A plain (WSGI) request keeps the iterator as it is.
    plain = chunks()
    assert streamed(RequestFactory().get("/"), plain) is plain
