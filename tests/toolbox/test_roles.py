"""Community managers write toolbox drafts and submit them; moderators approve and publish."""

import pytest
from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.core.management import CommandError, call_command
from django.utils import translation
from wagtail.models import GroupPagePermission, Workflow

from home.models import HomePage
from tests.factories import UserFactory
from tests.helpers import activate_totp
from tests.toolbox.factories import ToolboxArticlePageFactory, ToolboxSectionPageFactory
from toolbox.models import ToolboxIndexPage
from toolbox.roles import WORKFLOW_NAME, ensure_toolbox_roles

pytestmark = pytest.mark.django_db


def member_of(group_name):
    user = UserFactory(is_staff=True)
    user.groups.add(AuthGroup.objects.get(name=group_name))
    activate_totp(user)
    return user


@pytest.fixture
def toolbox():
    section = ToolboxSectionPageFactory()
    index = section.get_parent().specific
    ensure_toolbox_roles(index)
    return index, section


def test_roles_are_idempotent(toolbox):
    index, _section = toolbox
    before = GroupPagePermission.objects.count()
    ensure_toolbox_roles(index)
    assert GroupPagePermission.objects.count() == before
    assert Workflow.objects.filter(name=WORKFLOW_NAME).count() == 1


def test_community_managers_edit_the_toolbox_only_and_cannot_publish(toolbox):
    index, section = toolbox
    manager = member_of(settings.MEENT_COMMUNITY_MANAGERS_GROUP)
    on_section = section.permissions_for_user(manager)
    assert on_section.can_add_subpage() and on_section.can_edit()
    assert not on_section.can_publish()
    on_home = HomePage.objects.first().permissions_for_user(manager)
    assert not on_home.can_edit() and not on_home.can_add_subpage()
    moderator = member_of(settings.MEENT_MODERATORS_GROUP)
    assert section.permissions_for_user(moderator).can_publish()


def test_a_submitted_article_is_published_when_a_moderator_approves(toolbox):
    index, section = toolbox
    manager = member_of(settings.MEENT_COMMUNITY_MANAGERS_GROUP)
    moderator = member_of(settings.MEENT_MODERATORS_GROUP)
    article = ToolboxArticlePageFactory(parent=section, title="Concept", live=False)
    article.save_revision(user=manager)
    workflow = article.get_workflow()
    assert workflow.name == WORKFLOW_NAME
    state = workflow.start(article, manager)
    task_state = state.current_task_state
    task = task_state.task.specific
    assert [name for name, *_ in task.get_actions(article, manager)] == []
    assert "approve" in [name for name, *_ in task.get_actions(article, moderator)]
    task.on_action(task_state, moderator, "approve")
    article.refresh_from_db()
    assert article.live


def test_the_command_refuses_without_a_toolbox():
    ToolboxIndexPage.objects.all().delete()
    with translation.override("en"), pytest.raises(CommandError, match="no toolbox"):
        call_command("toolbox_roles")


def test_the_command_sets_up_every_toolbox(capsys):
    index = HomePage.objects.first().add_child(
        instance=ToolboxIndexPage(title="Toolbox", slug="toolbox")
    )
    with translation.override("en"):
        call_command("toolbox_roles")
    assert index.get_workflow().name == WORKFLOW_NAME
    assert "The toolbox roles are in place." in capsys.readouterr().out
