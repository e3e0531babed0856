"""The demo's profile fields: on both communities, answered by the demo people, so that "who
knows about DPIA?" finds someone; loading the demo again changes nothing; a mistake in the data
file is named."""

import copy
import io

import pytest
from django.core.management import call_command
from wagtail.models import Site

from accounts.models import User
from demo.loader import DemoDataError, check_profile_fields, read_all
from people.models import ProfileField, ProfileTag, ProfileValue

pytestmark = pytest.mark.django_db


def test_the_demo_has_fields_on_both_communities_and_someone_knows_about_dpia(client, settings):
    settings.ALLOWED_HOSTS = [".localhost", "testserver", "127.0.0.1"]
    call_command("load_demo", "--quiet-accounts", stdout=io.StringIO(), port=8000)
    main = Site.objects.get(is_default_site=True)
    oost = Site.objects.get(hostname="oost.localhost")
    assert list(ProfileField.objects.filter(site=main).values_list("key", flat=True)) == [
        "afdeling",
        "expertise",
        "talen",
        "vraag-me-over",
        "telefoon",
    ]
    assert "werkgebied" in set(ProfileField.objects.filter(site=oost).values_list("key", flat=True))
    values = set(ProfileValue.objects.values_list("pk", "value", "updated_at"))
    tags = set(ProfileTag.objects.values_list("pk", flat=True))
    assert len(values) > 30

    call_command("load_demo", "--quiet-accounts", stdout=io.StringIO(), port=8000)
    assert set(ProfileValue.objects.values_list("pk", "value", "updated_at")) == values
    assert set(ProfileTag.objects.values_list("pk", flat=True)) == tags

    anna = User.objects.get(email="anna.jansen@minbzk.nl")
    client.force_login(anna)
    for query in ("?tag=dpia", "?q=DPIA"):
        content = client.get(f"/people/{query}", HTTP_HOST="127.0.0.1:8000").content.decode()
        assert "Lotte Visser" in content and "Fatima El Amrani" in content, query
        assert f'card__title"><a href="{anna.get_absolute_url()}"' not in content
    there = client.get("/people/?q=overijssel", HTTP_HOST="oost.localhost:8000").content.decode()
    assert "Pieter Smit" in there


def test_a_mistake_in_the_profile_fields_file_is_named():
    data = copy.deepcopy(read_all())
    data["profile_fields.yaml"]["people"][0]["answers"][0]["field"] = "schoenmaat"
    with pytest.raises(DemoDataError, match=r"people\[0\]\.answers\[0\]\.field: no field"):
        check_profile_fields(data, "profile_fields.yaml")
    data = copy.deepcopy(read_all())
    data["profile_fields.yaml"]["communities"][1]["community"] = "west.localhost"
    with pytest.raises(DemoDataError, match="no community 'west.localhost'"):
        check_profile_fields(data, "profile_fields.yaml")
