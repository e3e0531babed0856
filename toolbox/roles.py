"""Who edits the toolbox: community managers write, moderators approve.

``ensure_toolbox_roles(index)`` gives the Wagtail groups their rights on one toolbox (idempotent;
``manage.py toolbox_roles`` and ``load_demo`` call it):

- community managers (settings.MEENT_COMMUNITY_MANAGERS_GROUP) may enter the admin, add and edit
  pages under the toolbox (drafts, previews, revisions, a go-live date) but not publish them, edit
  toolbox topics and add and choose documents and images: nothing outside the toolbox;
- the toolbox has the workflow "Toolbox approval": a page submitted for approval is published when
  a moderator (settings.MEENT_MODERATORS_GROUP) approves it, or goes back with a comment.

The workflow and its task (and Wagtail's default "Moderators approval") are stored under their
English names, which are msgids: wherever Wagtail shows them (the editor's "Submit to …" button,
the status panel, the reports, the moderators' e-mails, the workflow and task listings and forms)
they read in the language of whoever reads them (``translate_workflow_names``). Chosen over a
Task subclass because Wagtail reads ``task.name`` and ``workflow.name`` of the base models
directly in some thirty templates and views, and over storing Dutch names because an English
admin would then read Dutch.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models.query_utils import DeferredAttribute
from django.utils import translation
from django.utils.translation import gettext, gettext_noop
from wagtail.models import (
    Collection,
    GroupApprovalTask,
    GroupCollectionPermission,
    GroupPagePermission,
    Workflow,
    WorkflowPage,
    WorkflowTask,
)

WORKFLOW_NAME = gettext_noop("Toolbox approval")
TASK_NAME = gettext_noop("Moderator approval")
# Wagtail's own migration names the default workflow and its task after the "Moderators" group.
WAGTAIL_DEFAULT_NAME = gettext_noop("Moderators approval")
# The names Meent and Wagtail give; a name an editor typed in the admin is shown as typed.
TRANSLATED_NAMES = frozenset({WORKFLOW_NAME, TASK_NAME, WAGTAIL_DEFAULT_NAME})


class TranslatedName(str):
    """A stored name that reads as its translation in the active language wherever it is shown
    (templates, ``%`` and ``format``), while the database, lookups and JSON keep the msgid."""

    __slots__ = ()

    def __str__(self):
        return gettext(str.__str__(self))

    def __format__(self, spec):
        return format(str(self), spec)


class _NameAttribute(DeferredAttribute):
    """``name`` of Wagtail's Workflow and Task: Meent's own names are read translated; a
    translated name that comes back (an admin form saved unchanged) is stored as the msgid."""

    def __get__(self, instance, cls=None):
        value = super().__get__(instance, cls)
        if instance is not None and type(value) is str and value in TRANSLATED_NAMES:
            return TranslatedName(value)
        return value

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = _msgid_of(value)


def _msgid_of(value):
    if not isinstance(value, str) or value in TRANSLATED_NAMES:
        return str.__str__(value) if isinstance(value, str) else value
    for name in TRANSLATED_NAMES:
        for language, _label in settings.LANGUAGES:
            with translation.override(language):
                if gettext(name) == value:
                    return name
    return value


def _translated_str(self):
    # Plain text in the active language: "%s" % workflow and f"{task}" read the translation too.
    return str(self.name)


def translate_workflow_names():
    """Install the translated ``name`` (and ``str()``) on Wagtail's Workflow and Task (from
    ToolboxConfig.ready; task types such as GroupApprovalTask inherit Task's)."""
    from wagtail.models import Task

    for model in (Workflow, Task):
        if not isinstance(model.__dict__.get("name"), _NameAttribute):
            model.name = _NameAttribute(model._meta.get_field("name"))
            model.__str__ = _translated_str


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
