"""The library's pages: lists, uploads (with and without JavaScript), folders, a file's page with
its versions and preview, and the trash; refusals at their field with their status, and 404 for
what a person may not see."""

import datetime
import json

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, reset_queries
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from files import services
from files.models import FileVersion, Folder, GroupFile, Reach
from tests.files import documents
from tests.files.conftest import png, put


def url(name, library, *args):
    return reverse(f"files:{name}", args=[library["group"].slug, *args])


def login(client, library, who):
    client.force_login(library["people"][who])


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def text_of(response):
    return response.content.decode()


# ---------------------------------------------------------------------------------------------
# Lists


def test_the_library_lists_folders_first_then_files_with_what_a_person_needs(client, library):
    login(client, library, "anna")
    english(client)
    response = client.get(url("library", library))
    assert response.status_code == 200
    page = text_of(response)
    # Folders first (by name), then files (by name).
    order = [page.index(name) for name in ("Archief", "Plannen", "Begroting.pdf", "Logo.png")]
    assert order == sorted(order)
    assert "PDF document" in page and "Anna Test" in page
    assert "The group's files use" in page  # the quota, for members
    # The group's tab is there and current.
    assert 'aria-current="page">Files</a>' in page


def test_sorting_by_size_and_filtering_by_tag(client, library):
    root = library["root"]
    put(library["people"]["anna"], root, "Groot.txt", b"x" * 5000, tags="budget, 2027")
    login(client, library, "anna")
    english(client)
    page = text_of(client.get(url("library", library) + "?sort=size"))
    assert page.index("Groot.txt") < page.index("Notities.txt")
    filtered = text_of(client.get(url("library", library) + "?tag=budget"))
    assert "Groot.txt" in filtered and "Notities.txt" not in filtered
    assert "Plannen" not in filtered  # folders are not tagged
    nothing = client.get(url("library", library) + "?tag=none")
    assert "No file in this folder has the tag" in text_of(nothing)
    bad = client.get(url("library", library) + "?sort=biggest")
    assert bad.status_code == 400 and "Begroting.pdf" in text_of(bad)


def test_an_empty_folder_says_what_to_do(client, library):
    login(client, library, "anna")
    english(client)
    page = text_of(client.get(url("folder", library, library["folders"]["year"].pk)))
    assert "This folder is empty. Upload files" in page
    # Breadcrumbs: Files › Plannen › 2027.
    assert page.index(">Files</a>") < page.index(">Plannen</a>") < page.index(">2027</a>")


def test_paging_and_a_flat_number_of_queries(client, library, django_assert_max_num_queries):
    from files.models import FileVersion as Version

    folder = library["folders"]["archive"]
    anna = library["people"]["anna"]
    login(client, library, "anna")
    address = url("folder", library, folder.pk)

    def fill(count):
        # Rows straight in the database: 500 uploads through storage would take long.
        have = GroupFile.objects.filter(folder=folder).count()
        for number in range(have, count):
            file = GroupFile.objects.create(
                group=folder.group,
                folder=folder,
                name=f"Stuk {number:04}.txt",
                name_key=f"stuk {number:04}.txt",
                size=10,
                content_type="text/plain",
                last_number=1,
                uploaded_by=anna,
            )
            version = Version.objects.create(
                file=file,
                number=1,
                stored="private/files/none.txt",
                name=file.name,
                size=10,
                content_type="text/plain",
                sha256="0" * 64,
                uploaded_by=anna,
            )
            GroupFile.objects.filter(pk=file.pk).update(current=version)
            file.tags.create(name="stuk", slug="stuk")

    fill(5)
    client.get(address)
    reset_queries()  # a full query log (9,000 lines) would count nothing
    with CaptureQueriesContext(connection) as few:
        assert client.get(address).status_code == 200
    counted = len(few.captured_queries)
    assert 0 < counted <= 40
    fill(500)
    client.get(address)
    reset_queries()
    with django_assert_max_num_queries(counted):
        response = client.get(address)
    assert response.status_code == 200
    page = text_of(response)
    assert "Stuk 0049.txt" in page and "Stuk 0050.txt" not in page
    second = text_of(client.get(address + "?page=2"))
    assert "Stuk 0050.txt" in second and "Stuk 0049.txt" not in second


