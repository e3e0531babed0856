"""A group's file library: the folders' lists, uploading, folders, a file's page with its
versions and preview, and the trash. Serving the stored bytes is download_views.py's.

Every list asks ``visible_to``; what a person may not see answers 404 (as if it were not there),
what they see but may not change answers 403. Every change goes through files/services.py, whose
refusals (``FilesError``) come back as the form again with the message at its field and the
refusal's 4xx status: nothing the person chose is lost but the files themselves.
"""

import datetime
import math

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.context import group_page_context
from groups.policies import can_read_content
from groups.views import visible_group_or_404
from meent import access, idempotency, params, refusals
from meent.security import content_security_policy

from . import extract, policies, services
from .forms import (
    FileForm,
    FolderForm,
    FolderQuery,
    MoveForm,
    NewFolderForm,
    TrashRestoreForm,
    UploadForm,
    VersionForm,
)
from .models import FileTag, FileVersion, Folder, GroupFile
from .services import FilesError

PER_PAGE = 50
ORDERINGS = {
    "name": ("name_key", "pk"),
    "-updated": ("-updated_at", "-pk"),
    "size": ("-size", "name_key", "pk"),
}


# The most of a text file shown in its page; the rest is in the download.
TEXT_PREVIEW_BYTES = 200 * 1024
TEXT_TYPES = ("text/plain", "text/markdown", "text/csv", "text/tab-separated-values")
# Shown by the browser itself from the preview address (download_views.preview).
INLINE_IMAGES = ("image/png", "image/jpeg", "image/gif", "image/webp")


def preview_kind(file) -> str:
    """How the file page shows the current version: "image", "pdf", "text" or "" (a download)."""
    content_type = (file.content_type or "").split(";")[0].strip().lower()
    if content_type in INLINE_IMAGES:
        return "image"
    if content_type == "application/pdf":
        return "pdf"
    if content_type in TEXT_TYPES or content_type.startswith("text/"):
        return "text"
    return ""


def read_text_preview(version, limit=TEXT_PREVIEW_BYTES) -> tuple[str, bool]:
    """(the start of a text version, whether it was cut): at most ``limit`` bytes read from
    storage, decoded as the search's reader decodes text (files/extract.py: a byte order mark's
    encoding, UTF-8, Windows-1252, …), never an error; the template escapes it."""
    try:
        with version.stored.storage.open(version.stored.name, "rb") as handle:
            data = handle.read(limit + 1)
    except OSError:
        return "", False
    cut = len(data) > limit
    return extract.decode_text(data[:limit], cut), cut


# ---------------------------------------------------------------------------------------------
# Finding things


def library_group_or_404(request, group_slug):
    """The group, when the person may know it and its files tab is on."""
    group = visible_group_or_404(request, group_slug)
    if not group.files_enabled:
        raise Http404(_("This group has no files."))
    return group


def _folder_or_404(request, group, folder_id):
    folder = get_object_or_404(Folder.objects.visible_to(request.user), group=group, pk=folder_id)
    folder.group = group
    return folder


def _file_or_404(request, group, file_id):
    file = get_object_or_404(
        GroupFile.objects.visible_to(request.user).select_related(
            "folder", "current", "uploaded_by"
        ),
        group=group,
        pk=file_id,
    )
    file.group = file.folder.group = group
    return file


def _in_group(items, group):
    """``items`` (files or folders of ``group``) as a list, each knowing its group: their
    addresses name the group's slug, without a query each."""
    items = list(items)
    for item in items:
        item.group = group
    return items


def _trail(folder):
    """The folders from the root down to ``folder``, for the breadcrumbs (one query)."""
    return _in_group(services.folder_path(folder), folder.group)


def _context(request, group, **extra):
    context = group_page_context(request.user, group)
    context["tab"] = "files"
    context["may_add"] = policies.may_add(request.user, group)
    context["may_restore"] = policies.may_restore(request.user, group)
    context.update(extra)
    return context


def refuse(request, error, context):
    return refusals.refuse(request, error, "files/refused.html", context)


def _forbidden(request, group, message, **extra):
    return refuse(request, FilesError(message, 403), _context(request, group, **extra))


