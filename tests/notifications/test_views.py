import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from notifications.context_processors import unread_count
from notifications.models import DEFAULT_EMAIL, Email, Kind, Notification, NotificationPreference
from tests.factories import UserFactory

from .factories import NotificationFactory

pytestmark = pytest.mark.django_db

LIST = reverse("notifications:list")
PREFERENCES = reverse("notifications:preferences")
MARK_ALL = reverse("notifications:mark_all_read")


def open_url(notification):
    return reverse("notifications:open", args=[notification.pk])


@pytest.fixture
def person(client):
    user = UserFactory()
    client.force_login(user)
    return user


# --- the list -------------------------------------------------------------------------------


def test_pages_need_sign_in(client):
    note = NotificationFactory()
    for url in (LIST, PREFERENCES, open_url(note)):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("account_login"))
    assert client.post(MARK_ALL).status_code == 302
    note.refresh_from_db()
    assert note.read_at is None


def test_list_shows_own_notifications_newest_first_and_marks_unread_in_text(client, person):
    NotificationFactory(recipient=person, text="Oudste melding", read_at=timezone.now())
    NotificationFactory(recipient=person, text="Nieuwste <b>melding</b>")
    NotificationFactory(text="Melding van iemand anders")

    response = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()

    assert response.status_code == 200
    assert content.count("<h1>") == 1
    assert "Melding van iemand anders" not in content
    assert content.index("Nieuwste") < content.index("Oudste melding")
    assert "Nieuwste &lt;b&gt;melding&lt;/b&gt;" in content  # escaped, plain text
    assert content.count('class="notification__badge">Unread<') == 1
    assert 'class="notification notification--unread"' in content
    assert "<button" in content and "Mark all as read" in content
    assert [n.text for n in response.context["page"]] == [
        "Nieuwste <b>melding</b>",
        "Oudste melding",
    ]


def test_each_notification_links_through_open(client, person):
    note = NotificationFactory(recipient=person, url="/groups/a/")
    content = client.get(LIST).content.decode()
    assert f'href="{open_url(note)}"' in content


def test_list_is_paginated_by_25(client, person):
    NotificationFactory.create_batch(30, recipient=person, actor=None)
    first = client.get(LIST)
    assert len(first.context["page"].object_list) == 25
    assert 'rel="next"' in first.content.decode()
    second = client.get(LIST, {"page": 2})
    assert len(second.context["page"].object_list) == 5
    # Not a page number: the first page, and a 400 that says why (meent/params.py).
    nonsense = client.get(LIST, {"page": "nonsense"}, HTTP_ACCEPT_LANGUAGE="en")
    assert nonsense.status_code == 400
    assert "“nonsense” is not a page number." in nonsense.content.decode()
    assert nonsense.context["page"].number == 1


