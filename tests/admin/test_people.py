"""Moderators manage people in the admin: list, search, filter, edit, suspend and lift."""

import datetime

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import ModelLogEntry

from moderation.services import FOREVER
from tests.factories import OrganisationFactory, UserFactory
from tests.helpers import activate_totp, sign_in

pytestmark = pytest.mark.django_db

INDEX = "/admin/people/"


def suspend_url(person):
    return reverse("moderation_admin:suspend", args=[person.pk])


def lift_url(person):
    return reverse("moderation_admin:lift_suspension", args=[person.pk])


def assert_refused(response):
    """Wagtail's admin answers PermissionDenied with a redirect to its dashboard and a message
    (and with 403 to requests that want JSON)."""
    assert response.status_code in (302, 403), response
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


def listed_ids(response):
    return {person.pk for person in response.context["object_list"]}


@pytest.fixture
def people():
    ministry = OrganisationFactory(name="Ministerie van BZK", slug="bzk")
    town = OrganisationFactory(name="Gemeente Meent", slug="meent")
    now = timezone.now()
    return {
        "anna": UserFactory(
            first_name="Anna", last_name="Jansen", job_title="Beleidsadviseur", organisation=town
        ),
        "bram": UserFactory(
            first_name="Bram",
            last_name="de Boer",
            organisation=ministry,
            suspended_until=now + datetime.timedelta(days=3),
        ),
        "cees": UserFactory(
            first_name="Cees", last_name="Smit", organisation=ministry, suspended_until=FOREVER
        ),
        "dirk": UserFactory(first_name="Dirk", last_name="Visser", is_active=False),
        "eva": UserFactory(first_name="Eva", last_name="Bakker", is_staff=True),
    }


def test_moderator_lists_people_with_their_status(moderator_client, people):
    response = moderator_client.get(INDEX)
    assert response.status_code == 200
    assert listed_ids(response) >= {person.pk for person in people.values()}
    html = response.content.decode()
    with translation.override("en"):
        assert "Suspended for good" in html
        assert "Deactivated" in html
        assert "Suspended until" in html
    assert "Ministerie van BZK" in html
    assert people["anna"].email in html
    # Every row offers suspending or lifting it.
    assert suspend_url(people["anna"]) in html
    assert lift_url(people["bram"]) in html


def test_search_by_name_email_and_job_title(moderator_client, people):
    assert listed_ids(moderator_client.get(INDEX, {"q": "anna jansen"})) == {people["anna"].pk}
    assert listed_ids(moderator_client.get(INDEX, {"q": "beleidsadvis"})) == {people["anna"].pk}
    email = people["bram"].email
    assert listed_ids(moderator_client.get(INDEX, {"q": email})) == {people["bram"].pk}
    results = moderator_client.get(INDEX + "results/", {"q": "Visser"})
    assert listed_ids(results) == {people["dirk"].pk}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "active"}, {"anna", "eva"}),
        ({"status": "suspended"}, {"bram"}),
        ({"status": "for_good"}, {"cees"}),
        ({"status": "deactivated"}, {"dirk"}),
        ({"organisation": "bzk"}, {"bram", "cees"}),
        ({"is_staff": "true"}, {"eva"}),
    ],
)
def test_filters(moderator_client, moderator, people, query, expected):
    if "organisation" in query:
        query = {"organisation": people["bram"].organisation_id}
    ids = listed_ids(moderator_client.get(INDEX, query)) - {moderator.pk}
    assert ids == {people[name].pk for name in expected}


def test_filter_on_joined(moderator_client, moderator, people):
    long_ago = timezone.now() - datetime.timedelta(days=400)
    type(people["anna"]).objects.filter(pk=people["anna"].pk).update(date_joined=long_ago)
    day = (timezone.now() - datetime.timedelta(days=30)).date().isoformat()
    ids = listed_ids(moderator_client.get(INDEX, {"date_joined_from": day}))
    assert people["anna"].pk not in ids and people["eva"].pk in ids
    ids = listed_ids(moderator_client.get(INDEX, {"date_joined_to": day}))
    assert ids == {people["anna"].pk}


