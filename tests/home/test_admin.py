"""Community managers build the front page in the Wagtail admin: the editor form, the preview
(rendered by the page's own template), publishing, and the refusals with their messages."""

import pytest
from django.conf import settings
from django.urls import reverse
from wagtail.models import Page
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from home.models import HomePage
from home.roles import ensure_front_page_role
from tests.factories import UserFactory
from tests.helpers import activate_totp
from tests.toolbox.factories import ToolboxIndexPageFactory, ToolboxSectionPageFactory
from toolbox.roles import ensure_toolbox_roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(front):
    user = UserFactory(email="cm@voorbeeld.nl", is_staff=True)
    user.groups.add(ensure_front_page_role())
    activate_totp(user)
    return user


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def form(home, blocks):
    return nested_form_data(
        {
            "title": home.title,
            "slug": home.slug,
            "introduction": "Samen werken.",
            "content": streamfield(blocks),
        }
    )


def intro(heading="Welkom bij de community"):
    return (
        "introduction",
        {
            "heading": heading,
            "text": "Ambtenaren werken hier samen.",
            "button_label": "Meld je aan",
            "button_target": "sign_up",
            "button_page": "",
            "button_url": "",
        },
    )


def news():
    return ("latest_posts", {"heading": "Nieuws", "count": "3"})


def video(transcript):
    return (
        "video",
        {
            "title": "Zo werkt het",
            "document": "",
            "url": "https://video.example.org/intro.mp4",
            "captions": "",
            "captions_language": "nl",
            "transcript": rich_text(transcript, features=["bold", "italic", "link", "ol", "ul"]),
        },
    )


def test_a_community_manager_publishes_a_front_page_with_two_blocks(manager_client, front, client):
    home = front["home"]
    url = reverse("wagtailadmin_pages:edit", args=[home.pk])
    assert manager_client.get(url).status_code == 200
    data = {**form(home, [intro(), news()]), "action-publish": "action-publish"}
    response = manager_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    home = HomePage.objects.get(pk=home.pk)
    assert [child.block_type for child in home.content] == ["introduction", "latest_posts"]
    client.logout()
    html = client.get("/").content.decode()
    assert "Welkom bij de community" in html and "Nieuws" in html


def test_preview_renders_with_the_page_template(manager_client, front):
    home = front["home"]
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[home.pk])
    response = manager_client.post(url, form(home, [intro("Nog niet gepubliceerd"), news()]))
    assert response.status_code == 200 and response.json()["is_valid"] is True
    response = manager_client.get(url)
    assert response.status_code == 200
    assert [t.name for t in response.templates][0] == "home/home_page.html"
    html = response.content.decode()
    assert "Nog niet gepubliceerd" in html and 'class="front-block front-posts"' in html
    # Nothing was published.
    assert (
        "Nog niet gepubliceerd" not in HomePage.objects.get(pk=home.pk).content.raw_data.__str__()
    )


def test_a_video_without_a_transcript_is_refused_with_a_message(manager_client, front):
    home = front["home"]
    url = reverse("wagtailadmin_pages:edit", args=[home.pk])
    data = {**form(home, [video("")]), "action-publish": "action-publish"}
    response = manager_client.post(url, data)
    assert response.status_code == 200  # the form again, with its errors
    html = response.content.decode()
    assert "A video needs a transcript." in html
    assert not HomePage.objects.get(pk=home.pk).content  # nothing saved
    data = {**form(home, [video("<p>Alles wat er gezegd wordt.</p>")]), "action-publish": "1"}
    assert manager_client.post(url, data).status_code == 302
    assert HomePage.objects.get(pk=home.pk).content[0].block_type == "video"


def test_groups_of_another_community_are_refused_with_a_message(manager_client, front):
    home = front["home"]
    url = reverse("wagtailadmin_pages:edit", args=[home.pk])
    chosen = [str(front["open"].pk), str(front["elsewhere"].pk)]

    def post(groups):
        data = form(home, [("groups", {"heading": "Doe mee", "text": ""})])
        data["content-0-value-groups"] = groups  # a multiple choice: one key, several values
        return manager_client.post(url, {**data, "action-publish": "1"})

    response = post(chosen)
    assert response.status_code == 200
    assert "cannot be highlighted here: Dijken en water." in response.content.decode()
    assert not HomePage.objects.get(pk=home.pk).content
    assert post(chosen[:1]).status_code == 302
    assert HomePage.objects.get(pk=home.pk).content[0].value["groups"] == chosen[:1]


def test_managers_publish_the_front_page_but_not_the_toolbox(front, manager):
    index = ToolboxIndexPageFactory(parent=front["home"])
    section = ToolboxSectionPageFactory(parent=index)
    ensure_toolbox_roles(index)
    on_home = front["home"].permissions_for_user(manager)
    assert on_home.can_edit() and on_home.can_publish()
    # Below it, the toolbox keeps its approval by moderators; the statements stay the operator's.
    on_section = Page.objects.get(pk=section.pk).permissions_for_user(manager)
    assert on_section.can_edit() and not on_section.can_publish()
    from home.statements import ensure_statements

    ensure_statements(front["home"])
    for statement in front["home"].get_children():
        if statement.specific_class.__name__.endswith("StatementPage"):
            rights = statement.permissions_for_user(manager)
            assert not rights.can_edit() and not rights.can_publish(), statement
    assert not on_home.can_add_subpage() and not on_home.can_delete()
    other = UserFactory(is_staff=True)
    assert not front["home"].permissions_for_user(other).can_edit()
    assert ensure_front_page_role().name == settings.MEENT_COMMUNITY_MANAGERS_GROUP


def test_people_without_the_right_cannot_edit_the_front_page(client, front):
    person = UserFactory(is_staff=True)
    from django.contrib.auth.models import Permission

    person.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    activate_totp(person)
    client.force_login(person)
    url = reverse("wagtailadmin_pages:edit", args=[front["home"].pk])
    response = client.get(url)
    assert response.status_code in (302, 403)


def test_the_front_page_right_alone_is_enough_to_find_preview_and_publish(manager_client, front):
    """Without any right on another page (no toolbox), the explorer opens at the root with the
    front pages, the preview answers and publishing works: Wagtail's page policy knows the
    right too (home.models.FrontPagePermissionPolicy)."""
    from wagtail.models import GroupPagePermission

    GroupPagePermission.objects.all().delete()
    home = front["home"]
    explorer = manager_client.get(reverse("wagtailadmin_explore_root"))
    assert explorer.status_code == 200
    assert reverse("wagtailadmin_pages:edit", args=[home.pk]) in explorer.content.decode()
    preview = reverse("wagtailadmin_pages:preview_on_edit", args=[home.pk])
    assert manager_client.post(preview, form(home, [news()])).json()["is_valid"] is True
    assert manager_client.get(preview).status_code == 200
    url = reverse("wagtailadmin_pages:edit", args=[home.pk])
    response = manager_client.post(
        url, {**form(home, [news()]), "action-publish": "1"}, follow=True
    )
    assert response.status_code == 200
    assert HomePage.objects.get(pk=home.pk).content[0].block_type == "latest_posts"
    # Still nothing else: adding pages under it is refused.
    add = manager_client.get(reverse("wagtailadmin_pages:add_subpage", args=[home.pk]))
    assert add.status_code != 200
