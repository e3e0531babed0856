import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_dutch_is_the_default(client):
    content = client.get("/accounts/login/").content.decode()
    assert '<html lang="nl">' in content
    assert "Inloggen" in content


def test_accept_language_english(client):
    content = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="en">' in content
    assert "Sign In" in content


def test_language_switcher_remembers_the_choice(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    content = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="nl").content.decode()
    assert '<html lang="en">' in content


def test_header_strings_are_translated(client):
    dutch = client.get("/").content.decode()
    english = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Naar de hoofdinhoud" in dutch and "Skip to main content" in english
    assert "Registreren" in dutch and "Sign up" in english
