"""Serving a group's files: a file's current version, one version for good, a preview in the
page, a folder as a ZIP, and the editors' file picker.

Every response asks the access policy first (``visible_to``): a file or folder a person may not
see, an unknown one, one in the trash or in a group whose files tab is off, a name in the address
that is not the file's, a version that does not exist: all the same 404, so the address tells
nobody what exists. What belongs to another community is served on its own host.
"""

from django import forms
from django.conf import settings
from django.http import Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from groups.context import group_page_context
from meent import access, params, ratelimit, refusals, sites
from meent.media import (
    INLINE_CONTENT_TYPES,
    PDF_FRAME_HEADERS,
    SANDBOX_POLICY,
    serve_stored_file,
    streamed,
)
from meent.media import is_public as anyone_may_see

from . import zipstream
from .models import FileVersion, Folder, GroupFile, name_key
from .services import FilesError
from .views import library_group_or_404

# Folder downloads are heavy (every file read from storage): a person gets this many an hour.
ZIPS_PER_HOUR = 10
ZIP_WINDOW = 3600
PICKED = 20
PICK_QUERY_MAX = 100
PDF = "application/pdf"


def _group_or_redirect(request, group_slug):
    """The group if the person may see it (else 404), and a redirect to its community's host
    when the request came to another one."""
    group = library_group_or_404(request, group_slug)
    return group, sites.redirect_to_site(request, group.site_id)


def _file_or_404(request, group, file_id):
    return get_object_or_404(
        GroupFile.objects.visible_to(request.user).select_related("group", "folder", "current"),
        group=group,
        pk=file_id,
    )


def _public(file) -> bool:
    """Whether anonymous visitors may see the file: only then may shared caches keep it."""
    return anyone_may_see(file)


@require_safe
def download(request, group_slug, file_id, name):
    """The current version, as a download named as the file is now. An old name (a link made
    before a rename) leads to the current one."""
    group, elsewhere = _group_or_redirect(request, group_slug)
    if elsewhere:
        return elsewhere
    file = _file_or_404(request, group, file_id)
    if file.current is None:
        raise Http404
    if name != file.name:
        return redirect(file.download_url())
    return serve_stored_file(
        file.current.stored,
        public=_public(file),
        filename=file.name,
        content_type=file.current.content_type,
        inline=False,
        request=request,
    )


@require_safe
def version(request, group_slug, file_id, number, name):
    """One version, for good: the address names the version and the name it was uploaded as."""
    group, elsewhere = _group_or_redirect(request, group_slug)
    if elsewhere:
        return elsewhere
    file = _file_or_404(request, group, file_id)
    found = FileVersion.objects.filter(file=file, number=number, name=name).first()
    if found is None:
        raise Http404
    return serve_stored_file(
        found.stored,
        public=_public(file),
        filename=found.name,
        content_type=found.content_type,
        inline=False,
        request=request,
    )


@require_safe
def preview(request, group_slug, file_id, number):
    """A version shown in the file's page: a picture as an image, a PDF in the browser's own
    viewer (framed by our page only, meent.media.PDF_FRAME_HEADERS). Text is shown by the page
    itself, escaped; anything else has no preview (404)."""
    group, elsewhere = _group_or_redirect(request, group_slug)
    if elsewhere:
        return elsewhere
    file = _file_or_404(request, group, file_id)
    found = FileVersion.objects.filter(file=file, number=number).first()
    if found is None:
        raise Http404
    is_pdf = found.content_type == PDF
    if not is_pdf and found.content_type not in INLINE_CONTENT_TYPES:
        raise Http404
    return serve_stored_file(
        found.stored,
        public=_public(file),
        filename=found.name,
        content_type=found.content_type,
        inline=True,
        headers=PDF_FRAME_HEADERS if is_pdf else None,
        request=request,
    )


# ---------------------------------------------------------------------------------------------
# A folder as a ZIP


def zip_entries(user, folder):
    """What ``user`` may see under ``folder`` (itself excluded), as ZIP entries: directories
    before their contents, a folder the person may not see left out with everything under it,
    nothing from the trash. Two queries, however deep the tree."""
    folders = list(
        Folder.objects.visible_to(user)
        .filter(group_id=folder.group_id, path__startswith=folder.path, depth__gt=folder.depth)
        .only("id", "name", "path", "parent_id", "created_at")
    )
    paths = {folder.pk: ()}
    # By depth, so a parent's path is known before its children's; a parent that is not in
    # ``paths`` (not visible, or trashed) leaves its children out too.
    for child in sorted(folders, key=lambda f: (f.path.count("/"), f.name.casefold())):
        if child.parent_id in paths:
            paths[child.pk] = (*paths[child.parent_id], child.name)
    files = list(
        GroupFile.objects.visible_to(user)
        .filter(folder_id__in=list(paths), current__isnull=False)
        .select_related("current")
        .order_by("folder_id", "name_key")
    )
    entries = [
        zipstream.Entry(path=path, modified=child.created_at)
        for child in folders
        if (path := paths.get(child.pk))
    ]
    entries.sort(key=lambda entry: [part.casefold() for part in entry.path])
    for file in files:
        stored = file.current.stored
        entries.append(
            zipstream.Entry(
                path=(*paths[file.folder_id], file.name),
                modified=file.current.created_at,
                size=file.current.size,
                content_type=file.current.content_type,
                open=lambda stored=stored: stored.storage.open(stored.name, "rb"),
            )
        )
    return entries