def test_only_what_a_person_may_see(client, open_library):
    group, root = open_library["group"], open_library["root"]
    library_url = reverse("files:library", args=[group.slug])
    # Nobody signed in sees the public file, not the members' folder or its file.
    page = text_of(client.get(library_url))
    assert "Openbaar.txt" in page and "Intern" not in page
    inner = reverse("files:folder", args=[group.slug, open_library["inner"].pk])
    assert client.get(inner).status_code == 404
    assert client.get(open_library["secret"].get_absolute_url()).status_code == 404
    assert client.get(open_library["public"].get_absolute_url()).status_code == 200
    # No upload form for who is not a member; no usage either.
    assert "data-upload" not in page and "files-usage" not in page
    client.force_login(open_library["owner"])
    page = text_of(client.get(library_url))
    assert "Intern" in page and "data-upload" in page
    assert root.group_id == group.pk


def test_a_members_only_group_is_closed_to_outsiders(client, library):
    login(client, library, "outsider")
    english(client)
    response = client.get(url("library", library))
    assert response.status_code == 403
    assert "Only members of this group can see its files." in text_of(response)
    for address in (
        url("folder", library, library["folders"]["plans"].pk),
        library["files"]["pdf"].get_absolute_url(),
        url("file_edit", library, library["files"]["pdf"].pk),
        url("trash", library),
    ):
        assert client.get(address).status_code == 404, address


def test_a_hidden_group_and_a_switched_off_tab_answer_404(client, library):
    group = library["group"]
    login(client, library, "anna")
    group.files_enabled = False
    group.save()
    for address in (url("library", library), library["files"]["pdf"].get_absolute_url()):
        assert client.get(address).status_code == 404
    group.files_enabled, group.visibility = True, "hidden"
    group.save()
    login(client, library, "outsider")
    assert client.get(url("library", library)).status_code == 404


