"""Staff reach the admin only with two-factor sign-in, and every admin login goes through allauth."""

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import SECRET_SESSION_KEY
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.models import Organisation
from tests.factories import UserFactory
from tests.helpers import activate_totp, current_code, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderator():
    group, _ = AuthGroup.objects.get_or_create(name="Moderators")
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__contains="organisation"
        ),
    )
    user = UserFactory(email="moderator@voorbeeld.nl", is_staff=True)
    user.groups.add(group)
    return user


@pytest.mark.parametrize("path", ["/admin/", "/admin/snippets/", "/django-admin/"])
def test_staff_without_totp_is_sent_to_set_it_up(client, moderator, path):
    client.force_login(moderator)
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_staff_sets_up_totp_then_reaches_admin_and_later_signs_in_with_code(client, moderator):
    assert sign_in(client, moderator.email).status_code == 302
    response = client.get("/admin/")
    assert response["Location"] == reverse("mfa_activate_totp")
    # Signed in with the password seconds ago: not asked for it again before the set-up.
    response = client.get(reverse("mfa_activate_totp"))
    assert response.status_code == 200
    secret = client.session[SECRET_SESSION_KEY]
    response = client.post(reverse("mfa_activate_totp"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=moderator, type=Authenticator.Type.TOTP).exists()
    # The recovery codes page has a way onward, to the admin.
    codes = client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert 'href="/admin/"' in codes and "go on to the admin" in codes
    assert client.get("/admin/").status_code == 200

    client.post(reverse("account_logout"))
    response = sign_in(client, moderator.email)
    # The password alone is not enough any more: allauth asks for the code.
    assert response["Location"] == reverse("mfa_authenticate")
    assert "_auth_user_id" not in client.session
    response = client.post(
        reverse("mfa_authenticate"), {"code": "000000"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert "_auth_user_id" not in client.session
    response = client.post(reverse("mfa_authenticate"), {"code": current_code(secret)})
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == moderator.pk


def test_members_are_not_asked_for_two_factor_and_get_no_admin(client):
    member = UserFactory()
    client.force_login(member)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"] != reverse("mfa_activate_totp")
    assert client.get("/people/me/edit/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/login/", "/django-admin/login/"])
def test_admin_logins_send_people_to_allauth(client, path):
    response = client.get(path + "?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_login") + "?next=/admin/"


def test_wagtail_admin_sends_anonymous_people_to_allauth(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_moderator_manages_organisations_and_domains_in_admin(client, moderator):
    activate_totp(moderator)
    client.force_login(moderator)
    url = "/admin/snippets/accounts/organisation/"
    assert client.get(url).status_code == 200
    response = client.post(
        url + "add/",
        {
            "name": "Gemeente Zwolle",
            "slug": "gemeente-zwolle",
            "website": "https://www.zwolle.nl",
            "domains-TOTAL_FORMS": "1",
            "domains-INITIAL_FORMS": "0",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
            "domains-0-domain": "zwolle.nl",
            "domains-0-id": "",
            "domains-0-ORDER": "1",
            "domains-0-DELETE": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(slug="gemeente-zwolle")
    assert list(organisation.domains.values_list("domain", flat=True)) == ["zwolle.nl"]
    assert Organisation.for_email("a@zwolle.nl") == organisation


def test_admin_refuses_malformed_domain_and_saves_nothing(client, moderator):
    activate_totp(moderator)
    client.force_login(moderator)
    response = client.post(
        "/admin/snippets/accounts/organisation/add/",
        {
            "name": "Gemeente Zwolle",
            "slug": "gemeente-zwolle",
            "website": "",
            "domains-TOTAL_FORMS": "1",
            "domains-INITIAL_FORMS": "0",
            "domains-MIN_NUM_FORMS": "0",
            "domains-MAX_NUM_FORMS": "1000",
            "domains-0-domain": "https://zwolle.nl",
            "domains-0-id": "",
            "domains-0-ORDER": "1",
            "domains-0-DELETE": "",
        },
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 200
    assert "Enter a domain name such as minbzk.nl" in response.content.decode()
    assert not Organisation.objects.filter(slug="gemeente-zwolle").exists()


def test_a_sign_in_long_ago_still_asks_for_the_password_before_totp(client, moderator, settings):
    settings.ACCOUNT_REAUTHENTICATION_TIMEOUT = 0
    sign_in(client, moderator.email)
    assert client.get("/admin/")["Location"] == reverse("mfa_activate_totp")
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))


def test_staff_see_an_admin_link_in_the_header_and_members_do_not(client, moderator):
    client.force_login(moderator)
    header = client.get("/people/me/edit/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    header = header.split('class="site-header"', 1)[1].split("</header>", 1)[0]
    assert 'href="/admin/">Admin</a>' in header
    client.force_login(UserFactory())
    header = client.get("/people/me/edit/").content.decode()
    assert 'href="/admin/"' not in header.split("</header>", 1)[0]


def test_the_admin_shows_no_gravatar_that_the_csp_would_block(client, moderator):
    activate_totp(moderator)
    client.force_login(moderator)
    page = client.get("/admin/").content.decode()
    assert "gravatar" not in page.lower()
    assert "default-user-avatar" in page  # Wagtail's own picture instead, from this site


def test_the_admins_page_search_names_what_it_counts(client):
    from wagtail.models import Page

    from toolbox.models import ToolboxIndexPage

    admin = UserFactory(is_staff=True, is_superuser=True)
    activate_totp(admin)
    client.force_login(admin)
    home = Page.objects.get(depth=2)
    home.add_child(instance=ToolboxIndexPage(title="Gereedschapskist", slug="kist"))
    page = client.get("/admin/pages/search/", {"q": "Gereedschapskist"}, HTTP_ACCEPT_LANGUAGE="en")
    html = " ".join(page.content.decode().split())
    assert page.status_code == 200
    assert "1-1 of 1 page" in html and "1 None" not in html
