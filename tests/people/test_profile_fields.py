"""A person fills in the community's profile fields on their profile's edit form: cleaned, limited,
saved with the profile or not at all, and shown in the reader's language."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from people.models import ProfileField, ProfileTag, ProfileValue
from tests.factories import OrganisationFactory, UserFactory
from tests.people.world import give, make_field

pytestmark = pytest.mark.django_db

EDIT = "/people/me/edit/"


@pytest.fixture
def person(client):
    person = UserFactory(first_name="Anna", last_name="Jansen", organisation=OrganisationFactory())
    client.force_login(person)
    return person


@pytest.fixture
def fields():
    return {
        "afdeling": make_field("afdeling", label_nl="Afdeling", label_en="Department"),
        "expertise": make_field(
            "expertise", kind="tags", label_nl="Expertise", label_en="Expertise", max_length=300
        ),
        "over": make_field("vraag-me-over", kind="long_text", max_length=500),
        "telefoon": make_field("telefoon", kind="phone", max_length=40),
        "website": make_field("website", kind="url", max_length=200),
        "taal": make_field("voorkeurstaal", kind="choice", choices="Nederlands\nEngels"),
    }


def form_data(**answers):
    data = {"first_name": "Anna", "last_name": "Jansen", "job_title": "", "about": ""}
    data.update({f"fields-{key}": value for key, value in answers.items()})
    return data


def values(person):
    return dict(ProfileValue.objects.filter(user=person).values_list("field__key", "value"))


def test_the_form_shows_the_communitys_fields_in_the_readers_language(client, person, fields):
    english = client.get(EDIT, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Department" in english and 'name="fields-afdeling"' in english
    assert 'type="tel"' in english and 'type="url"' in english
    client.cookies.clear()
    client.force_login(person)
    dutch = client.get(EDIT, HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert "Afdeling" in dutch and "Department" not in dutch


def test_values_are_saved_tidied_and_tags_normalised(client, person, fields):
    response = client.post(
        EDIT,
        form_data(
            afdeling="  Informatie\u202e beleid ",
            expertise="DPIA, Privacy by  design; Open source, dpia,",
            **{"vraag-me-over": "Regel één\r\nRegel twee"},
            telefoon="+31 70 123 4567",
            website="https://example.org/anna",
            voorkeurstaal="Engels",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert values(person) == {
        "afdeling": "Informatie beleid",
        "expertise": "DPIA, Privacy by design, Open source",
        "vraag-me-over": "Regel één\nRegel twee",
        "telefoon": "+31 70 123 4567",
        "website": "https://example.org/anna",
        "voorkeurstaal": "Engels",
    }
    assert set(ProfileTag.objects.filter(user=person).values_list("tag", flat=True)) == {
        "dpia",
        "privacy by design",
        "open source",
    }
    # Changing the tags replaces their rows; an empty answer removes the value.
    client.post(EDIT, form_data(expertise="Archiefwet", afdeling=""))
    assert "afdeling" not in values(person)
    assert list(ProfileTag.objects.filter(user=person).values_list("tag", flat=True)) == [
        "archiefwet"
    ]


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("afdeling", "<b>Baas</b>", "no HTML or other markup"),
        ("afdeling", "<script>alert(1)</script>", "no HTML or other markup"),
        ("expertise", "DPIA, <img src=x onerror=alert(1)>", "no HTML or other markup"),
        ("afdeling", "x" * 201, "at most 200 characters"),
        ("vraag-me-over", "y" * 501, "at most 500 characters"),
        ("expertise", ", ".join(f"onderwerp{n}" for n in range(21)), "At most 20 tags"),
        ("expertise", "z" * 61, "A tag has at most 60 characters"),
        ("website", "javascript:alert(1)", "starting with https:// or http://"),
        ("website", "ftp://example.org/", "starting with https:// or http://"),
        ("website", "https://exa mple.org/", "starting with https:// or http://"),
        ("telefoon", "bel me maar", "Enter a phone number"),
        ("telefoon", "+31 70 <b>1</b>", "no HTML or other markup"),
        ("telefoon", "+31 (70) 12--34 ab", "Enter a phone number"),
        ("voorkeurstaal", "Klingon", "Select a valid choice"),
    ],
)
def test_bad_values_are_refused_with_a_message_and_nothing_is_half_saved(
    client, person, fields, key, value, message
):
    give(person, afdeling="Oud")
    response = client.post(
        EDIT, {**form_data(**{key: value}), "first_name": "Nieuw"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert message.lower() in content.lower().replace("&lt;", "<"), content[:3000]
    person.refresh_from_db()
    assert person.first_name == "Anna"  # the profile is not saved either
    assert values(person) == {"afdeling": "Oud"}


def test_a_nul_character_is_refused(client, person, fields):
    response = client.post(EDIT, form_data(afdeling="a\x00b"), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert values(person) == {}


def test_the_profile_shows_values_escaped_with_links_for_web_addresses_and_tags(
    client, person, fields
):
    give(
        person,
        expertise="DPIA, Archiefwet",
        website="https://example.org/anna",
        telefoon="+31 70 123 4567",
        afdeling="R&D",
    )
    content = client.get(person.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="https://example.org/anna" rel="nofollow ugc noopener noreferrer"' in content
    assert 'href="tel:+31701234567"' in content
    assert 'href="/people/?tag=DPIA"' in content
    assert "R&amp;D" in content
    assert "Department" in content


def test_only_the_current_communitys_fields_are_asked_and_shown(client, person, fields):
    from wagtail.models import Page, Site

    other = Site.objects.create(
        hostname="oost.localhost", port=80, root_page=Page.get_first_root_node()
    )
    make_field("waterschap", site=other, label_en="Water board")
    give(person, waterschap="Vallei en Veluwe", afdeling="Beleid")
    main = client.get(person.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Beleid" in main and "Vallei en Veluwe" not in main
    assert 'name="fields-waterschap"' not in client.get(EDIT).content.decode()
    there = client.get(
        person.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="oost.localhost"
    ).content.decode()
    assert "Vallei en Veluwe" in there and "Beleid" not in there


def test_no_fields_no_section(client, person):
    content = client.get(EDIT).content.decode()
    assert "fields-" not in content
    assert client.post(EDIT, form_data()).status_code == 302


@pytest.mark.parametrize(
    ("changes", "error_field"),
    [
        ({"kind": "choice", "choices": "Alleen"}, "choices"),
        ({"kind": "text", "max_length": 201}, "max_length"),
        ({"kind": "phone", "max_length": 41}, "max_length"),
        ({"kind": "choice", "choices": "Kort\n" + "x" * 300, "max_length": 200}, "choices"),
    ],
)
def test_a_field_is_checked_in_the_admin(changes, error_field):
    from wagtail.models import Site

    field = ProfileField(
        site=Site.objects.get(is_default_site=True),
        key="veld",
        label_nl="Veld",
        label_en="Field",
        **changes,
    )
    with pytest.raises(ValidationError) as error:
        field.full_clean()
    assert error_field in error.value.message_dict


def test_staff_add_a_field_in_the_admin(client):
    from wagtail.models import Site

    from tests.helpers import activate_totp

    staff = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(staff)
    client.force_login(staff)
    url = reverse("wagtailsnippets_people_profilefield:add")
    data = {
        "site": Site.objects.get(is_default_site=True).pk,
        "key": "expertise",
        "label_nl": "Expertise",
        "label_en": "Expertise",
        "help_nl": "",
        "help_en": "",
        "kind": "tags",
        "choices": "",
        "max_length": "300",
        "searchable": "on",
        "visibility": "logged_in",
        "order": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    assert ProfileField.objects.get(key="expertise").kind == "tags"
    index = client.get(reverse("wagtailsnippets_people_profilefield:list"), {"kind": "tags"})
    assert index.status_code == 200
    assert "expertise" in index.content.decode()
    # Refused in the admin as in the model: nothing saved.
    response = client.post(url, {**data, "key": "telefoon", "kind": "phone", "max_length": "99"})
    assert response.status_code == 200
    assert not ProfileField.objects.filter(key="telefoon").exists()


def test_a_tag_that_grows_when_normalised_still_fits(client, person, fields):
    tag = "Straße" * 10  # 60 characters; casefolded "strasse" * 10 is 70
    response = client.post(EDIT, form_data(expertise=tag))
    assert response.status_code == 302
    assert ProfileTag.objects.get(user=person).tag == ("strasse" * 10)[:60]
    assert ProfileValue.objects.get(user=person, field=fields["expertise"]).value == tag


def test_a_field_made_a_tag_field_gets_its_tags_and_loses_them_again(person, fields):
    give(person, afdeling="Privacy, DPIA")
    field = fields["afdeling"]
    field.kind = "tags"
    field.save()
    assert set(ProfileTag.objects.filter(field=field).values_list("tag", flat=True)) == {
        "privacy",
        "dpia",
    }
    field.kind = "text"
    field.save()
    assert not ProfileTag.objects.filter(field=field).exists()
    assert ProfileValue.objects.get(field=field).value == "Privacy, DPIA"