def _folder_choices(request, group, exclude=None):
    """(id, label) of the group's folders this person sees, in tree order, indented by depth;
    without ``exclude``'s subtree (a folder cannot move into itself)."""
    rows = Folder.objects.visible_to(request.user).filter(group=group)
    if exclude is not None:
        rows = rows.exclude(path__startswith=exclude.path)
    rows = list(rows.only("pk", "parent_id", "name", "name_key", "depth", "path"))
    children = {}
    for row in rows:
        children.setdefault(row.parent_id, []).append(row)
    ordered = []

    # A folder is never seen more widely than its parent, so whoever sees it sees the way to it:
    # walking down from the root reaches everything listed.
    def walk(parent_id):
        for row in sorted(children.get(parent_id, []), key=lambda item: item.name_key):
            ordered.append(row)
            walk(row.pk)

    walk(None)
    top = _("The group's files (top level)")
    return [(row.pk, top if row.is_root else "— " * row.depth + row.name) for row in ordered]


# ---------------------------------------------------------------------------------------------
# A folder's list


def _usage(group):
    used = services.usage(group)
    quota = settings.MEENT_FILES_GROUP_QUOTA
    return {
        "used": used,
        "quota": quota,
        "percent": min(100, round(100 * used / quota)) if quota else 0,
    }


def _listing(request, group, folder, upload_form=None, status=200):
    user = request.user
    query = params.read(request, FolderQuery).cleaned_data
    sort = query.get("sort") or "name"
    tag = query.get("tag") or ""
    files = GroupFile.objects.visible_to(user).filter(folder=folder)
    # The tags of this folder's files, for the filter (one query).
    tags = list(
        FileTag.objects.filter(file__in=files)
        .values("slug", "name")
        .annotate(count=Count("file", distinct=True))
        .order_by("slug")
    )
    if tag:
        files = files.filter(tags__slug=tag)
    files = (
        files.select_related("uploaded_by", "current__uploaded_by")
        .prefetch_related("tags")
        .order_by(*ORDERINGS[sort])
    )
    page = params.paginate(request, files, PER_PAGE)
    listed = _in_group(page.object_list, group)
    folders = []
    if page.number == 1 and not tag:
        folders = list(
            Folder.objects.visible_to(user)
            .filter(parent=folder)
            .annotate(
                file_count=Coalesce(
                    Subquery(
                        GroupFile.objects.visible_to(user)
                        .filter(folder_id=OuterRef("pk"))
                        .order_by()
                        .values("folder_id")
                        .annotate(count=Count("pk"))
                        .values("count")
                    ),
                    0,
                )
            )
            .order_by("name_key")
        )
        _in_group(folders, group)
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    context = _context(
        request,
        group,
        folder=folder,
        trail=_trail(folder),
        page_obj=page,
        files=listed,
        folders=folders,
        sort=sort,
        sorts=_sort_links(request, folder, sort),
        tags=tags,
        chosen_tag=tag,
        chosen_tag_name=next((item["name"] for item in tags if item["slug"] == tag), tag),
        query=query_without_page.urlencode(),
        upload_form=upload_form or UploadForm(),
        can_edit_folder=access.can_edit(user, folder),
        may_delete_folder=policies.may_delete(user, folder),
    )
    if context["is_member"]:
        context["usage"] = _usage(group)
    return render(request, "files/folder.html", context, status=params.status(request, status))


def _sort_links(request, folder, chosen):
    links = []
    for value, label in FolderQuery.base_fields["sort"].choices:
        query = request.GET.copy()
        query.pop("page", None)
        query["sort"] = value
        links.append(
            {
                "label": label,
                "url": f"{folder.get_absolute_url()}?{query.urlencode()}",
                "current": value == chosen,
            }
        )
    return links


