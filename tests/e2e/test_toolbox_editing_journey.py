"""A community manager edits a toolbox article in the admin and submits it for approval; a
moderator approves it and the change is live."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from playwright.sync_api import expect
from wagtail.models import WorkflowState

from tests.e2e.helpers import totp_code
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.helpers import TOTP_SECRET, activate_totp
from tests.toolbox.factories import (
    ToolboxArticlePageFactory,
    ToolboxSectionPageFactory,
    block,
    checklist,
)
from toolbox.roles import ensure_toolbox_roles


@pytest.fixture
def browser_locale():
    return "en-GB"


def code():
    return totp_code(TOTP_SECRET)


def staff_member(email, group_name):
    user = UserFactory(email=email, is_staff=True)
    user.groups.add(AuthGroup.objects.get(name=group_name))
    activate_totp(user)
    return user


@pytest.fixture
def toolbox(server):
    section = ToolboxSectionPageFactory(title="Publiceren", slug="publiceren")
    article = ToolboxArticlePageFactory(
        parent=section,
        title="Een README schrijven",
        slug="readme",
        summary="Oude samenvatting.",
        body=[
            block("text", "<p>Wat je project doet en hoe je het start.</p>"),
            checklist("Voor je publiceert", ["Doel beschreven", "Licentie genoemd"]),
        ],
    )
    article.save_revision().publish()
    ensure_toolbox_roles(section.get_parent().specific)
    manager = staff_member("cm@voorbeeld.nl", settings.MEENT_COMMUNITY_MANAGERS_GROUP)
    moderator = staff_member("mod@voorbeeld.nl", settings.MEENT_MODERATORS_GROUP)
    return article, manager, moderator


def sign_in_with_code(page, sign_in, email):
    sign_in(page, email, DEFAULT_PASSWORD)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    page.locator("main form [name=code]").fill(code())
    page.locator("main form button[type=submit]:not([form])").click()
    page.wait_for_load_state()


def test_a_community_manager_submits_and_a_moderator_approves(
    page, browser, server, toolbox, sign_in
):
    article, manager, moderator = toolbox
    sign_in_with_code(page, sign_in, manager.email)
    page.goto(f"/admin/pages/{article.pk}/edit/")
    summary = page.locator("textarea[name=summary]")
    summary.fill("Nieuwe samenvatting, klaar voor controle.")
    # The footer's action menu: submitting is an action of the workflow, publishing is not.
    page.locator("footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']").first.click()
    menu = page.locator("footer")
    expect(menu.locator("button[name=action-publish]")).to_have_count(0)
    menu.locator("button[name=action-submit]").click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text("submitted")
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert state.requested_by_id == manager.pk
    article.refresh_from_db()
    assert article.summary == "Oude samenvatting."  # not live until approved
    assert page.context.request.get(article.url).text().count("Oude samenvatting.") == 1

    # The moderator approves it from the page editor.
    context = browser.new_context(base_url=server.url, locale="en-GB")
    other = context.new_page()
    try:
        sign_in_with_code(other, sign_in, moderator.email)
        other.goto(f"/admin/pages/{article.pk}/edit/")
        other.locator(
            "footer .dropdown-toggle, footer [data-w-dropdown-target='toggle']"
        ).first.click()
        # "Approve" (the other choice, "Approve with comment", opens a dialog first).
        approve = other.locator(
            "footer button[data-workflow-action-name=approve]:not([data-workflow-action-modal-url])"
        )
        with other.expect_navigation():
            approve.click()
        other.wait_for_load_state()
        other.wait_for_load_state()
    finally:
        context.close()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    article.refresh_from_db()
    assert article.summary == "Nieuwe samenvatting, klaar voor controle."
    assert "Nieuwe samenvatting" in page.context.request.get(article.url).text()
