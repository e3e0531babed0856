"""Profile values in "what Meent holds about you", "download my data" and account deletion."""

import pytest
from django.urls import reverse
from django.utils import translation

from people.models import ProfileTag, ProfileValue
from privacy import services
from tests.factories import UserFactory
from tests.people.world import give, make_field
from tests.privacy.test_export import read_zip, run_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def person():
    make_field("expertise", kind="tags", label_en="Expertise")
    make_field("afdeling", label_en="Department", visibility="organisation")
    person = UserFactory(email="anna@meent.nl")
    give(person, expertise="DPIA, Archiefwet", afdeling="Informatiebeheer")
    other = UserFactory(email="bram@meent.nl")
    give(other, expertise="Agile")
    return person


def test_the_export_holds_the_persons_values_and_nobody_elses(person):
    data, _files = read_zip(run_export(person))
    rows = {row["field"]: row for row in data["profile_values"]}
    assert set(rows) == {"expertise", "afdeling"}
    assert rows["expertise"]["value"] == "DPIA, Archiefwet"
    assert rows["expertise"]["tags"] == ["DPIA", "Archiefwet"]
    assert rows["afdeling"]["visible_to"] == "organisation"
    assert rows["afdeling"]["tags"] is None
    assert "Agile" not in str(data["profile_values"])


def test_the_overview_counts_them_and_the_plan_says_they_go(client, person):
    client.force_login(person)
    response = client.get(reverse("privacy:overview"), HTTP_ACCEPT_LANGUAGE="en")
    assert dict(response.context["categories"])["Profile fields"] == 2
    with translation.override("en"):
        assert "2 answers of yours in profile fields are deleted." in services.plan(person)


def test_deleting_the_account_erases_the_values_and_tags(person):
    services.delete_account(person)
    assert ProfileValue.objects.filter(value__contains="DPIA").count() == 0
    assert not ProfileTag.objects.filter(tag="dpia").exists()
    assert ProfileTag.objects.filter(tag="agile").count() == 1  # someone else's stays
