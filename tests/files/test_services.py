"""files/services.py: folders, uploads, versions, the trash and the quota, with real documents."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from files import services, trash
from files.models import FileVersion, Folder, GroupFile, Reach
from files.services import FilesError
from tests.factories import GroupFactory, MembershipFactory, UserFactory
from tests.files.documents import make_docx, make_pdf
from tests.helpers import at_once, require_row_locks


def png() -> bytes:
    import io

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "teal").save(buffer, "PNG")
    return buffer.getvalue()


def upload_of(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def library(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.MEENT_CLAMD_SOCKET = ""
    settings.MEENT_CLAMD_HOST = ""
    owner, member, outsider = UserFactory(), UserFactory(), UserFactory()
    group = GroupFactory(slug="bibliotheek", content_default="open")
    MembershipFactory(group=group, user=owner, role="owner")
    MembershipFactory(group=group, user=member, role="member")
    return {
        "group": group,
        "owner": owner,
        "member": member,
        "outsider": outsider,
        "root": services.root_folder(group),
        "media": tmp_path,
    }


def stored_files(media):
    return sorted(path.name for path in (media / "private" / "files").glob("*"))


def add(library, name="Plan.pdf", content=None, who="member", folder=None, **kwargs):
    content = make_pdf(["Woonvisie voor de regio"]) if content is None else content
    return services.upload(
        library[who], folder or library["root"], upload_of(name, content), **kwargs
    )


# ---------------------------------------------------------------------------------------------
# Names


@pytest.mark.parametrize(
    "name",
    [
        "",
        "   ",
        "..",
        ".",
        "a/b",
        "..\\..\\etc",
        "x\x00y",
        "tab\there",
        "a:b",
        'q"',
        "x" * 1000,
        "&lt;img src=x&gt;.pdf",
        "&#60;b&#62;",
    ],
)
def test_bad_names_are_refused_with_the_field(name):
    with pytest.raises(FilesError) as refused:
        services.clean_name(name)
    assert refused.value.field == "name"
    assert refused.value.message


def test_a_long_name_says_how_long():
    with pytest.raises(FilesError) as refused:
        services.clean_name("x" * 1000)
    assert "1000" in refused.value.message


def test_names_are_normalised_and_kept():
    assert services.clean_name("  Cafe\u0301 plan.pdf ") == "Café plan.pdf"


# ---------------------------------------------------------------------------------------------
# Folders and their reach


def test_folders_nest_and_their_reach_is_the_narrowest_on_the_way_down(library):
    root, member = library["root"], library["member"]
    public = services.create_folder(member, root, "Openbaar", Reach.PUBLIC)
    inner = services.create_folder(member, public, "Leden", Reach.MEMBERS)
    deepest = services.create_folder(member, inner, "Nog dieper", Reach.PUBLIC)
    assert (public.reach, inner.reach, deepest.reach) == ("public", "members", "members")
    assert deepest.path == f"{root.path}{public.pk}/{inner.pk}/{deepest.pk}/"
    services.set_folder_visibility(library["owner"], inner, Folder.INHERIT)
    deepest.refresh_from_db()
    assert deepest.reach == "public"


def test_a_name_is_taken_once_per_folder_whatever_its_case(library):
    services.create_folder(library["member"], library["root"], "Notulen")
    with pytest.raises(FilesError) as refused:
        services.create_folder(library["member"], library["root"], "NOTULEN")
    assert refused.value.status == 409


def test_a_folder_cannot_move_into_its_own_subfolder(library):
    member = library["member"]
    top = services.create_folder(member, library["root"], "Boven")
    below = services.create_folder(member, top, "Onder")
    for target in (top, below):
        with pytest.raises(FilesError) as refused:
            services.move_folder(member, top, target)
        assert refused.value.field == "target"


def test_moving_a_folder_moves_its_subtree_and_narrows_its_reach(library):
    member, owner = library["member"], library["owner"]
    closed = services.create_folder(member, library["root"], "Dicht", Reach.MEMBERS)
    top = services.create_folder(member, library["root"], "Open")
    below = services.create_folder(member, top, "Onder")
    file = add(library, folder=below).file
    services.move_folder(member, top, closed)
    below.refresh_from_db()
    assert below.path == f"{closed.path}{top.pk}/{below.pk}/"
    assert (below.depth, below.reach) == (3, "members")
    # An anonymous visitor no longer sees the file (a members folder above it).
    from django.contrib.auth.models import AnonymousUser

    assert not GroupFile.objects.visible_to(AnonymousUser()).filter(pk=file.pk).exists()
    assert GroupFile.objects.visible_to(owner).filter(pk=file.pk).exists()


def test_only_members_change_the_library(library):
    with pytest.raises(FilesError) as refused:
        services.create_folder(library["outsider"], library["root"], "Van buiten")
    assert refused.value.status == 403
    with pytest.raises(FilesError):
        add(library, who="outsider")


# ---------------------------------------------------------------------------------------------
# Uploads


def test_an_upload_is_stored_privately_with_its_first_version(library):
    result = add(library, description="Het plan", tags="wonen, Regio, wonen")
    file = result.file
    assert (file.name, file.content_type, file.last_number) == ("Plan.pdf", "application/pdf", 1)
    assert file.current.number == 1 and file.current.stored.name.startswith("private/files/")
    assert sorted(tag.name for tag in file.tags.all()) == ["Regio", "wonen"]
    assert len(stored_files(library["media"])) == 1


def test_a_taken_name_gets_a_number_and_nothing_is_lost(library):
    first = add(library).file
    second = add(library, name="plan.PDF")
    assert second.renamed_from == "plan.PDF"
    assert second.file.name == "plan (2).PDF"
    assert GroupFile.objects.filter(folder=library["root"]).count() == 2
    assert first.pk != second.file.pk


@pytest.mark.parametrize(
    ("name", "content", "status"),
    [
        ("leeg.pdf", b"", 400),
        ("pagina.pdf", b"<html><body><script>alert(1)</script></body></html>", 400),
        (
            "tekening.pdf",
            b'<svg xmlns="http://www.w3.org/2000/svg"><script>x()</script></svg>',
            400,
        ),
        ("plan.docx", make_pdf(["Een PDF met een andere naam"]), 400),
        ("programma.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100, 400),
    ],
)
def test_refused_uploads_say_why_and_store_nothing(library, name, content, status):
    with pytest.raises(FilesError) as refused:
        add(library, name=name, content=content)
    assert refused.value.status == status and refused.value.message
    assert not GroupFile.objects.exists() and not FileVersion.objects.exists()
    assert stored_files(library["media"]) == []


def test_a_file_over_the_size_limit_is_refused(library, settings):
    settings.MEENT_FILES_MAX_BYTES = 100
    with pytest.raises(FilesError) as refused:
        add(library)
    assert refused.value.status == 413


def test_the_quota_counts_every_version_and_refuses_with_the_figures(library, settings):
    content = make_pdf(["Eerste"])
    settings.MEENT_FILES_GROUP_QUOTA = len(content) * 2 + 10
    file = add(library, content=content).file
    services.add_version(library["member"], file, upload_of("Plan.pdf", content))
    assert services.usage(library["group"]) == len(content) * 2
    with pytest.raises(FilesError) as refused:
        add(library, name="Nog een.pdf", content=content)
    assert refused.value.status == 413
    from django.template.defaultfilters import filesizeformat

    assert filesizeformat(settings.MEENT_FILES_GROUP_QUOTA) in refused.value.message
    assert len(stored_files(library["media"])) == 2


def test_a_name_without_an_extension_gets_the_contents(library):
    assert add(library, name="Notitie", content=b"Gewone tekst\n").file.name == "Notitie.txt"


def test_markdown_and_csv_are_text(library):
    assert add(library, name="lees.md", content=b"# Kop\n\nTekst").file.content_type == "text/plain"
    assert add(library, name="cijfers.csv", content=b"a;b\n1;2\n").file.name == "cijfers.csv"


# ---------------------------------------------------------------------------------------------
# Versions


def test_a_new_version_becomes_current_and_the_old_one_stays(library):
    file = add(library).file
    first = file.current
    second = services.add_version(
        library["owner"], file, upload_of("whatever.pdf", make_pdf(["Tweede versie"]))
    )
    file.refresh_from_db()
    assert (file.current_id, second.number, file.last_number) == (second.pk, 2, 2)
    assert second.name == "Plan.pdf" and first.stored.name != second.stored.name
    services.restore_version(library["member"], file, first)
    file.refresh_from_db()
    assert file.current_id == first.pk and file.versions.count() == 2


def test_a_new_version_keeps_the_files_type(library):
    file = add(library).file
    with pytest.raises(FilesError) as refused:
        services.add_version(library["member"], file, upload_of("plan.docx", make_docx("Tekst")))
    assert ".pdf" in refused.value.message
    assert file.versions.count() == 1 and len(stored_files(library["media"])) == 1


def test_renaming_keeps_the_ending_and_refuses_a_taken_name(library):
    file = add(library).file
    add(library, name="Ander.pdf")
    with pytest.raises(FilesError) as refused:
        services.update_file(library["member"], file, name="ander.pdf", description="", tags="")
    assert refused.value.status == 409
    with pytest.raises(FilesError):
        services.update_file(library["member"], file, name="Plan.docx", description="", tags="")
    services.update_file(library["member"], file, name="Woonplan.pdf", description="x", tags="a")
    file.refresh_from_db()
    assert file.name == "Woonplan.pdf"


# ---------------------------------------------------------------------------------------------
# The trash


def test_a_folder_goes_to_the_trash_with_everything_in_it_and_comes_back(library):
    member, owner = library["member"], library["owner"]
    folder = services.create_folder(member, library["root"], "Oud")
    inner = services.create_folder(member, folder, "Binnen")
    loose = add(library, name="Los.pdf", folder=inner).file
    earlier = add(library, name="Eerder.pdf", folder=inner).file
    services.trash_file(member, earlier)  # deleted on its own, before the folder
    services.trash_folder(member, folder)
    assert not GroupFile.objects.visible_to(owner).exists()
    folders, files = services.trash(library["group"])
    assert [item.pk for item in folders] == [folder.pk]
    assert [item.pk for item in files] == [earlier.pk]
    with pytest.raises(FilesError):
        services.restore_folder(member, folder)  # members do not restore
    services.restore_folder(owner, folder)
    loose.refresh_from_db()
    earlier.refresh_from_db()
    assert loose.deleted_at is None and earlier.deleted_at is not None


def test_a_restored_file_whose_folder_is_gone_goes_to_the_root_under_a_free_name(library):
    member, owner = library["member"], library["owner"]
    folder = services.create_folder(member, library["root"], "Weg")
    file = add(library, folder=folder).file
    services.trash_file(member, file)
    services.trash_folder(member, folder)
    add(library)  # "Plan.pdf" in the root now
    restored = services.restore_file(owner, GroupFile.objects.get(pk=file.pk))
    assert restored.folder_id == library["root"].pk and restored.name == "Plan (2).pdf"


def test_only_the_uploader_and_managers_delete(library):
    file = add(library, who="owner").file
    with pytest.raises(FilesError) as refused:
        services.trash_file(library["member"], file)
    assert refused.value.status == 403


def test_the_trash_is_emptied_after_its_days_with_the_stored_files(
    library, django_capture_on_commit_callbacks
):
    member = library["member"]
    folder = services.create_folder(member, library["root"], "Archief")
    add(library, folder=folder)
    kept = add(library, name="Blijft.pdf").file
    services.trash_folder(member, folder)
    assert len(stored_files(library["media"])) == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert trash.purge_trash(now=timezone.now() + datetime.timedelta(days=29)) == 0
        assert trash.purge_trash(now=timezone.now() + datetime.timedelta(days=31)) == 1
    assert list(GroupFile.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not Folder.objects.filter(pk=folder.pk).exists()
    assert len(stored_files(library["media"])) == 1


# ---------------------------------------------------------------------------------------------
# Text for search


def test_the_words_of_a_pdf_are_read_after_the_upload(library, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        file = add(library, content=make_pdf(["Het woord grondwaterpeil staat hier"])).file
    file.refresh_from_db()
    assert file.text_status == "done" and "grondwaterpeil" in file.text


def test_an_image_has_no_words(library, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        file = add(library, name="punt.png", content=png()).file
    file.refresh_from_db()
    assert file.text_status == "unsupported"


# ---------------------------------------------------------------------------------------------
# At the same moment (PostgreSQL: SQLite has one writer at a time)


@pytest.mark.django_db(transaction=True)
def test_two_uploads_of_one_name_at_once_keep_both(settings, tmp_path):
    require_row_locks()
    settings.MEDIA_ROOT = tmp_path
    group = GroupFactory(content_default="open")
    people = [UserFactory(), UserFactory()]
    for person in people:
        MembershipFactory(group=group, user=person, role="member")
    root = services.root_folder(group)
    content = make_pdf(["Tegelijk"])
    results, errors = at_once(
        *[
            lambda person=person: services.upload(person, root, upload_of("Tegelijk.pdf", content))
            for person in people
        ]
    )
    assert errors == []
    assert sorted(result.file.name for result in results) == ["Tegelijk (2).pdf", "Tegelijk.pdf"]
    assert len(list((tmp_path / "private" / "files").glob("*"))) == 2


@pytest.mark.django_db(transaction=True)
def test_a_restore_and_a_rename_to_its_name_at_once_keep_both(settings, tmp_path):
    """The restore chose its free name before the rename committed: it takes the next number
    instead of failing on the unique index."""
    require_row_locks()
    settings.MEDIA_ROOT = tmp_path
    group = GroupFactory(content_default="open")
    owner = UserFactory()
    MembershipFactory(group=group, user=owner, role="owner")
    root = services.root_folder(group)
    trashed, other = (
        services.upload(owner, root, upload_of(name, make_pdf([name]))).file
        for name in ("Plan.pdf", "Ander.pdf")
    )
    services.trash_file(owner, trashed)
    for _round in range(5):  # the two race differently each time; neither may fail
        _results, errors = at_once(
            lambda: services.restore_file(owner, GroupFile.objects.get(pk=trashed.pk)),
            lambda: services.update_file(
                owner, GroupFile.objects.get(pk=other.pk), name="Plan.pdf", description="", tags=""
            ),
        )
        assert errors == [] or [e.status for e in errors] == [409], errors
        names = sorted(GroupFile.objects.alive().values_list("name", flat=True))
        assert len(names) == 2 and len(set(names)) == 2 and "Plan.pdf" in names
        # Back to the start: the renamed one as "Ander.pdf", the restored one in the trash.
        GroupFile.objects.filter(pk=other.pk).update(name="Ander.pdf", name_key="ander.pdf")
        services.trash_file(owner, GroupFile.objects.get(pk=trashed.pk))
        GroupFile.objects.filter(pk=trashed.pk).update(name="Plan.pdf", name_key="plan.pdf")


@pytest.mark.django_db(transaction=True)
def test_two_renames_to_one_name_at_once_give_one_a_clear_refusal(settings, tmp_path):
    require_row_locks()
    settings.MEDIA_ROOT = tmp_path
    group = GroupFactory(content_default="open")
    person = UserFactory()
    MembershipFactory(group=group, user=person, role="member")
    root = services.root_folder(group)
    files = [
        services.upload(person, root, upload_of(name, make_pdf([name]))).file
        for name in ("Een.pdf", "Twee.pdf")
    ]
    results, errors = at_once(
        *[
            lambda file=file: services.update_file(
                person, file, name="Samen.pdf", description="", tags=""
            )
            for file in files
        ]
    )
    assert len(errors) == 1 and isinstance(errors[0], FilesError)
    assert errors[0].status == 409
    assert sorted(GroupFile.objects.values_list("name", flat=True)) in (
        ["Een.pdf", "Samen.pdf"],
        ["Samen.pdf", "Twee.pdf"],
    )


def test_a_restored_folder_whose_parent_is_in_the_trash_goes_to_the_root_with_its_files(library):
    member, owner = library["member"], library["owner"]
    parent = services.create_folder(member, library["root"], "Ouder", Reach.MEMBERS)
    child = services.create_folder(member, parent, "Kind")
    file = add(library, folder=child).file
    services.trash_folder(member, child)
    services.trash_folder(member, parent)
    restored = services.restore_folder(owner, Folder.objects.get(pk=child.pk))
    assert restored.parent_id == library["root"].pk
    assert restored.path == f"{library['root'].path}{child.pk}/" and restored.depth == 1
    assert restored.reach == "public"  # no longer under the members folder
    assert GroupFile.objects.visible_to(owner).filter(pk=file.pk).exists()
