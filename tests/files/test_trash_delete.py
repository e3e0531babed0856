"""Deleting for good from the trash: the group's owners and admins free a group's space at once
(the quota's message sends people there), a folder with everything in it; members may not, and
what is no longer in the trash is a 404 with a message."""

from django.urls import reverse

from files import services
from files.models import FileVersion, Folder, GroupFile


def delete_url(library):
    return reverse("files:trash_delete", args=[library["group"].slug])


def test_owners_delete_a_file_and_a_folder_for_good_and_the_space_is_free(
    client, library, settings, tmp_path, django_capture_on_commit_callbacks
):
    people, files = library["people"], library["files"]
    plans = library["folders"]["plans"]
    used = services.usage(library["group"])
    services.trash_file(people["anna"], files["pdf"])
    services.trash_folder(people["anna"], plans)
    client.force_login(people["owner"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(delete_url(library), {"kind": "file", "id": files["pdf"].pk})
    assert response.status_code == 302
    assert not GroupFile.objects.filter(pk=files["pdf"].pk).exists()
    assert services.usage(library["group"]) == used - files["pdf"].size
    with django_capture_on_commit_callbacks(execute=True):
        client.post(delete_url(library), {"kind": "folder", "id": plans.pk})
    assert not Folder.objects.filter(path__startswith=plans.path).exists()
    assert not GroupFile.objects.filter(pk=files["docx"].pk).exists()
    assert not FileVersion.objects.filter(file_id=files["docx"].pk).exists()
    again = client.post(delete_url(library), {"kind": "file", "id": files["pdf"].pk})
    assert again.status_code == 404


def test_members_do_not_delete_for_good_and_alive_files_are_not_in_the_trash(client, library):
    people, files = library["people"], library["files"]
    services.trash_file(people["anna"], files["pdf"])
    client.force_login(people["anna"])
    refused = client.post(delete_url(library), {"kind": "file", "id": files["pdf"].pk})
    assert refused.status_code == 403
    assert GroupFile.objects.filter(pk=files["pdf"].pk).exists()
    client.force_login(people["owner"])
    alive = client.post(delete_url(library), {"kind": "file", "id": files["text"].pk})
    assert alive.status_code == 404
    assert GroupFile.objects.filter(pk=files["text"].pk, deleted_at__isnull=True).exists()
    bad = client.post(delete_url(library), {"kind": "page", "id": "x"})
    assert bad.status_code == 400