@require_GET
def library(request, group_slug):
    group = library_group_or_404(request, group_slug)
    if policies.may_add(request.user, group):
        root = services.root_folder(group)
    else:
        # Looking is no reason to make a row: without a root there is nothing to list yet.
        root = Folder.objects.filter(group=group, parent__isnull=True).first()
    readable = Folder.objects.visible_to(request.user).filter(pk=getattr(root, "pk", None))
    if root is not None and readable.exists():
        return _listing(request, group, root)
    context = _context(request, group, folder=None)
    if context["can_read"]:
        # A group open for reading whose library nobody has started yet.
        return render(request, "files/folder.html", context)
    return render(request, "files/folder.html", context, status=403)


@require_GET
def folder(request, group_slug, folder_id):
    group = library_group_or_404(request, group_slug)
    found = _folder_or_404(request, group, folder_id)
    if found.is_root:
        return redirect(found.get_absolute_url())
    return _listing(request, group, found)


# ---------------------------------------------------------------------------------------------
# Uploading


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _json_error(message, status):
    return JsonResponse({"error": message}, status=status)


def _upload_json(request, folder):
    uploads = request.FILES.getlist("files")
    if len(uploads) != 1:
        return _json_error(_("Send one file per request."), 400)
    try:
        result = services.upload(request.user, folder, uploads[0])
    except FilesError as error:
        return _json_error(error.message, error.status)
    file = result.file
    return JsonResponse(
        {"name": file.name, "url": file.get_absolute_url(), "renamed_from": result.renamed_from},
        status=201,
    )


@login_required
@require_POST
def upload(request, group_slug, folder_id):
    group = library_group_or_404(request, group_slug)
    wants_json = _wants_json(request)
    target = Folder.objects.visible_to(request.user).filter(group=group, pk=folder_id).first()
    if target is None:
        if wants_json:
            return _json_error(_("This folder is not there (any more)."), 404)
        raise Http404
    if not policies.may_add(request.user, group):
        message = (
            _("This group is archived: its files can no longer change.")
            if group.is_archived
            else _("Only members of the group can upload files.")
        )
        status = 409 if group.is_archived else 403
        if wants_json:
            return _json_error(message, status)
        return refuse(request, FilesError(message, status), _context(request, group, folder=target))
    if wants_json:
        return _upload_json(request, target)

    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _listing(request, group, target, upload_form=form, status=400)
    uploads = form.cleaned_data["files"]

    def create():
        results, refused = [], []
        for item in uploads:
            try:
                # Each in a savepoint of its own (services.upload): a refused file leaves
                # nothing and does not stop the others.
                results.append(services.upload(request.user, target, item))
            except FilesError as error:
                refused.append((item.name, error))
        if not results:
            # Nothing was made: the claim goes back with the transaction, the form is shown
            # again and can be sent again.
            raise _AllRefused(refused)
        return results, refused

    try:
        outcome = idempotency.once(
            request.user, form.submission_key, create, lambda made: target.get_absolute_url()
        )
    except _AllRefused as every:
        for name, error in every.refused:
            form.add_error("files", _refused_message(name, error))
        status = max(error.status for _name, error in every.refused)
        return _listing(request, group, target, upload_form=form, status=status)
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    results, refused = outcome.made
    for result in results:
        if result.renamed_from:
            messages.success(
                request,
                _("“%(asked)s” is uploaded as “%(name)s”: the name was taken in this folder.")
                % {"asked": result.renamed_from, "name": result.file.name},
            )
        else:
            messages.success(request, _("“%(name)s” is uploaded.") % {"name": result.file.name})
    for name, error in refused:
        messages.error(request, _refused_message(name, error))
    return redirect(outcome.url)


class _AllRefused(Exception):
    def __init__(self, refused):
        super().__init__("every file was refused")
        self.refused = refused


def _refused_message(name, error):
    return _("“%(name)s” is not uploaded: %(reason)s") % {"name": name, "reason": error.message}


# ---------------------------------------------------------------------------------------------
# Folders


def _editable_folder(request, group_slug, folder_id):
    """(group, folder, refusal): the folder the person sees, or a 403 when they may not change it."""
    group = library_group_or_404(request, group_slug)
    found = _folder_or_404(request, group, folder_id)
    if found.is_root:
        raise Http404(_("The group's main folder cannot be changed."))
    if not access.can_edit(request.user, found):
        return (
            group,
            found,
            _forbidden(request, group, _("You may not change this folder."), folder=found),
        )
    return group, found, None


