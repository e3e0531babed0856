"""The moderators' queue in the Wagtail admin, and hiding chat messages and wiki pages."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import ModelLogEntry

from blog.models import Comment
from chat import services as chat_services
from moderation import services
from moderation.models import Report
from moderation.roles import ensure_moderator_role
from search.backends import SearchQuery, get_search_backend
from tests.factories import UserFactory
from tests.helpers import activate_totp
from wiki import services as wiki_services

pytestmark = pytest.mark.django_db


def find(text, user):
    results = get_search_backend().search(SearchQuery(text=text, user=user or AnonymousUser()))
    return [(hit.type, hit.object_id) for hit in results.hits]


@pytest.fixture
def moderator_client(client, world):
    moderator = world["people"]["moderator"]
    moderator.groups.add(ensure_moderator_role())  # the admin rights (make_moderator: the rest)
    client.force_login(moderator)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def many_reports(world, count):
    reporter = world["people"]["reader"]
    for number in range(count):
        comment = Comment.objects.create(
            post=world["post"], author=UserFactory(), body=f"Reclame {number}"
        )
        services.report_item(reporter, "comment", comment.pk, "spam")


def test_only_moderators_reach_the_queue(client, world):
    url = reverse("moderation_admin:queue")
    # A community manager: in the admin, but no moderator.
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    activate_totp(staff)
    client.force_login(staff)
    # Wagtail's admin answers a PermissionDenied with a message and its dashboard.
    refused = client.get(url)
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    opened, _ = services.report_item(
        world["people"]["reader"], "comment", world["comment"].pk, "spam"
    )
    refused = client.get(reverse("moderation_admin:report", args=[opened.pk]))
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    client.force_login(world["people"]["owner"])
    assert client.get(url).status_code == 302  # not in the admin at all: to the sign-in page


def test_the_queue_lists_open_reports_with_few_queries(moderator_client, world):
    many_reports(world, 3)
    url = reverse("moderation_admin:queue")
    with CaptureQueriesContext(connection) as few:
        response = moderator_client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count("Reclame") == 0  # titles, not excerpts, are listed
    # Each report is described in the moderator's language (this admin reads English).
    assert response.content.decode().count("Comment on “") == 3
    assert "Reactie op" not in response.content.decode()
    many_reports(world, 12)
    with CaptureQueriesContext(connection) as many:
        response = moderator_client.get(url)
    assert response.content.decode().count("Comment on “") == 15
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_queue_filters_by_status_and_kind(moderator_client, world):
    opened, _ = services.report_item(world["people"]["reader"], "post", world["post"].pk, "abuse")
    services.report_item(world["people"]["reader"], "comment", world["comment"].pk, "spam")
    services.decide(world["people"]["moderator"], opened, "dismiss")
    url = reverse("moderation_admin:queue")
    open_page = moderator_client.get(url).content.decode()
    post_title, comment_title = "Blog post “Parkeerbeleid”", "Comment on “Parkeerbeleid”"
    assert comment_title in open_page and post_title not in open_page
    handled = moderator_client.get(url, {"status": "handled"}).content.decode()
    assert post_title in handled and comment_title not in handled
    posts = moderator_client.get(url, {"status": "all", "kind": "post"}).content.decode()
    assert post_title in posts and comment_title not in posts


def test_a_report_page_shows_context_and_decides(moderator_client, world):
    people = world["people"]
    earlier, _ = services.report_item(people["reader"], "post", world["post"].pk, "spam")
    services.decide(people["moderator"], earlier, "warn", "Eerste waarschuwing")
    opened, _ = services.report_item(people["reader"], "comment", world["comment"].pk, "spam")
    services.report_item(people["second"], "comment", world["comment"].pk, "other", "Oplichting")
    url = reverse("moderation_admin:report", args=[opened.pk])
    html = moderator_client.get(url).content.decode()
    assert "Koop nu goedkope horloges" in html  # the item
    assert "Rik Lezer" in html and "Oplichting" in html  # who and why
    assert "Eerste waarschuwing" in html  # the earlier report on the same author

    refused = moderator_client.post(url, {"decision": "hide", "reason": ""})
    assert refused.status_code == 400 and "Give a reason" in refused.content.decode()
    assert Report.objects.get(pk=opened.pk).is_open

    done = moderator_client.post(url, {"decision": "hide", "reason": "Reclame"})
    assert done.status_code == 302
    assert Comment.objects.get(pk=world["comment"].pk).is_removed
    again = moderator_client.post(url, {"decision": "dismiss", "reason": ""})
    assert again.status_code == 409  # handled already: the decision stands
    assert "already handled" in again.content.decode()
    assert Report.objects.get(pk=opened.pk).decision == "hide"


def test_the_moderators_see_their_actions_in_site_history(moderator_client, world):
    opened, _ = services.report_item(
        world["people"]["reader"], "comment", world["comment"].pk, "spam"
    )
    services.decide(world["people"]["moderator"], opened, "hide", "Reclame voor horloges")
    assert ModelLogEntry.objects.filter(action="meent.report.hide").exists()
    history = moderator_client.get(reverse("wagtailadmin_reports:site_history"))
    assert history.status_code == 200
    assert "Reclame voor horloges" in history.content.decode()


def test_a_hidden_chat_message_keeps_its_place(client, world, django_capture_on_commit_callbacks):
    people = world["people"]
    room = chat_services.room_for_group(world["group"])
    with django_capture_on_commit_callbacks(execute=True):
        message = chat_services.post_message(
            room, people["author"], "c1", "Koop zonnebrillen hier"
        ).message
    assert find("zonnebrillen", people["reader"])
    opened, _ = services.report_item(people["reader"], "chat_message", message.pk, "spam")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(people["moderator"], opened, "hide", "Reclame")
    message.refresh_from_db()
    payload = chat_services.serialize(message)
    assert payload["hidden"] and payload["deleted"] and payload["body"] == ""
    assert find("zonnebrillen", people["reader"]) == []
    client.force_login(people["reader"])
    html = client.get(room.get_absolute_url()).content.decode()
    assert (
        "zonnebrillen" not in html
        and "hidden by a moderator"
        in client.get(room.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    )
    assert chat_services.messages_after(room, 0)[0].seq == message.seq


def test_a_hidden_wiki_page_is_read_by_nobody(client, world, django_capture_on_commit_callbacks):
    people = world["people"]
    with django_capture_on_commit_callbacks(execute=True):
        page = wiki_services.create_page(
            people["author"], world["group"], title="Telefoonlijst", body="<p>06-99999999</p>"
        )
    assert find("telefoonlijst", people["reader"])
    opened, _ = services.report_item(people["reader"], "wiki_page", page.pk, "personal_data")
    with django_capture_on_commit_callbacks(execute=True):
        services.decide(people["owner"], opened, "hide", "Telefoonnummers")
    assert find("telefoonlijst", people["reader"]) == []
    for who in ("reader", "author", "owner"):
        client.force_login(people[who])
        url = reverse("wiki:page", args=[world["group"].slug, page.pk])
        assert client.get(url).status_code == 404


def test_moderation_outside_the_queue_is_in_the_audit_log(moderator_client, world):
    from blog import services as blog_services

    people = world["people"]
    blog_services.remove_comment(people["moderator"], world["comment"], "Reclame op de site")
    room = chat_services.room_for_group(world["group"])
    message = chat_services.post_message(room, people["author"], "c9", "Weg ermee").message
    chat_services.delete_message(message, people["moderator"])
    own = chat_services.post_message(room, people["author"], "c10", "Eigen bericht").message
    chat_services.delete_message(own, people["author"])  # one's own: not moderation
    actions = list(ModelLogEntry.objects.values_list("action", flat=True))
    assert actions.count("meent.comment.remove") == 1
    assert actions.count("meent.chat_message.delete") == 1
    history = moderator_client.get(reverse("wagtailadmin_reports:site_history"))
    html = history.content.decode()
    assert "Reclame op de site" in html and "Chat message deleted" in html
