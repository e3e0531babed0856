"""Group files in the activity stream: a file added is a line (announced to who follows the
group at "every new item"), one person's new versions of a file fold into one line, a reader
sees a line only while they may see the file, and deleting a file deletes its lines."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from activity import services as stream
from activity.models import Entry, Follow
from files import services
from files.models import GroupFile
from notifications.models import Notification
from tests.files.library import pdf, put, small_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return small_world()


def file_lines(user, group):
    return [
        line
        for line in stream.lines(stream.group_entries(user, group))
        if line.kind.key.startswith("files.")
    ]


def test_adding_a_file_is_a_line_of_the_groups_stream(world):
    owner, member = world["people"]["owner"], world["people"]["member"]
    file = put(owner, world["public"], "Verslag.pdf", pdf("Tekst."))
    [line] = file_lines(member, world["group"])
    assert line.kind.key == "files.uploaded"
    assert line.target == file and line.url == file.get_absolute_url()
    assert line.title == "Verslag.pdf"
    with translation.override("en"):
        assert str(line.kind.message) == "{actor} added {target}"


def test_one_persons_new_versions_fold_into_one_line(world):
    owner, member = world["people"]["owner"], world["people"]["member"]
    file = put(owner, world["public"], "Plan.pdf", pdf("Een."))
    for text in ("Twee.", "Drie."):
        services.add_version(member, file, SimpleUploadedFile("Plan.pdf", pdf(text)))
    versions = Entry.objects.filter(kind="files.version", target_id=file.pk)
    assert versions.count() == 1 and versions.get().count == 2
    assert versions.get().actor == member
    services.add_version(owner, file, SimpleUploadedFile("Plan.pdf", pdf("Vier.")))
    assert Entry.objects.filter(kind="files.version", target_id=file.pk).count() == 2


def test_a_line_is_read_only_while_the_file_may_be_seen(world):
    owner, member = world["people"]["owner"], world["people"]["member"]
    file = put(owner, world["public"], "Verslag.pdf", pdf("Tekst."))
    assert len(file_lines(member, world["group"])) == 1
    services.hide_file(file)
    assert file_lines(member, world["group"]) == []
    services.unhide_file(file)
    services.trash_file(owner, GroupFile.objects.get(pk=file.pk))
    assert file_lines(owner, world["group"]) == []
    services.restore_file(owner, GroupFile.objects.get(pk=file.pk))
    group = world["group"]
    group.files_enabled = False
    group.save()
    assert file_lines(owner, group) == []


def test_deleting_a_file_deletes_its_lines_follows_and_bookmarks(world):
    owner, member = world["people"]["owner"], world["people"]["member"]
    file = put(owner, world["public"], "Verslag.pdf", pdf("Tekst."))
    stream.follow(member, file)
    stream.save_for_later(member, file)
    assert Entry.objects.filter(target_id=file.pk, kind__startswith="files.").exists()
    services.delete_file(None, file)
    assert not Entry.objects.filter(target_id=file.pk, kind__startswith="files.").exists()
    assert not Follow.objects.filter(user=member, target_id=file.pk).exists()
    assert not stream.is_saved(member, file)


def test_followers_of_the_group_hear_of_a_new_file_they_may_see(
    world, django_capture_on_commit_callbacks
):
    owner, member, outsider = (world["people"][r] for r in ("owner", "member", "outsider"))
    stream.follow(member, world["group"], Follow.Level.ALL)
    stream.follow(outsider, world["group"], Follow.Level.ALL)
    members_only = services.create_folder(owner, world["root"], "Intern", "members")
    open_file = put(owner, world["public"], "Openbaar.pdf", pdf("Tekst."))
    closed_file = put(owner, members_only, "Intern.pdf", pdf("Tekst."))
    for file in (open_file, closed_file):
        assert stream.announce("files.uploaded", file) >= 1
    told = set(
        Notification.objects.filter(message="activity.new_in_group").values_list(
            "recipient_id", "url"
        )
    )
    assert (member.pk, open_file.get_absolute_url()) in told
    assert (member.pk, closed_file.get_absolute_url()) in told
    assert (outsider.pk, open_file.get_absolute_url()) in told
    assert (outsider.pk, closed_file.get_absolute_url()) not in told
    assert not Notification.objects.filter(recipient=owner, message="activity.new_in_group")


def test_who_follows_a_file_hears_of_its_new_version(world, django_capture_on_commit_callbacks):
    owner, member = world["people"]["owner"], world["people"]["member"]
    file = put(owner, world["public"], "Plan.pdf", pdf("Een."))
    stream.follow(owner, file)
    stream.follow(member, file)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_version(member, file, SimpleUploadedFile("Plan.pdf", pdf("Twee.")))
    [told] = Notification.objects.filter(message="activity.new_version")
    assert told.recipient == owner and told.url == file.get_absolute_url()
    with translation.override("en"):
        assert "uploaded a new version of “Plan.pdf”" in told.display_text
