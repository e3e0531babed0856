"""Reporting a group file: the report names the file and its group in the reader's language,
goes to the group's owners first; hiding makes it unseen everywhere (and out of search),
deleting removes it with its versions."""

import pytest
from django.urls import reverse
from django.utils import translation

from files.models import FileVersion, GroupFile
from moderation import services as moderation
from moderation.models import Kind, Report
from moderation.targets import may_report, target_for
from search.backends import SearchQuery, get_search_backend
from search.indexing import drain_outbox
from tests.factories import UserFactory, make_moderator
from tests.files.library import pdf, put, small_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db):
    return small_world()


def test_the_target_describes_the_file_its_author_and_group(world):
    owner = world["people"]["owner"]
    file = put(owner, world["public"], "Begroting.pdf", pdf("Tekst."), description="Cijfers")
    target = target_for(Kind.FILE)
    assert target is not None and target.get(file.pk) == file
    assert target.subject(file) == {"key": "file", "name": "Begroting.pdf", "group": "Dijken"}
    with translation.override("en"):
        assert target.title(file) == "File “Begroting.pdf” in Dijken"
    assert target.author(file) == owner and target.group(file) == world["group"]
    assert target.url(file) == file.get_absolute_url()
    assert target.excerpt(file) == "Cijfers"


def test_a_file_is_reported_and_hidden_by_the_groups_owner(
    world, django_capture_on_commit_callbacks
):
    owner, member, outsider = (world["people"][r] for r in ("owner", "member", "outsider"))
    file = put(member, world["public"], "Reclame.pdf", pdf("Koop nu zoekwoordje."))
    assert may_report(outsider, file)
    with django_capture_on_commit_callbacks(execute=True):
        report, _new = moderation.report_item(outsider, Kind.FILE, file.pk, "spam")
    assert report.author == member and report.group == world["group"]
    with django_capture_on_commit_callbacks(execute=True):
        moderation.decide(owner, report, Report.Decision.HIDE, "Reclame")
    file.refresh_from_db()
    assert file.hidden_at is not None
    assert not GroupFile.objects.visible_to(owner).filter(pk=file.pk).exists()
    drain_outbox()
    results = get_search_backend().search(SearchQuery(text="zoekwoordje", user=owner))
    assert results.total == 0
    assert not may_report(outsider, file)


def test_a_moderator_deletes_a_reported_file_with_its_versions(
    world, django_capture_on_commit_callbacks
):
    member, outsider = world["people"]["member"], world["people"]["outsider"]
    moderator = UserFactory(is_staff=True)
    make_moderator(moderator)
    file = put(member, world["public"], "Fout.pdf", pdf("Tekst."))
    with django_capture_on_commit_callbacks(execute=True):
        report, _new = moderation.report_item(outsider, Kind.FILE, file.pk, "abuse")
        moderation.decide(moderator, report, Report.Decision.DELETE, "Ongepast")
    assert not GroupFile.objects.filter(pk=file.pk).exists()
    assert not FileVersion.objects.filter(file_id=file.pk).exists()


def test_the_report_page_takes_a_file(world, client):
    file = put(world["people"]["member"], world["public"], "Verslag.pdf", pdf("Tekst."))
    client.force_login(world["people"]["outsider"])
    assert client.get(f"/report/file/{file.pk}/").status_code == 200


def test_the_file_page_offers_a_report_link_to_others_than_its_uploader(world, client):
    member = world["people"]["member"]
    file = put(member, world["public"], "Verslag.pdf", pdf("Tekst."))
    link = 'href="{}"'.format(reverse("moderation:report", args=["file", file.pk]))
    client.force_login(world["people"]["outsider"])
    assert link in client.get(file.get_absolute_url()).content.decode()
    client.force_login(member)
    assert link not in client.get(file.get_absolute_url()).content.decode()