def test_empty_list_says_so(client, person):
    content = client.get(LIST, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "You have no notifications yet." in content


def test_list_query_count_does_not_grow_with_the_number_of_notifications(client, person):
    NotificationFactory.create_batch(5, recipient=person)
    client.get(LIST)  # warm caches (the header's toolbox link), as a running server has them
    with CaptureQueriesContext(connection) as few:
        assert client.get(LIST).status_code == 200

    NotificationFactory.create_batch(195, recipient=person)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200
        assert client.get(LIST, {"page": 8}).status_code == 200

    assert len(many) == 2 * len(few)


# --- marking read ---------------------------------------------------------------------------


def test_mark_all_as_read_touches_only_ones_own(client, person):
    mine = NotificationFactory.create_batch(3, recipient=person)
    theirs = NotificationFactory()

    assert client.get(MARK_ALL).status_code == 405
    response = client.post(MARK_ALL)

    assert response.status_code == 302
    assert response["Location"] == LIST
    assert not Notification.objects.filter(pk__in=[n.pk for n in mine], read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_open_marks_read_and_redirects(client, person):
    note = NotificationFactory(recipient=person, url="/groups/a/requests/")
    response = client.get(open_url(note))
    assert response.status_code == 302
    assert response["Location"] == "/groups/a/requests/"
    note.refresh_from_db()
    first_read = note.read_at
    assert first_read is not None

    response = client.post(open_url(note))  # the button form works as well
    assert response["Location"] == "/groups/a/requests/"
    note.refresh_from_db()
    assert note.read_at == first_read  # the first reading counts


@pytest.mark.parametrize(
    "url",
    ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:alert(1)", ""],
)
def test_open_refuses_to_leave_the_site(client, person, url):
    note = NotificationFactory(recipient=person, url=url)
    response = client.get(open_url(note))
    assert response.status_code == 302
    assert response["Location"] == LIST
    note.refresh_from_db()
    assert note.read_at is not None


def test_someone_elses_notification_is_not_found(client, person):
    theirs = NotificationFactory(url="/groups/geheim/")
    assert client.get(open_url(theirs)).status_code == 404
    assert client.post(open_url(theirs)).status_code == 404
    assert client.get(reverse("notifications:open", args=[999999])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


# --- preferences ----------------------------------------------------------------------------


def preference_data(**overrides):
    # Every kind at its default, so a new kind needs no change here.
    data = {kind: str(email) for kind, email in DEFAULT_EMAIL.items()}
    data.update(overrides)
    return data


def test_preferences_form_has_a_labelled_select_per_kind_with_defaults(client, person):
    response = client.get(PREFERENCES, HTTP_ACCEPT_LANGUAGE="en")
    content = response.content.decode()
    assert response.status_code == 200
    assert content.count("<h1>") == 1
    form = response.context["form"]
    assert list(form.fields) == list(Kind.values)
    with translation.override("en"):
        for kind in Kind:
            assert f'<label for="id_{kind.value}">{kind.label}' in content
            assert f'<select name="{kind.value}"' in content
    assert form["mention"].value() == "daily"
    assert form["join_request"].value() == "immediately"


def test_preferences_save(client, person):
    response = client.post(
        PREFERENCES, preference_data(mention="never", join_request="daily"), follow=True
    )
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]]  # a success message
    saved = dict(NotificationPreference.objects.filter(user=person).values_list("kind", "email"))
    assert saved["mention"] == Email.NEVER
    assert saved["join_request"] == Email.DAILY
    assert response.context["form"]["mention"].value() == "never"

    # Saving again changes the rows, it does not add more.
    client.post(PREFERENCES, preference_data(mention="immediately"))
    assert NotificationPreference.objects.filter(user=person).count() == len(Kind.values)
    assert NotificationPreference.objects.get(user=person, kind="mention").email == "immediately"


def test_a_forged_value_rerenders_with_an_error_and_saves_nothing(client, person):
    response = client.post(PREFERENCES, preference_data(mention="never", reply="hourly"))
    assert response.status_code == 200
    assert response.context["form"].errors["reply"]
    assert 'role="alert"' in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_preferences_of_one_person_do_not_touch_another(client, person):
    other = UserFactory()
    NotificationPreference.objects.create(user=other, kind="mention", email="never")
    client.post(PREFERENCES, preference_data(mention="immediately"))
    assert NotificationPreference.objects.get(user=other, kind="mention").email == "never"


# --- the unread count -----------------------------------------------------------------------


def test_unread_count_in_context(client, person):
    NotificationFactory.create_batch(3, recipient=person)
    NotificationFactory(recipient=person, read_at=timezone.now())
    NotificationFactory()  # someone else's
    response = client.get(LIST)
    assert response.context["notifications_unread"] == 3
    assert int(response.context["notifications_unread"]) == 3


def test_unread_count_is_lazy_and_zero_for_visitors(rf: RequestFactory):
    from django.contrib.auth.models import AnonymousUser

    person = UserFactory()
    NotificationFactory.create_batch(2, recipient=person)
    request = rf.get("/")
    request.user = person
    with CaptureQueriesContext(connection) as queries:
        context = unread_count(request)
    assert len(queries) == 0  # nothing is counted until a template asks
    with CaptureQueriesContext(connection) as queries:
        assert context["notifications_unread"] == 2
    assert len(queries) == 1

    request.user = AnonymousUser()
    assert unread_count(request)["notifications_unread"] == 0


def test_unread_count_renders_like_an_int(rf):
    from django.template import Context, Template

    person = UserFactory()
    NotificationFactory.create_batch(2, recipient=person)
    request = rf.get("/")
    request.user = person
    template = Template(
        "{% if notifications_unread %}{{ notifications_unread }}"
        "{% if notifications_unread > 1 %} many{% endif %} {{ notifications_unread|add:1 }}"
        "{% endif %}"
    )
    assert template.render(Context(unread_count(request))) == "2 many 3"
