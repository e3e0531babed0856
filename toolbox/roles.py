"""Who edits the toolbox: community managers write, moderators approve.

``ensure_toolbox_roles(index)`` gives the Wagtail groups their rights on one toolbox (idempotent;
``manage.py toolbox_roles`` and ``load_demo`` call it):

- community managers (settings.MEENT_COMMUNITY_MANAGERS_GROUP) may enter the admin, add and edit
  pages under the toolbox (drafts, previews, revisions, a go-live date) but not publish them, edit
  toolbox topics and add and choose documents and images: nothing outside the toolbox;
- the toolbox has the workflow "Toolbox approval": a page submitted for approval is published when
  a moderator (settings.MEENT_MODERATORS_GROUP) approves it, or goes back with a comment.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

WORKFLOW_NAME = "Toolbox approval"
TASK_NAME = "Moderator approval"


def _permission(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _grant_pages(group, page, codenames):
    for codename in codenames:
        GroupPagePermission.objects.get_or_create(
            group=group, page=page, permission=_permission("wagtailcore", codename)
        )


def _grant_collection(group, collection, app_label, codenames):
    for codename in codenames:
        GroupCollectionPermission.objects.get_or_create(
            group=group, collection=collection, permission=_permission(app_label, codename)
        )


@transaction.atomic
def ensure_toolbox_roles(index) -> dict:
    managers, _ = Group.objects.get_or_create(name=settings.MEENT_COMMUNITY_MANAGERS_GROUP)
    moderators, _ = Group.objects.get_or_create(name=settings.MEENT_MODERATORS_GROUP)
    access_admin = _permission("wagtailadmin", "access_admin")
    managers.permissions.add(
        access_admin,
        *Permission.objects.filter(
            content_type__app_label="toolbox",
            codename__in=["add_toolboxtopic", "change_toolboxtopic", "view_toolboxtopic"],
        ),
    )
    moderators.permissions.add(access_admin)
    _grant_pages(managers, index, ["add_page", "change_page"])
    _grant_pages(moderators, index, ["change_page", "publish_page"])
    # Wagtail's migration makes the root collection; a flushed database has none.
    root = Collection.get_first_root_node() or Collection.add_root(name="Root")
    _grant_collection(managers, root, "wagtaildocs", ["add_document", "choose_document"])
    _grant_collection(managers, root, "wagtailimages", ["add_image", "choose_image"])

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, defaults={"active": True})
    if not workflow.active:
        workflow.active = True
        workflow.save(update_fields=["active"])
    task = GroupApprovalTask.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = GroupApprovalTask.objects.create(name=TASK_NAME)
    task.groups.add(moderators)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=index, defaults={"workflow": workflow})
    return {"managers": managers, "moderators": moderators, "workflow": workflow}
