import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def png_bytes(size=(64, 64)):
    buffer = io.BytesIO()
    Image.new("RGB", size, (21, 66, 115)).save(buffer, "PNG")
    return buffer.getvalue()


def profile_data(**overrides):
    return {
        "first_name": "Anna",
        "last_name": "Jansen",
        "job_title": "Beleidsmedewerker",
        "about": "Ik werk aan open source. Zie https://example.org",
        "avatar_alt": "",
        **overrides,
    }


def test_profile_shows_name_organisation_job_and_about(client):
    organisation = OrganisationFactory(name="Gemeente Utrecht")
    person = UserFactory(
        first_name="Fatima",
        last_name="El Amrani",
        organisation=organisation,
        job_title="Informatieadviseur",
        about="Over mij: https://example.org",
    )
    response = client.get(person.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Fatima El Amrani</h1>" in content
    assert "Gemeente Utrecht" in content
    assert "Informatieadviseur" in content
    assert 'href="https://example.org"' in content
    assert "Edit your profile" not in content  # not one's own


def test_profile_of_unknown_or_inactive_person_is_404(client):
    inactive = UserFactory(is_active=False)
    assert client.get(inactive.get_absolute_url()).status_code == 404
    assert client.get(reverse("accounts:profile", args=[999999])).status_code == 404


def test_profile_page_query_count_is_constant(client, django_assert_max_num_queries):
    person = UserFactory(organisation=OrganisationFactory())
    client.force_login(UserFactory())
    with CaptureQueriesContext(connection) as first:
        client.get(person.get_absolute_url())
    other = UserFactory(organisation=OrganisationFactory(), about="x" * 4000)
    with django_assert_max_num_queries(len(first)):
        client.get(other.get_absolute_url())


def test_edit_requires_sign_in(client):
    response = client.get(reverse("accounts:edit_profile"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_owner_edits_profile(client):
    person = UserFactory()
    client.force_login(person)
    response = client.post(
        reverse("accounts:edit_profile"), profile_data(about="<b>Hallo</b> wereld")
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.job_title == "Beleidsmedewerker"
    assert person.about == "Hallo wereld"  # tags are stripped on save, not only on display
    response = client.get(person.get_absolute_url())
    assert "Beleidsmedewerker" in response.content.decode()


def test_avatar_upload_needs_description_and_real_image(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    person = UserFactory(job_title="Oud")
    client.force_login(person)
    url = reverse("accounts:edit_profile")

    avatar = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    response = client.post(url, {**profile_data(), "avatar": avatar}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Describe your picture" in response.content.decode()
    person.refresh_from_db()
    assert person.job_title == "Oud" and not person.avatar  # nothing half-saved

    fake = SimpleUploadedFile("me.png", b"<script>alert(1)</script>", content_type="image/png")
    response = client.post(
        url, {**profile_data(avatar_alt="Ik"), "avatar": fake}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert response.context["form"].errors["avatar"]
    person.refresh_from_db()
    assert not person.avatar

    avatar = SimpleUploadedFile("me.png", png_bytes(), content_type="image/png")
    response = client.post(url, {**profile_data(avatar_alt="Foto van Anna"), "avatar": avatar})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.avatar and person.avatar_alt == "Foto van Anna"
    content = client.get(person.get_absolute_url()).content.decode()
    assert 'alt="Foto van Anna"' in content


def test_oversized_avatar_is_refused_with_limit(client, settings):
    settings.AVATAR_MAX_BYTES = 1000
    client.force_login(UserFactory())
    avatar = SimpleUploadedFile(
        "big.png", png_bytes((400, 400)) + b"\0" * 2000, content_type="image/png"
    )
    response = client.post(
        reverse("accounts:edit_profile"),
        {**profile_data(avatar_alt="x"), "avatar": avatar},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "the limit is" in " ".join(response.context["form"].errors["avatar"])


def test_missing_first_name_rerenders_with_input_kept(client):
    person = UserFactory(first_name="Anna")
    client.force_login(person)
    response = client.post(
        reverse("accounts:edit_profile"), profile_data(first_name="", job_title="Nieuwe titel")
    )
    assert response.status_code == 200
    assert "first_name" in response.context["form"].errors
    assert 'value="Nieuwe titel"' in response.content.decode()
    person.refresh_from_db()
    assert person.first_name == "Anna"