def _zip_name(folder) -> str:
    name = folder.name if not folder.is_root else folder.group.name
    return f"{zipstream.safe_part(name)}.zip"


def _refuse_zip(request, group, folder, error):
    context = group_page_context(request.user, group)
    context.update({"tab": "files", "folder": folder})
    return refusals.refuse(request, error, "files/refused.html", context)


@require_safe
def folder_zip(request, group_slug, folder_id):
    group, elsewhere = _group_or_redirect(request, group_slug)
    if elsewhere:
        return elsewhere
    folder = get_object_or_404(
        Folder.objects.visible_to(request.user).select_related("group"), group=group, pk=folder_id
    )
    entries = zip_entries(request.user, folder)
    total = sum(entry.size for entry in entries)
    limit = settings.MEENT_FILES_ZIP_MAX_BYTES
    if total > limit:
        message = _(
            "This folder holds %(size)s, more than the %(limit)s that can be downloaded at once. "
            "Download its subfolders one by one, or the files themselves."
        ) % {"size": filesizeformat(total), "limit": filesizeformat(limit)}
        return _refuse_zip(request, group, folder, FilesError(message, 413))
    who = request.user.pk if access.is_active_person(request.user) else ratelimit.client_ip(request)
    if not ratelimit.hit(f"files:zip:{who}", ZIPS_PER_HOUR, ZIP_WINDOW):
        message = _(
            "You downloaded many folders in the last hour. Try again later, or download the "
            "files one by one."
        )
        return _refuse_zip(request, group, folder, FilesError(message, 429))
    response = StreamingHttpResponse(
        streamed(request, zipstream.stream(entries)), content_type="application/zip"
    )
    # The same archive differs per person: never in a shared cache.
    response["Content-Disposition"] = _attachment(_zip_name(folder))
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = SANDBOX_POLICY
    response["Cache-Control"] = "private, no-store"
    return response


def _attachment(filename: str) -> str:
    """``attachment`` with the name, also non-ASCII (RFC 6266), as Django's FileResponse says it."""
    return content_disposition_header(as_attachment=True, filename=filename)


# ---------------------------------------------------------------------------------------------
# The editors' file picker


class PickForm(params.QueryForm):
    q = forms.CharField(
        label=gettext_lazy("Search"), required=False, max_length=PICK_QUERY_MAX, strip=True
    )

    def clean_q(self):
        typed = self.cleaned_data["q"]
        if any(not character.isprintable() for character in typed):
            raise forms.ValidationError(_("Leave out control characters."))
        return typed


@require_safe
def pick(request, group_slug):
    """Files of the group that the person may see, for the rich-text editors' link dialog:
    JSON ``{files: [{id, name, folder, url, page}]}``, at most twenty, newest first, filtered by
    ``?q=`` (part of the name). Two queries."""
    group, elsewhere = _group_or_redirect(request, group_slug)
    if elsewhere:
        return elsewhere
    form = params.bind(request, PickForm)
    if form.errors:
        return JsonResponse({"error": " ".join(form.problems())}, status=400)
    files = GroupFile.objects.visible_to(request.user).filter(group=group, current__isnull=False)
    typed = form.cleaned_data.get("q", "")
    if typed:
        files = files.filter(name_key__contains=name_key(typed))
    files = list(files.select_related("folder").order_by("-updated_at", "-pk")[:PICKED])
    folder_names = _folder_names(files)
    return JsonResponse(
        {
            "files": [
                {
                    "id": file.pk,
                    "name": file.name,
                    "folder": _folder_label(file, folder_names),
                    "url": reverse("files:download", args=[group.slug, file.pk, file.name]),
                    "page": reverse("files:file", args=[group.slug, file.pk]),
                }
                for file in files
            ]
        }
    )


def _folder_label(file, names) -> str:
    """``Notulen/2026``: the folders from the root (which has no name) down to the file's."""
    ids = [*file.folder.ancestor_ids(), file.folder_id]
    return "/".join(names[pk] for pk in ids if pk in names)


def _folder_names(files) -> dict[int, str]:
    """The names of the folders on the way to each file, in one query (from their paths)."""
    ids = set()
    for file in files:
        ids.update(file.folder.ancestor_ids())
        ids.add(file.folder_id)
    return dict(Folder.objects.filter(pk__in=ids, parent__isnull=False).values_list("pk", "name"))
