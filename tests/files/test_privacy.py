"""A person's uploads to group libraries in "download my data" (the list and the bytes of the
versions they uploaded), in the counts, in the plan, and what deleting their account does: the
files stay with the group without their name, and search hears of it."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from files import services
from files.models import FileVersion, GroupFile
from privacy import export as exporting
from privacy import registry
from privacy import services as privacy
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from tests.files.library import folder, pdf, put, small_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return small_world()


def test_my_data_lists_my_uploads_with_their_versions_and_holds_their_bytes(world):
    owner, member = world["people"]["owner"], world["people"]["member"]
    sub = folder(owner, world["public"], "Notulen")
    first = pdf("Eerste versie.")
    file = put(member, sub, "Verslag.pdf", first)
    second = pdf("Tweede versie, van de eigenaar.")
    services.add_version(owner, file, SimpleUploadedFile("Verslag.pdf", second))
    third = pdf("Derde versie.")
    services.add_version(member, file, SimpleUploadedFile("Verslag.pdf", third))
    # Someone else's file with one version of mine.
    theirs = put(owner, world["public"], "Agenda.pdf", pdf("Agenda."))
    services.add_version(member, theirs, SimpleUploadedFile("Agenda.pdf", pdf("Mijn agenda.")))

    data, files = exporting.collect(member)
    rows = {row["name"]: row for row in data["group_files"]}
    assert set(rows) == {"Verslag.pdf", "Agenda.pdf"}
    mine = rows["Verslag.pdf"]
    assert mine["group"] == "Dijken" and mine["folder"] == "Openbaar/Notulen"
    assert mine["link"].endswith(file.get_absolute_url()) and mine["added_by_you"] is True
    assert [v["number"] for v in mine["versions"]] == [1, 3]  # not the owner's version 2
    assert mine["versions"][0]["size"] == len(first)
    assert mine["versions"][0]["content_type"] == "application/pdf"
    assert rows["Agenda.pdf"]["added_by_you"] is False
    assert [v["number"] for v in rows["Agenda.pdf"]["versions"]] == [2]

    handle = io.BytesIO()
    exporting.write_zip(handle, data, files)
    with zipfile.ZipFile(handle) as archive:
        stored = json.loads(archive.read(exporting.JSON_NAME))
        paths = [v["file"] for v in stored["group_files"][0]["versions"]]
        paths += [v["file"] for v in stored["group_files"][1]["versions"]]
        contents = {archive.read(path) for path in paths}
    assert contents >= {first, third} and second not in contents
    assert len(paths) == len(set(paths)) == 3


def test_a_file_i_may_no_longer_see_is_not_named_but_my_version_is_kept(world):
    owner, member = world["people"]["owner"], world["people"]["member"]
    file = put(member, world["public"], "Verslag.pdf", pdf("Tekst."))
    services.update_file(owner, file, name="Geheim plan.pdf", description="", tags="")
    services.hide_file(file)
    data, _files = exporting.collect(member)
    [row] = data["group_files"]
    assert row["name"] is None and row["folder"] is None and row["link"] is None
    assert row["group"] == "Dijken"
    assert row["versions"][0]["name"] == "Verslag.pdf"  # the name they uploaded it under
    assert row["versions"][0]["file"].endswith("Verslag.pdf")


def test_what_meent_holds_counts_my_uploads(world):
    member = world["people"]["member"]
    part = registry.part_for("group_files")
    assert part.held(member).count() == 0
    file = put(member, world["public"], "Verslag.pdf", pdf("Een."))
    services.add_version(member, file, SimpleUploadedFile("Verslag.pdf", pdf("Twee.")))
    assert part.held(member).count() == 2


def test_deleting_my_account_leaves_the_files_with_the_group_without_my_name(
    world, django_capture_on_commit_callbacks
):
    owner, member = world["people"]["owner"], world["people"]["member"]
    file = put(member, world["public"], "Waterplan.pdf", pdf("Het waterplan van Meent."))
    drain_outbox()
    found = get_search_backend().search(
        SearchQuery(text="waterplan", user=owner, author_id=member.pk)
    )
    assert [hit.object_id for hit in found.hits] == [file.pk]
    with translation.override("en"):
        plan = privacy.plan(member)
    assert any("file you uploaded to a group stays in the group's library" in line for line in plan)
    with django_capture_on_commit_callbacks(execute=True):
        privacy.delete_account(member)
    file = GroupFile.objects.get(pk=file.pk)
    assert file.uploaded_by is None
    assert FileVersion.objects.get(file=file).uploaded_by is None
    drain_outbox()
    # Still found by the group, no longer under the person who left.
    assert get_search_backend().search(SearchQuery(text="waterplan", user=owner)).total == 1
    gone = get_search_backend().search(
        SearchQuery(text="waterplan", user=owner, author_id=member.pk)
    )
    assert gone.total == 0