def _folder_form_page(request, group, form, *, parent, folder=None, status=200):
    context = _context(
        request, group, form=form, parent=parent, folder=folder, trail=_trail(parent)
    )
    return render(request, "files/folder_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def new_folder(request, group_slug, folder_id):
    group = library_group_or_404(request, group_slug)
    parent = _folder_or_404(request, group, folder_id)
    if not policies.may_add(request.user, group):
        return _forbidden(
            request, group, _("Only members of the group can make folders."), folder=parent
        )
    if request.method == "GET":
        form = NewFolderForm(parent=parent, group=group)
        return _folder_form_page(request, group, form, parent=parent)
    form = NewFolderForm(request.POST, parent=parent, group=group)
    if not form.is_valid():
        return _folder_form_page(request, group, form, parent=parent, status=400)
    data = form.cleaned_data
    try:
        outcome = idempotency.once(
            request.user,
            form.submission_key,
            lambda: services.create_folder(request.user, parent, data["name"], data["visibility"]),
            lambda made: made.get_absolute_url(),
        )
    except FilesError as error:
        refusals.on_form(form, error, "name")
        return _folder_form_page(request, group, form, parent=parent, status=error.status)
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    messages.success(request, _("The folder “%(name)s” is made.") % {"name": outcome.made.name})
    return redirect(outcome.url)


@login_required
@require_http_methods(["GET", "POST"])
def folder_edit(request, group_slug, folder_id):
    group, found, refused = _editable_folder(request, group_slug, folder_id)
    if refused:
        return refused
    parent = found.parent
    with_visibility = policies.may_set_visibility(request.user, found)
    kwargs = {"parent": parent, "group": group, "with_visibility": with_visibility}
    if request.method == "GET":
        form = FolderForm(initial={"name": found.name, "visibility": found.visibility}, **kwargs)
        return _folder_form_page(request, group, form, parent=parent, folder=found)
    form = FolderForm(request.POST, **kwargs)
    if not form.is_valid():
        return _folder_form_page(request, group, form, parent=parent, folder=found, status=400)
    data = form.cleaned_data
    try:
        # Both changes or neither.
        with transaction.atomic():
            changed = found
            if data["name"] != found.name:
                changed = services.rename_folder(request.user, found, data["name"])
            if with_visibility and data["visibility"] != found.visibility:
                changed = services.set_folder_visibility(request.user, changed, data["visibility"])
    except FilesError as error:
        refusals.on_form(form, error, "name")
        return _folder_form_page(
            request, group, form, parent=parent, folder=found, status=error.status
        )
    messages.success(request, _("The folder is saved."))
    return redirect(changed.get_absolute_url())


def _move_page(request, group, form, *, obj, status=200):
    context = _context(request, group, form=form, obj=obj, is_folder=isinstance(obj, Folder))
    context["trail"] = _trail(obj if isinstance(obj, Folder) else obj.folder)
    return render(request, "files/move.html", context, status=status)


def _move(request, group, obj, *, move, choices, current_id):
    if request.method == "GET":
        form = MoveForm(initial={"target": current_id}, folders=choices)
        return _move_page(request, group, form, obj=obj)
    form = MoveForm(request.POST, folders=choices)
    if not form.is_valid():
        return _move_page(request, group, form, obj=obj, status=400)
    target = Folder.objects.filter(group=group, pk=form.cleaned_data["target"]).first()
    if target is None:
        form.add_error("target", _("Choose a folder from the list."))
        return _move_page(request, group, form, obj=obj, status=400)
    try:
        moved = move(request.user, obj, target)
    except FilesError as error:
        refusals.on_form(form, error, "target")
        return _move_page(request, group, form, obj=obj, status=error.status)
    messages.success(
        request,
        _("“%(name)s” is moved to “%(folder)s”.")
        % {"name": moved.name, "folder": target.name or _("the group's files")},
    )
    return redirect(moved.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def folder_move(request, group_slug, folder_id):
    group, found, refused = _editable_folder(request, group_slug, folder_id)
    if refused:
        return refused
    choices = _folder_choices(request, group, exclude=found)
    return _move(
        request,
        group,
        found,
        move=services.move_folder,
        choices=choices,
        current_id=found.parent_id,
    )


@login_required
@require_http_methods(["GET", "POST"])
def folder_delete(request, group_slug, folder_id):
    group = library_group_or_404(request, group_slug)
    found = _folder_or_404(request, group, folder_id)
    if found.is_root:
        raise Http404(_("The group's main folder cannot be deleted."))
    if not policies.may_delete(request.user, found):
        return _forbidden(
            request,
            group,
            _("Only who made this folder and the group's owners and admins can delete it."),
            folder=found,
        )
    parent = found.parent
    if request.method == "POST":
        try:
            services.trash_folder(request.user, found)
        except FilesError as error:
            return refuse(request, error, _context(request, group, folder=found))
        messages.success(
            request,
            _("“%(name)s” is in the trash, with everything in it.") % {"name": found.name},
        )
        return redirect(parent.get_absolute_url())
    subtree = Folder.objects.alive().in_subtree(found)
    context = _context(
        request,
        group,
        folder=found,
        trail=_trail(found),
        file_count=GroupFile.objects.alive().filter(folder__in=subtree).count(),
        folder_count=subtree.count() - 1,
        trash_days=settings.MEENT_FILES_TRASH_DAYS,
    )
    return render(request, "files/folder_delete.html", context)


# ---------------------------------------------------------------------------------------------
# A file


def _file_context(request, group, file, **extra):
    user = request.user
    versions = list(
        FileVersion.objects.filter(file=file).select_related("uploaded_by").order_by("-number")
    )
    for version in versions:
        version.file = file  # its download address needs the group's slug: no query
    current = file.current
    if current is not None:
        current.file = file
    kind = preview_kind(file)
    context = _context(
        request,
        group,
        file=file,
        folder=file.folder,
        trail=_trail(file.folder),
        versions=versions,
        preview=kind,
        tags=list(file.tags.all()),
        can_edit=access.can_edit(user, file),
        may_delete=policies.may_delete(user, file),
        version_form=extra.pop("version_form", None) or VersionForm(),
    )
    if kind == "text" and current is not None:
        context["text"], context["text_cut"] = read_text_preview(current)
    if current is not None:
        context["preview_url"] = reverse(
            "files:preview", args=[group.slug, file.pk, current.number]
        )
    context.update(extra)
    return context


def _file_page(request, context, status=200):
    """The file's page; with a PDF, its policy lets the page frame the preview."""
    response = render(request, "files/file.html", context, status=status)
    if context["preview"] == "pdf":
        _allow_own_frames(request, response)
    return response


@require_GET
def file_page(request, group_slug, file_id):
    group = library_group_or_404(request, group_slug)
    file = _file_or_404(request, group, file_id)
    return _file_page(request, _file_context(request, group, file))


def _allow_own_frames(request, response):
    """The site's policy, with this site's own addresses allowed in a frame: the PDF preview is
    an ``<iframe>`` of download_views.preview (which allows only this site to frame it)."""
    directives = [
        part.strip() for part in content_security_policy(request.path).split(";") if part.strip()
    ]
    for index, directive in enumerate(directives):
        if directive.split()[0] == "frame-src":
            if "'self'" not in directive.split():
                directives[index] = directive.replace("frame-src", "frame-src 'self'", 1)
            break
    else:
        directives.append("frame-src 'self'")
    response["Content-Security-Policy"] = "; ".join(directives)


def _editable_file(request, group_slug, file_id):
    group = library_group_or_404(request, group_slug)
    file = _file_or_404(request, group, file_id)
    if not access.can_edit(request.user, file):
        return (
            group,
            file,
            _forbidden(
                request, group, _("You may not change this file."), file=file, folder=file.folder
            ),
        )
    return group, file, None


def _file_form_page(request, group, file, form, status=200):
    context = _context(request, group, form=form, file=file, trail=_trail(file.folder))
    return render(request, "files/file_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def file_edit(request, group_slug, file_id):
    group, file, refused = _editable_file(request, group_slug, file_id)
    if refused:
        return refused
    if request.method == "GET":
        initial = {
            "name": file.name,
            "description": file.description,
            "tags": ", ".join(tag.name for tag in file.tags.all()),
        }
        return _file_form_page(request, group, file, FileForm(initial=initial))
    form = FileForm(request.POST)
    if not form.is_valid():
        return _file_form_page(request, group, file, form, status=400)
    data = form.cleaned_data
    try:
        saved = services.update_file(
            request.user,
            file,
            name=data["name"],
            description=data["description"],
            tags=data["tags"],
        )
    except FilesError as error:
        refusals.on_form(form, error, "name")
        return _file_form_page(request, group, file, form, status=error.status)
    messages.success(request, _("The file's details are saved."))
    return redirect(saved.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def file_move(request, group_slug, file_id):
    group, file, refused = _editable_file(request, group_slug, file_id)
    if refused:
        return refused
    choices = _folder_choices(request, group)
    return _move(
        request, group, file, move=services.move_file, choices=choices, current_id=file.folder_id
    )


@login_required
@require_http_methods(["GET", "POST"])
def new_version(request, group_slug, file_id):
    group, file, refused = _editable_file(request, group_slug, file_id)
    if refused:
        return refused
    if request.method == "GET":
        return render(
            request,
            "files/version_form.html",
            _context(
                request,
                group,
                file=file,
                form=VersionForm(),
                trail=_trail(file.folder),
            ),
        )
    form = VersionForm(request.POST, request.FILES)

    def page_again(status):
        return _file_page(request, _file_context(request, group, file, version_form=form), status)

    if not form.is_valid():
        return page_again(400)
    try:
        outcome = idempotency.once(
            request.user,
            form.submission_key,
            lambda: services.add_version(request.user, file, form.cleaned_data["file"]),
            lambda made: file.get_absolute_url(),
        )
    except FilesError as error:
        form.add_error("file", error.message)
        return page_again(error.status)
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    messages.success(
        request,
        _("Version %(number)s is uploaded and is now the current one.")
        % {"number": outcome.made.number},
    )
    return redirect(outcome.url)


@login_required
@require_POST
def restore_version(request, group_slug, file_id, number):
    group, file, refused = _editable_file(request, group_slug, file_id)
    if refused:
        return refused
    version = get_object_or_404(FileVersion, file=file, number=number)
    try:
        services.restore_version(request.user, file, version)
    except FilesError as error:
        return refuse(request, error, _context(request, group, file=file, folder=file.folder))
    messages.success(
        request, _("Version %(number)s is the current one again.") % {"number": version.number}
    )
    return redirect(file.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def file_delete(request, group_slug, file_id):
    group = library_group_or_404(request, group_slug)
    file = _file_or_404(request, group, file_id)
    if not policies.may_delete(request.user, file):
        return _forbidden(
            request,
            group,
            _("Only who uploaded this file and the group's owners and admins can delete it."),
            file=file,
            folder=file.folder,
        )
    if request.method == "POST":
        try:
            services.trash_file(request.user, file)
        except FilesError as error:
            return refuse(request, error, _context(request, group, file=file, folder=file.folder))
        messages.success(request, _("“%(name)s” is in the trash.") % {"name": file.name})
        return redirect(file.folder.get_absolute_url())
    context = _context(
        request,
        group,
        file=file,
        trail=_trail(file.folder),
        trash_days=settings.MEENT_FILES_TRASH_DAYS,
    )
    return render(request, "files/file_delete.html", context)


# ---------------------------------------------------------------------------------------------
# The trash


def _days_left(deleted_at, now):
    """Whole days until the trash is emptied of it (at least 0)."""
    ends = deleted_at + datetime.timedelta(days=settings.MEENT_FILES_TRASH_DAYS)
    return max(0, math.ceil((ends - now).total_seconds() / 86400))


def _trash_page(request, group, status=200):
    folders, files = services.trash(group)
    folders = folders.annotate(
        file_count=Coalesce(
            Subquery(
                GroupFile.objects.filter(trashed_with=OuterRef("pk"))
                .order_by()
                .values("trashed_with")
                .annotate(count=Count("pk"))
                .values("count")
            ),
            0,
        )
    )
    now = timezone.now()
    items = [("folder", item) for item in folders] + [("file", item) for item in files]
    items.sort(key=lambda pair: pair[1].deleted_at, reverse=True)
    page = params.paginate(request, items, PER_PAGE)
    rows = [
        {"kind": kind, "item": item, "days_left": _days_left(item.deleted_at, now)}
        for kind, item in page.object_list
    ]
    context = _context(
        request, group, rows=rows, page_obj=page, trash_days=settings.MEENT_FILES_TRASH_DAYS
    )
    return render(request, "files/trash.html", context, status=params.status(request, status))


def _trash_group(request, group_slug):
    """The group, when the person may read its library (else 404: the trash is not theirs to
    know of); whether they may see the trash itself is asked after."""
    group = library_group_or_404(request, group_slug)
    if not can_read_content(request.user, group):
        raise Http404
    return group


@login_required
@require_GET
def trash(request, group_slug):
    group = _trash_group(request, group_slug)
    if not policies.may_restore(request.user, group):
        return _forbidden(
            request, group, _("Only the group's owners and admins can see the trash.")
        )
    return _trash_page(request, group)


def _in_trash(request, group_slug, *, not_allowed, choose):
    """(group, the file or folder in the trash that the POST names, None) or (group, None, the
    refusal: not the owners' or admins', nothing chosen, or no longer in the trash)."""
    group = _trash_group(request, group_slug)
    if not policies.may_restore(request.user, group):
        return group, None, _forbidden(request, group, not_allowed)
    form = TrashRestoreForm(request.POST)
    if not form.is_valid():
        messages.error(request, choose)
        return group, None, _trash_page(request, group, status=400)
    model = GroupFile if form.cleaned_data["kind"] == "file" else Folder
    item = (
        model.objects.filter(group=group, pk=form.cleaned_data["id"], deleted_at__isnull=False)
        .select_related("group")
        .first()
    )
    if item is None:
        messages.error(request, _("That is no longer in the trash."))
        return group, None, _trash_page(request, group, status=404)
    return group, item, None


@login_required
@require_POST
def trash_restore(request, group_slug):
    group, item, refused = _in_trash(
        request,
        group_slug,
        not_allowed=_("Only the group's owners and admins can restore from the trash."),
        choose=_("Choose something in the trash to restore."),
    )
    if refused:
        return refused
    model = type(item)
    old_name = item.name
    old_place = item.folder_id if model is GroupFile else item.parent_id
    try:
        if model is GroupFile:
            restored = services.restore_file(request.user, item)
        else:
            restored = services.restore_folder(request.user, item)
    except FilesError as error:
        messages.error(request, error.message)
        return _trash_page(request, group, status=error.status)
    new_place = restored.folder_id if model is GroupFile else restored.parent_id
    notes = []
    if restored.name != old_name:
        notes.append(
            _("The name “%(old)s” was taken, so it is called “%(new)s” now.")
            % {"old": old_name, "new": restored.name}
        )
    if new_place != old_place:
        notes.append(_("The folder it was in is gone, so it is in the top level of the files now."))
    messages.success(
        request, " ".join([_("“%(name)s” is restored.") % {"name": restored.name}, *notes])
    )
    return redirect(reverse("files:trash", args=[group.slug]))


@login_required
@require_POST
def trash_delete(request, group_slug):
    """Delete for good what is in the trash (owners and admins): its space is free at once."""
    group, item, refused = _in_trash(
        request,
        group_slug,
        not_allowed=_("Only the group's owners and admins can empty the trash."),
        choose=_("Choose something in the trash to delete for good."),
    )
    if refused:
        return refused
    name = item.name
    try:
        services.delete_from_trash(request.user, item)
    except FilesError as error:
        messages.error(request, error.message)
        return _trash_page(request, group, status=error.status)
    messages.success(request, _("“%(name)s” is deleted for good.") % {"name": name})
    return redirect(reverse("files:trash", args=[group.slug]))