def test_list_queries_do_not_grow_with_people(moderator_client):
    organisation = OrganisationFactory()
    UserFactory.create_batch(5, organisation=organisation)
    with CaptureQueriesContext(connection) as few:
        assert moderator_client.get(INDEX).status_code == 200
    UserFactory.create_batch(20, organisation=OrganisationFactory())
    with CaptureQueriesContext(connection) as many:
        response = moderator_client.get(INDEX)
    assert len(response.context["object_list"]) >= 26
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_moderator_edits_only_the_allowed_fields(moderator_client, people):
    anna = people["anna"]
    url = reverse("people:edit", args=[anna.pk])
    response = moderator_client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.fields) == {"first_name", "last_name", "job_title", "organisation", "is_active"}
    ministry = people["bram"].organisation
    response = moderator_client.post(
        url,
        {
            "first_name": "Anne",
            "last_name": "Jansen",
            "job_title": "Adviseur",
            "organisation": ministry.pk,
            "is_active": "on",
            # Not in the form: ignored.
            "email": "other@example.org",
            "is_superuser": "on",
            "suspended_until": "2030-01-01 00:00",
        },
    )
    assert response.status_code == 302
    anna.refresh_from_db()
    assert (anna.first_name, anna.job_title, anna.organisation) == ("Anne", "Adviseur", ministry)
    assert anna.email != "other@example.org" and not anna.is_superuser
    assert anna.suspended_until is None
    assert ModelLogEntry.objects.filter(object_id=str(anna.pk), action="wagtail.edit").exists()


def test_people_cannot_be_added_or_deleted_here(moderator_client, people):
    assert_refused(moderator_client.get(INDEX + "new/"))
    delete = reverse("people:delete", args=[people["anna"].pk])
    assert_refused(moderator_client.post(delete))
    assert type(people["anna"]).objects.filter(pk=people["anna"].pk).exists()


@pytest.fixture
def staff_member(db):
    """Staff with admin access and even the permissions on people, but not a moderator."""
    editors, _ = AuthGroup.objects.get_or_create(name="Editors")
    editors.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="accounts", codename__in=["view_user", "change_user"]
        ),
    )
    user = UserFactory(email="editor@voorbeeld.nl", is_staff=True)
    user.groups.add(editors)
    activate_totp(user)
    return user


def test_staff_who_are_not_moderators_are_refused(client, staff_member, people):
    client.force_login(staff_member)
    anna = people["anna"]
    assert client.get("/admin/").status_code == 200
    for url in (
        INDEX,
        INDEX + "results/",
        reverse("people:edit", args=[anna.pk]),
        suspend_url(anna),
        lift_url(people["bram"]),
    ):
        assert_refused(client.get(url))
    assert_refused(client.post(suspend_url(anna), {"length": "for_good", "reason": "Spam"}))
    anna.refresh_from_db()
    assert anna.suspended_until is None
    # No "People" in the menu either.
    assert reverse("people:index") not in client.get("/admin/").content.decode()


def test_moderator_sees_people_in_the_menu(moderator_client):
    assert reverse("people:index") in moderator_client.get("/admin/").content.decode()


