"""Review dates: when an article is due, and the admin report of overdue reviews."""

import datetime

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.utils import timezone
from wagtail.models import GroupPagePermission

from tests.factories import UserFactory
from tests.helpers import activate_totp
from tests.toolbox.factories import ToolboxArticlePageFactory, ToolboxTopicFactory, toolbox_index
from toolbox.models import ToolboxArticlePage

pytestmark = pytest.mark.django_db

REPORT = "/admin/reports/toolbox-reviews/"
TODAY = timezone.localdate()


def months_ago(months, days=0):
    day = TODAY - datetime.timedelta(days=days)
    month_index = day.month - 1 - months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, 28))


@pytest.fixture
def articles():
    return {
        "overdue": ToolboxArticlePageFactory(title="Verlopen", last_reviewed=months_ago(13)),
        "fresh": ToolboxArticlePageFactory(title="Vers", last_reviewed=months_ago(1)),
        "short": ToolboxArticlePageFactory(
            title="Kort interval", last_reviewed=months_ago(4), review_interval_months=3
        ),
        "never": ToolboxArticlePageFactory(title="Nooit bekeken", last_reviewed=None),
    }


def staff(*, may_change_pages, name):
    group, _ = AuthGroup.objects.get_or_create(name=name)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
    )
    if may_change_pages:
        GroupPagePermission.objects.get_or_create(
            group=group,
            page=toolbox_index(),
            permission=Permission.objects.get(
                content_type__app_label="wagtailcore", codename="change_page"
            ),
        )
    user = UserFactory(is_staff=True)
    user.groups.add(group)
    activate_totp(user)  # staff reach /admin/ only with two-factor sign-in
    return user


def test_review_due_date_and_overdue(articles):
    article = articles["short"]
    assert article.review_due == article.review_due_on
    assert article.is_review_overdue()
    assert not articles["fresh"].is_review_overdue()
    assert articles["never"].review_due is None and articles["never"].is_review_overdue()
    overdue = set(ToolboxArticlePage.objects.review_overdue().values_list("title", flat=True))
    assert overdue == {"Verlopen", "Kort interval", "Nooit bekeken"}


def test_review_due_follows_a_new_review(articles):
    article = articles["overdue"]
    article.last_reviewed = TODAY
    article.save()
    assert article.review_due_on == article.review_due > TODAY
    assert not ToolboxArticlePage.objects.review_overdue().filter(pk=article.pk).exists()


def test_an_editor_reads_the_overdue_reviews_report(client, articles):
    editor = staff(may_change_pages=True, name="Toolbox editors")
    client.force_login(editor)
    response = client.get(REPORT, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Overdue toolbox reviews" in html
    for title in ("Verlopen", "Kort interval", "Nooit bekeken"):
        assert title in html
    assert "Vers</a>" not in html
    assert f"/admin/pages/{articles['overdue'].pk}/edit/" in html
    assert "Never" in html
    assert "Team Open Source" in html


def test_the_report_is_in_the_reports_menu_for_editors(client, articles):
    client.force_login(staff(may_change_pages=True, name="Toolbox editors"))
    html = client.get("/admin/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert REPORT in html


def test_the_report_exports_a_spreadsheet(client, articles):
    client.force_login(staff(may_change_pages=True, name="Toolbox editors"))
    response = client.get(REPORT + "?export=csv", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    content = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    assert "Verlopen" in content and "Vers," not in content


def test_staff_without_page_permissions_are_refused(client, articles):
    client.force_login(staff(may_change_pages=False, name="Other staff"))
    response = client.get(REPORT)
    assert response.status_code in (302, 403)
    assert "Verlopen" not in response.content.decode()
    assert REPORT not in client.get("/admin/").content.decode()


def test_members_and_anonymous_visitors_do_not_reach_the_report(client, articles):
    assert client.get(REPORT).status_code == 302
    client.force_login(UserFactory())
    response = client.get(REPORT)
    assert response.status_code == 302 and "Verlopen" not in response.content.decode()


def test_topics_are_managed_as_snippets(client):
    ToolboxTopicFactory(name="Licenties", slug="licenties")
    editor = staff(may_change_pages=True, name="Toolbox editors")
    editor.groups.first().permissions.add(
        *Permission.objects.filter(
            content_type__app_label="toolbox", codename__endswith="toolboxtopic"
        )
    )
    client.force_login(editor)
    url = "/admin/snippets/toolbox/toolboxtopic/"
    response = client.get(url + "?q=Licen", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and "Licenties" in response.content.decode()
    response = client.post(
        url + "add/", {"name": "Beveiliging", "slug": "beveiliging", "description": ""}
    )
    assert response.status_code == 302
    assert ToolboxTopicFactory._meta.model.objects.filter(slug="beveiliging").exists()


def test_block_previews_render_in_the_admin_block_picker(client):
    """Wagtail's block-preview view renders each block's preview value in our preview page."""
    body = ToolboxArticlePage._meta.get_field("body").stream_block
    client.force_login(staff(may_change_pages=True, name="Toolbox editors"))
    for name, child in body.child_blocks.items():
        response = client.get("/admin/block-preview/", {"id": child.definition_prefix})
        assert response.status_code == 200, name
        html = response.content.decode()
        assert "/static/toolbox/toolbox.css" in html, name
        assert f"w-block-{name}" in html, name
        assert "toolbox-block" in html or "toolbox-heading" in html, name


def test_article_edit_form_offers_phases_topics_owner_and_review(client, articles):
    ToolboxTopicFactory(name="Licenties", slug="licenties")
    client.force_login(staff(may_change_pages=True, name="Toolbox editors"))
    response = client.get(f"/admin/pages/{articles['fresh'].pk}/edit/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'type="checkbox" name="phases" value="maintaining"' in html
    assert 'name="topics"' in html and "Licenties" in html
    assert 'name="content_owner"' in html
    assert 'name="review_interval_months"' in html and 'name="last_reviewed"' in html