def test_another_communitys_group_leads_to_its_own_host(client, library):
    from wagtail.models import Page, Site

    other = Site.objects.create(
        hostname="elders.example", port=80, root_page=Page.objects.get(depth=1), site_name="Elders"
    )
    group = library["group"]
    group.site = other
    group.save()
    login(client, library, "anna")
    response = client.get(library["files"]["pdf"].get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith("http://elders.example")


def test_a_group_that_nobody_started_a_library_for(client, open_library, db):
    from tests.factories import GroupFactory

    group = GroupFactory(slug="nieuw", name="Nieuw", content_default="open")
    response = client.get(reverse("files:library", args=[group.slug]))
    assert response.status_code == 200
    assert not Folder.objects.filter(group=group).exists()  # looking makes no row


# ---------------------------------------------------------------------------------------------
# Uploading


def test_uploading_several_files_without_javascript(client, library):
    login(client, library, "anna")
    english(client)
    address = url("upload", library, library["root"].pk)
    files = [
        SimpleUploadedFile("Verslag.pdf", documents.make_pdf(["Verslag"])),
        SimpleUploadedFile("Begroting.pdf", documents.make_pdf(["Nog een begroting"])),
        SimpleUploadedFile("Nep.pdf", b"<html><script>alert(1)</script></html>"),
    ]
    key = "5c8d6f0e-1a2b-4c3d-8e9f-0a1b2c3d4e5f"
    response = client.post(address, {"files": files, "submission_key": key}, follow=True)
    assert response.redirect_chain[-1][0] == url("library", library)
    page = text_of(response)
    assert "“Verslag.pdf” is uploaded." in page
    assert "“Begroting.pdf” is uploaded as “Begroting (2).pdf”" in page
    assert "“Nep.pdf” is not uploaded:" in page
    assert set(GroupFile.objects.filter(folder=library["root"]).values_list("name", flat=True)) >= {
        "Verslag.pdf",
        "Begroting (2).pdf",
    }
    assert not GroupFile.objects.filter(name="Nep.pdf").exists()
    # The same form sent again makes nothing more.
    again = client.post(
        address,
        {
            "files": [SimpleUploadedFile("Verslag.pdf", documents.make_pdf(["x"]))],
            "submission_key": key,
        },
    )
    assert again.status_code == 302
    assert GroupFile.objects.filter(name__startswith="Verslag").count() == 1


def test_when_every_file_is_refused_the_form_says_why_at_the_field(client, library):
    login(client, library, "anna")
    english(client)
    address = url("upload", library, library["root"].pk)
    response = client.post(
        address, {"files": [SimpleUploadedFile("Leeg.txt", b"")], "submission_key": ""}
    )
    assert response.status_code == 400
    page = text_of(response)
    assert "“Leeg.txt” is not uploaded:" in page and "field--error" in page
    nothing = client.post(address, {})
    assert nothing.status_code == 400
    assert "Choose one or more files to upload." in text_of(nothing)


@override_settings(MEENT_FILES_GROUP_QUOTA=1000)
def test_a_full_quota_is_413_with_a_clear_message(client, library):
    login(client, library, "anna")
    response = client.post(
        url("upload", library, library["root"].pk),
        {"files": [SimpleUploadedFile("Groot.txt", b"tekst " * 500)]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 413
    assert json.loads(response.content)["error"]


def test_uploading_with_javascript_answers_json(client, library):
    login(client, library, "anna")
    english(client)
    address = url("upload", library, library["folders"]["plans"].pk)
    response = client.post(
        address,
        {"files": [SimpleUploadedFile("Agenda.txt", b"Punt 1\n")]},
        HTTP_ACCEPT="application/json",
    )
    assert response.status_code == 201
    answer = json.loads(response.content)
    file = GroupFile.objects.get(name="Agenda.txt")
    assert answer == {"name": "Agenda.txt", "url": file.get_absolute_url(), "renamed_from": ""}
    same = client.post(
        address,
        {"files": [SimpleUploadedFile("Agenda.txt", b"Punt 2\n")]},
        HTTP_ACCEPT="application/json",
    )
    assert same.status_code == 201 and json.loads(same.content)["renamed_from"] == "Agenda.txt"
    refused = client.post(
        address,
        {"files": [SimpleUploadedFile("Plaatje.pdf", png())]},
        HTTP_ACCEPT="application/json",
    )
    assert refused.status_code == 400 and json.loads(refused.content)["error"]
    two = client.post(
        address,
        {"files": [SimpleUploadedFile("a.txt", b"a"), SimpleUploadedFile("b.txt", b"b")]},
        HTTP_ACCEPT="application/json",
    )
    assert two.status_code == 400


def test_who_may_not_upload(client, library, open_library):
    # A person who sees the folder but is no member: 403 (JSON says so too).
    client.force_login(library["people"]["outsider"])
    address = reverse("files:upload", args=[open_library["group"].slug, open_library["root"].pk])
    upload = {"files": [SimpleUploadedFile("x.txt", b"x")]}
    assert client.post(address, upload).status_code == 403
    answer = client.post(address, upload, HTTP_ACCEPT="application/json")
    assert answer.status_code == 403 and json.loads(answer.content)["error"]
    # A folder they may not see: 404.
    hidden = reverse("files:upload", args=[open_library["group"].slug, open_library["inner"].pk])
    assert client.post(hidden, upload).status_code == 404
    assert client.post(hidden, upload, HTTP_ACCEPT="application/json").status_code == 404
    # An archived group: 409.
    group = library["group"]
    group.is_archived = True
    group.save()
    login(client, library, "anna")
    assert client.post(url("upload", library, library["root"].pk), upload).status_code == 409
    assert not GroupFile.objects.filter(name="x.txt").exists()


# ---------------------------------------------------------------------------------------------
# Folders


def test_making_a_folder_offers_only_choices_not_wider_than_its_parent(client, open_library):
    group, owner = open_library["group"], open_library["owner"]
    client.force_login(owner)
    inner_new = reverse("files:new_folder", args=[group.slug, open_library["inner"].pk])
    page = text_of(client.get(inner_new))
    assert 'value="members"' in page and 'value="public"' not in page
    root_new = reverse("files:new_folder", args=[group.slug, open_library["root"].pk])
    assert 'value="public"' in text_of(client.get(root_new))
    key = "0b6b7a3e-5d7c-4c39-9f6e-2a1d4b5c6d7e"
    response = client.post(
        root_new, {"name": "Besluiten", "visibility": "logged_in", "submission_key": key}
    )
    made = Folder.objects.get(name="Besluiten")
    assert response.status_code == 302 and response["Location"] == made.get_absolute_url()
    assert made.reach == Reach.LOGGED_IN
    client.post(root_new, {"name": "Besluiten", "visibility": "logged_in", "submission_key": key})
    assert Folder.objects.filter(name="Besluiten").count() == 1
    # Too wide for its parent: refused by the form, nothing made.
    wide = client.post(inner_new, {"name": "Open", "visibility": "public"})
    assert wide.status_code == 400 and not Folder.objects.filter(name="Open").exists()


def test_folder_name_refusals_are_shown_at_the_field(client, library):
    login(client, library, "anna")
    english(client)
    address = url("new_folder", library, library["root"].pk)
    taken = client.post(address, {"name": "plannen", "visibility": "inherit"})
    assert taken.status_code == 409
    page = text_of(taken)
    assert "is taken in this folder" in page and 'value="plannen"' in page
    bad = client.post(address, {"name": "a/b", "visibility": "inherit"})
    assert bad.status_code == 400 and "field--error" in text_of(bad)
    outsider_sees_nothing = library["people"]["outsider"]
    client.force_login(outsider_sees_nothing)
    assert client.get(address).status_code == 404


def test_renaming_and_changing_who_may_see_a_folder(client, library):
    plans = library["folders"]["plans"]
    login(client, library, "anna")  # she made it
    address = url("folder_edit", library, plans.pk)
    assert 'name="visibility"' in text_of(client.get(address))
    response = client.post(address, {"name": "Plannen 2027", "visibility": "members"})
    assert response.status_code == 302
    plans.refresh_from_db()
    assert plans.name == "Plannen 2027" and plans.visibility == "members"
    # Bram did not make it: he renames, but who may see it is not his to change.
    login(client, library, "bram")
    assert 'name="visibility"' not in text_of(client.get(address))
    client.post(address, {"name": "Plannen", "visibility": "inherit"})
    plans.refresh_from_db()
    assert plans.name == "Plannen" and plans.visibility == "members"
    # The root folder has nothing to change.
    assert client.get(url("folder_edit", library, library["root"].pk)).status_code == 404


def test_both_changes_or_neither(client, library):
    plans = library["folders"]["plans"]
    login(client, library, "anna")
    response = client.post(
        url("folder_edit", library, plans.pk), {"name": "Archief", "visibility": "members"}
    )
    assert response.status_code == 409
    plans.refresh_from_db()
    assert plans.name == "Plannen" and plans.visibility == "inherit"


def test_moving_a_folder_offers_no_place_inside_itself(client, library):
    plans, year, archive = (library["folders"][name] for name in ("plans", "year", "archive"))
    login(client, library, "anna")
    address = url("folder_move", library, plans.pk)
    page = text_of(client.get(address))
    assert f'value="{archive.pk}"' in page
    assert f'value="{year.pk}"' not in page and f'value="{plans.pk}"' not in page
    refused = client.post(address, {"target": year.pk})
    assert refused.status_code == 400
    response = client.post(address, {"target": archive.pk})
    assert response.status_code == 302
    plans.refresh_from_db()
    year.refresh_from_db()
    assert plans.parent_id == archive.pk and year.path.startswith(archive.path)


def test_deleting_a_folder_says_what_goes_with_it(client, library):
    plans = library["folders"]["plans"]
    english(client)
    login(client, library, "bram")  # not his folder, not an admin
    assert client.get(url("folder_delete", library, plans.pk)).status_code == 403
    login(client, library, "anna")
    page = text_of(client.get(url("folder_delete", library, plans.pk)))
    assert "with 1 file in it and 1 folder" in page
    response = client.post(url("folder_delete", library, plans.pk))
    assert response.status_code == 302 and response["Location"] == url("library", library)
    plans.refresh_from_db()
    assert plans.deleted_at is not None
    assert client.get(url("folder", library, plans.pk)).status_code == 404
    assert client.get(url("folder_delete", library, library["root"].pk)).status_code == 404


# ---------------------------------------------------------------------------------------------
# A file


def test_the_file_page_shows_previews_by_kind(client, library):
    files = library["files"]
    login(client, library, "bram")
    english(client)
    text = text_of(client.get(files["text"].get_absolute_url()))
    assert "<pre" in text and "3 &lt; 4 &amp; 5 &gt; 2" in text
    image = text_of(client.get(files["image"].get_absolute_url()))
    preview = reverse("files:preview", args=["team", files["image"].pk, 1])
    assert f'src="{preview}"' in image and 'alt="Het logo van het team"' in image
    pdf = client.get(files["pdf"].get_absolute_url())
    assert "<iframe" in text_of(pdf)
    assert "frame-src 'self'" in pdf["Content-Security-Policy"]
    docx = text_of(client.get(files["docx"].get_absolute_url()))
    assert "Download (Word document," in docx and "<iframe" not in docx
    # Versions with a download link each; the report link (not for one's own file).
    assert files["text"].current.download_url() in text
    assert reverse("moderation:report", args=["file", files["text"].pk]) not in text
    assert reverse("moderation:report", args=["file", files["pdf"].pk]) in text_of(pdf)


def test_a_long_text_is_shown_in_part(client, library):
    login(client, library, "anna")
    english(client)
    long = put(library["people"]["anna"], library["root"], "Lang.txt", b"regel\n" * 60_000)
    page = text_of(client.get(long.get_absolute_url()))
    assert "Only the beginning is shown here" in page
    assert page.count("regel") < 40_000


def test_a_new_version_and_making_an_old_one_current(client, library):
    file = library["files"]["text"]
    login(client, library, "anna")
    english(client)
    address = url("new_version", library, file.pk)
    assert client.get(address).status_code == 200
    key = "3f1e2d3c-4b5a-4697-8899-aabbccddeeff"
    response = client.post(
        address,
        {"file": SimpleUploadedFile("nieuw.txt", b"Tweede versie\n"), "submission_key": key},
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.last_number == 2 and file.current.number == 2
    client.post(
        address, {"file": SimpleUploadedFile("nieuw.txt", b"Nog eens\n"), "submission_key": key}
    )
    assert FileVersion.objects.filter(file=file).count() == 2
    page = text_of(client.get(file.get_absolute_url()))
    assert "Tweede versie" in page and "Make current" in page
    # A new version of another kind is refused at the field, with its status.
    refused = client.post(address, {"file": SimpleUploadedFile("x.pdf", documents.make_pdf(["x"]))})
    assert refused.status_code == 400 and "field--error" in text_of(refused)
    restore = client.post(url("restore_version", library, file.pk, 1))
    assert restore.status_code == 302
    file.refresh_from_db()
    assert file.current.number == 1
    assert client.post(url("restore_version", library, file.pk, 9)).status_code == 404


def test_editing_details_moving_and_deleting_a_file(client, library):
    file = library["files"]["pdf"]
    login(client, library, "bram")
    english(client)
    address = url("file_edit", library, file.pk)
    response = client.post(
        address, {"name": "Begroting 2027.pdf", "description": "Concept", "tags": "geld, 2027"}
    )
    assert response.status_code == 302
    file.refresh_from_db()
    assert file.name == "Begroting 2027.pdf" and file.description == "Concept"
    assert sorted(file.tags.values_list("name", flat=True)) == ["2027", "geld"]
    ending = client.post(address, {"name": "Begroting.docx", "description": "", "tags": ""})
    assert ending.status_code == 400 and 'value="Begroting.docx"' in text_of(ending)
    taken = client.post(address, {"name": "notities.txt", "description": "", "tags": ""})
    assert taken.status_code in (400, 409)
    archive = library["folders"]["archive"]
    moved = client.post(url("move", library, file.pk), {"target": archive.pk})
    assert moved.status_code == 302
    file.refresh_from_db()
    assert file.folder_id == archive.pk
    # Bram did not upload it: he may not delete it; Anna may.
    assert client.get(url("delete", library, file.pk)).status_code == 403
    login(client, library, "anna")
    assert client.get(url("delete", library, file.pk)).status_code == 200
    response = client.post(url("delete", library, file.pk))
    assert response.status_code == 302 and response["Location"] == archive.get_absolute_url()
    assert client.get(file.get_absolute_url()).status_code == 404


def test_who_sees_a_file_but_may_not_change_it_gets_403(client, open_library):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    file = open_library["public"]
    assert client.get(file.get_absolute_url()).status_code == 200
    for name in ("file_edit", "move", "new_version", "delete"):
        address = reverse(f"files:{name}", args=[open_library["group"].slug, file.pk])
        assert client.get(address).status_code == 403, name
    restore = reverse("files:restore_version", args=[open_library["group"].slug, file.pk, 1])
    assert client.post(restore).status_code == 403


# ---------------------------------------------------------------------------------------------
# The trash


def test_the_trash_lists_what_was_deleted_on_its_own_and_restores_it(client, library):
    people, files = library["people"], library["files"]
    services.trash_file(people["anna"], files["pdf"])
    services.trash_folder(people["anna"], library["folders"]["plans"])
    login(client, library, "owner")
    english(client)
    page = text_of(client.get(url("trash", library)))
    assert "Begroting.pdf" in page and "Plannen" in page
    assert "Plan.docx" not in page  # it went with its folder
    assert "deleted by Anna Test" in page and "30 days left" in page
    # A new file took the name meanwhile: the restored one gets another.
    put(people["anna"], library["root"], "Begroting.pdf", documents.make_pdf(["Nieuw"]))
    response = client.post(
        url("trash_restore", library), {"kind": "file", "id": files["pdf"].pk}, follow=True
    )
    assert "“Begroting (2).pdf” is restored. The name “Begroting.pdf” was taken" in text_of(
        response
    )
    response = client.post(
        url("trash_restore", library),
        {"kind": "folder", "id": library["folders"]["plans"].pk},
        follow=True,
    )
    assert "“Plannen” is restored." in text_of(response)
    assert GroupFile.objects.get(name="Plan.docx").deleted_at is None
    gone = client.post(url("trash_restore", library), {"kind": "file", "id": files["pdf"].pk})
    assert gone.status_code == 404
    bad = client.post(url("trash_restore", library), {"kind": "page", "id": "x"})
    assert bad.status_code == 400


def test_a_restored_file_whose_folder_is_gone_goes_to_the_top(client, library):
    people = library["people"]
    year = library["folders"]["year"]
    file = put(people["anna"], year, "Los.txt", b"los\n")
    services.trash_file(people["anna"], file)
    services.trash_folder(people["anna"], year)
    login(client, library, "admin")
    english(client)
    response = client.post(
        url("trash_restore", library), {"kind": "file", "id": file.pk}, follow=True
    )
    assert "it is in the top level of the files now" in text_of(response)
    file.refresh_from_db()
    assert file.folder_id == library["root"].pk


def test_days_left_and_who_may_see_the_trash(client, library):
    people, file = library["people"], library["files"]["text"]
    services.trash_file(people["bram"], file)
    GroupFile.objects.filter(pk=file.pk).update(
        deleted_at=timezone.now() - datetime.timedelta(days=29, hours=1)
    )
    login(client, library, "owner")
    with translation.override("en"):
        expected = gettext("1 day left")
    english(client)
    assert expected in text_of(client.get(url("trash", library)))
    login(client, library, "bram")
    assert client.get(url("trash", library)).status_code == 403
    assert (
        client.post(url("trash_restore", library), {"kind": "file", "id": file.pk}).status_code
        == 403
    )
    file.refresh_from_db()
    assert file.deleted_at is not None


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_page_in_both_languages(client, library, language):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    login(client, library, "owner")
    files = library["files"]
    pages = [
        url("library", library),
        url("folder", library, library["folders"]["plans"].pk),
        url("new_folder", library, library["root"].pk),
        url("folder_edit", library, library["folders"]["archive"].pk),
        url("folder_move", library, library["folders"]["archive"].pk),
        url("folder_delete", library, library["folders"]["archive"].pk),
        files["pdf"].get_absolute_url(),
        url("file_edit", library, files["pdf"].pk),
        url("move", library, files["pdf"].pk),
        url("new_version", library, files["pdf"].pk),
        url("delete", library, files["pdf"].pk),
        url("trash", library),
    ]
    with translation.override(language):
        word = gettext("Files")
    for address in pages:
        response = client.get(address)
        assert response.status_code == 200, address
        assert f'lang="{language}"' in text_of(response) and word in text_of(response)