def test_moderator_without_totp_is_sent_to_set_it_up(client, moderator, people):
    moderator.authenticator_set.all().delete()
    client.force_login(moderator)
    for url in (INDEX, suspend_url(people["anna"])):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == reverse("mfa_activate_totp")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"length": "until", "until": "2001-01-01", "reason": "Spam"}, "until"),
        ({"length": "until", "until": "", "reason": "Spam"}, "until"),
        ({"length": "until", "until": "not a date", "reason": "Spam"}, "until"),
        ({"length": "for_good", "reason": ""}, "reason"),
        ({"length": "for_good", "reason": "   "}, "reason"),
    ],
)
def test_suspend_with_bad_input_shows_errors_and_saves_nothing(
    moderator_client, people, data, field
):
    anna = people["anna"]
    if data.get("until") == "2001-01-01":
        data = {**data, "until": timezone.localdate().isoformat()}  # today is not the future
    response = moderator_client.post(suspend_url(anna), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert [m for m in response.context["messages"] if m.level_tag == "error"]
    anna.refresh_from_db()
    assert anna.suspended_until is None
    assert not ModelLogEntry.objects.filter(action="meent.person.suspend").exists()


def test_suspending_oneself_is_a_form_error(moderator_client, moderator):
    response = moderator_client.post(
        suspend_url(moderator), {"length": "for_good", "reason": "Test"}
    )
    assert response.status_code == 200
    with translation.override("en"):
        assert "You cannot suspend yourself." in response.context["form"].non_field_errors()
    moderator.refresh_from_db()
    assert moderator.suspended_until is None


def test_suspend_for_days_then_the_person_cannot_sign_in(moderator_client, people):
    anna = people["anna"]
    response = moderator_client.get(suspend_url(anna))
    assert response.status_code == 200
    assert 'type="date"' in response.content.decode()
    until = timezone.localdate() + datetime.timedelta(days=7)
    response = moderator_client.post(
        suspend_url(anna), {"length": "until", "until": until.isoformat(), "reason": "Spam"}
    )
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.is_suspended
    assert timezone.localtime(anna.suspended_until).date() == until
    entry = ModelLogEntry.objects.get(action="meent.person.suspend", object_id=str(anna.pk))
    assert entry.data["reason"] == "Spam"

    # Signing in gets them nowhere: every request is anonymous (accounts/backends.py).
    browser = Client()
    sign_in(browser, anna.email)
    response = browser.get("/people/me/edit/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    # Someone not suspended gets in with the same steps.
    other = Client()
    sign_in(other, people["eva"].email)
    assert other.get("/people/me/edit/").status_code == 200


def test_suspend_for_good_and_lift(moderator_client, people):
    anna = people["anna"]
    response = moderator_client.post(suspend_url(anna), {"length": "for_good", "reason": "Fraude"})
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.suspended_until == FOREVER

    # The list row and the edit page now offer lifting it.
    edit = moderator_client.get(reverse("people:edit", args=[anna.pk])).content.decode()
    assert lift_url(anna) in edit
    assert moderator_client.get(lift_url(anna)).status_code == 200
    response = moderator_client.post(lift_url(anna), {"reason": "Bezwaar toegekend"})
    assert response.status_code == 302
    anna.refresh_from_db()
    assert anna.suspended_until is None
    entry = ModelLogEntry.objects.get(action="meent.person.unsuspend", object_id=str(anna.pk))
    assert entry.data["reason"] == "Bezwaar toegekend"


def test_lifting_a_suspension_that_is_not_there_is_a_form_error(moderator_client, people):
    response = moderator_client.post(lift_url(people["anna"]), {"reason": ""})
    assert response.status_code == 200
    with translation.override("en"):
        assert "This person is not suspended." in response.context["form"].non_field_errors()


def test_a_missing_person_is_404(moderator_client):
    assert (
        moderator_client.get(reverse("moderation_admin:suspend", args=[999999])).status_code == 404
    )


def test_only_an_administrator_changes_an_administrator(moderator_client, people):
    admin = UserFactory(first_name="Ada", last_name="Admin", is_staff=True, is_superuser=True)
    url = reverse("people:edit", args=[admin.pk])
    assert_refused(moderator_client.get(url))
    assert_refused(moderator_client.post(url, {"first_name": "X", "last_name": "Y"}))
    admin.refresh_from_db()
    assert (admin.first_name, admin.is_active) == ("Ada", True)
    assert suspend_url(admin) not in moderator_client.get(INDEX).content.decode()
    response = moderator_client.post(suspend_url(admin), {"length": "for_good", "reason": "X"})
    assert response.status_code == 200 and response.context["form"].non_field_errors()
    admin.refresh_from_db()
    assert admin.suspended_until is None
