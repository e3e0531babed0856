import hashlib
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from groups.context import group_page_context
from groups.views import visible_group_or_404
from meent import access, idempotency, params, refusals
from meent.idempotency import SubmissionKeyForm
from meent.media import is_public, serve_stored_file
from meent.mentions import unreached_in_html, warn_writer

from . import policies, services
from .forms import CompareQuery, MoveForm, NewPageForm, NewPageQuery, PageForm, UploadForm
from .models import WikiAttachment, WikiPage, WikiRevision, WikiWatch
from .rendering import (
    add_heading_ids,
    diff_html,
    find_wikilinks,
    html_to_markdown,
    render_wikilinks,
    title_key,
)
from .tree import breadcrumbs, ordered_pages, render_tree

REVISIONS_PER_PAGE = 50
RENDER_CACHE_SECONDS = 24 * 60 * 60


def wiki_group_or_404(request, group_slug):
    group = visible_group_or_404(request, group_slug)
    if not group.wiki_enabled:
        raise Http404(_("This group has no wiki."))
    return group


def page_or_404(request, group, page_id):
    return get_object_or_404(
        WikiPage.objects.visible_to(request.user).select_related("group", "updated_by"),
        pk=page_id,
        group=group,
    )


def refuse(request, error, context, template="wiki/refused.html"):
    return refusals.refuse(request, error, template, context)


def _context(request, group, **extra):
    context = group_page_context(request.user, group)
    context["tab"] = "wiki"
    context["may_create"] = access.is_active_person(request.user) and policies.may_create_pages(
        request.user, group
    )
    context.update(extra)
    return context


def _create_url(group, title, parent=None):
    query = {"title": title}
    if parent is not None:
        query["parent"] = parent.pk
    return f"{reverse('wiki:create', args=[group.slug])}?{urlencode(query)}"


def _link_targets(request, group, titles):
    """URL per title key of the linked pages this reader may see (one query)."""
    if not titles:
        return {}
    return {
        page.title_key: page.get_absolute_url()
        for page in WikiPage.objects.visible_to(request.user)
        .filter(group=group, title_key__in=[title_key(t) for t in titles])
        .select_related("group")
        .only("title_key", "path", "group__slug")
    }


def render_body(request, group, html):
    """Stored (already cleaned) HTML with its [[links]] resolved for this reader."""
    targets = _link_targets(request, group, find_wikilinks(html))
    # The stored HTML was cleaned on save and the links are built from escaped parts.
    linked = render_wikilinks(html, targets, lambda title: _create_url(group, title))
    return mark_safe(linked)  # noqa: S308


def render_page_body(request, group, page):
    """A page's body with its links resolved for this reader, ids on its headings, and the
    table of contents they make.

    Parsing a long page costs tens of milliseconds, so the result is cached per revision, per
    set of resolved links (what this reader may see of the linked pages) and per language (the
    "create it" text is translated). A new revision or a linked page appearing gives a new key.
    """
    links_key = f"wiki:links:{page.pk}:{page.revision_number}"
    titles = cache.get(links_key)
    if titles is None:
        titles = find_wikilinks(page.body)
        cache.set(links_key, titles, RENDER_CACHE_SECONDS)
    targets = _link_targets(request, group, titles)
    fingerprint = hashlib.sha256(
        json.dumps(sorted(targets.items()), ensure_ascii=False).encode()
    ).hexdigest()[:16]
    body_key = (
        f"wiki:body:{page.pk}:{page.revision_number}:{get_language()}:{group.slug}:{fingerprint}"
    )
    rendered = cache.get(body_key)
    if rendered is None:
        linked = render_wikilinks(page.body, targets, lambda title: _create_url(group, title))
        rendered = add_heading_ids(linked)
        cache.set(body_key, rendered, RENDER_CACHE_SECONDS)
    body, toc = rendered
    return mark_safe(body), toc  # noqa: S308 (cleaned on save; links built from escaped parts)


# ---------------------------------------------------------------------------------------------
# Reading


@require_GET
def wiki_index(request, group_slug):
    group = wiki_group_or_404(request, group_slug)
    pages = ordered_pages(group, request.user)
    context = _context(request, group, pages=pages)
    editable = context["may_create"]

    def controls(page):
        page.group = group  # known already: no query per page
        if not editable or not access.can_edit(request.user, page):
            return ""
        return render_to_string(
            "wiki/_shift_controls.html", {"page": page, "group": group}, request=request
        )

    context["tree"] = render_tree(
        pages, lambda page: reverse("wiki:page", args=[group.slug, page.path]), controls=controls
    )
    return render(request, "wiki/index.html", context)


@require_GET
def page_view(request, group_slug, page_path):
    group = wiki_group_or_404(request, group_slug)
    page = get_object_or_404(
        WikiPage.objects.visible_to(request.user).select_related("updated_by"),
        group=group,
        path=page_path.strip("/"),
    )
    page.group = group
    body, toc = render_page_body(request, group, page)
    children = list(
        WikiPage.objects.visible_to(request.user)
        .filter(group=group, parent=page)
        .only("title", "path", "group_id")
        .order_by("position", "title")
    )
    for child in children:
        child.group = group
    watching = (
        access.is_active_person(request.user)
        and WikiWatch.objects.filter(page=page, user=request.user).exists()
    )
    context = _context(
        request,
        group,
        page=page,
        body=body,
        toc=toc,
        breadcrumbs=breadcrumbs(page, request.user),
        children=children,
        can_edit=access.can_edit(request.user, page),
        can_delete=access.can_moderate(request.user, page) and not group.is_archived,
        watching=watching,
    )
    return render(request, "wiki/page.html", context)


# ---------------------------------------------------------------------------------------------
# Writing


@login_required
@require_http_methods(["GET", "POST"])
def page_create(request, group_slug):
    group = wiki_group_or_404(request, group_slug)
    if group.is_archived or not policies.may_create_pages(request.user, group):
        error = services.WikiError(
            _("This group is archived: its wiki can no longer change.")
            if group.is_archived
            else _("Only members of the group can write in its wiki."),
            409 if group.is_archived else 403,
        )
        return refuse(request, error, _context(request, group))
    parents = ordered_pages(group, request.user)
    form_kwargs = {
        "parents": parents,
        "manage": policies.can_manage(request.user, group),
        "closed_group": group.is_closed,
    }
    if request.method == "POST":
        form = NewPageForm(request.POST, **form_kwargs)
        if form.is_valid():
            data = form.cleaned_data
            parent = None
            if data["parent"]:
                parent = next((p for p in parents if p.pk == data["parent"]), None)
            try:
                outcome = idempotency.once(
                    request.user,
                    form.submission_key,
                    lambda: services.create_page(
                        request.user,
                        group,
                        title=data["title"],
                        body=data["body"],
                        parent=parent,
                        slug=data["slug"],
                        visibility=data.get("visibility") or _default_visibility(group),
                        edit_policy=data.get("edit_policy") or WikiPage.EditPolicy.MEMBERS,
                        summary=data["summary"],
                    ),
                    lambda page: page.get_absolute_url(),
                )
            except services.WikiError as error:
                refusals.on_form(form, error)
                status = error.status
            else:
                if outcome.repeat:
                    return idempotency.repeated(request, outcome)
                messages.success(request, _("The page is saved."))
                _tell_about_mentions(request, outcome.made)
                return redirect(outcome.url)
        else:
            status = 400
        return _render_form(request, group, form, status=status)
    # A malformed parent is left out, with a message and a 400 (meent/params.py).
    query = params.read(request, NewPageQuery).cleaned_data
    initial = {
        "title": (query.get("title") or "")[:200],
        "parent": query.get("parent") or "",
        "visibility": _default_visibility(group),
    }
    form = NewPageForm(initial=initial, **form_kwargs)
    return _render_form(request, group, form, status=params.status(request))


def _tell_about_mentions(request, page):
    """The @names in the saved page that reach nobody, or people who may not read it."""
    nobody, unreadable = unreached_in_html(
        page.body, lambda person: access.can_view(person, page), author=request.user
    )
    warn_writer(request, nobody, unreadable)


def _render_form(request, group, form, status=200, **extra):
    form.fields["body"].widget.attrs.update(
        {
            "data-upload-url": reverse("wiki:upload", args=[group.slug]),
            "data-wiki-titles-url": reverse("wiki:titles", args=[group.slug]),
            "data-mentions-url": reverse("accounts:mention_suggestions"),
        }
    )
    if group.files_enabled:  # the link dialog offers the group's files
        form.fields["body"].widget.attrs["data-files-url"] = reverse(
            "files:pick", args=[group.slug]
        )
    context = _context(request, group, form=form, **extra)
    return render(request, "wiki/page_form.html", context, status=status)


def _default_visibility(group):
    return WikiPage.Visibility.GROUP if group.is_closed else WikiPage.Visibility.PUBLIC


@login_required
@require_http_methods(["GET", "POST"])
def page_edit(request, group_slug, page_id):
    group = wiki_group_or_404(request, group_slug)
    page = page_or_404(request, group, page_id)
    if not access.can_edit(request.user, page):
        error = services.WikiError(
            _("This group is archived: its wiki can no longer change.")
            if group.is_archived
            else _("You may not edit this page."),
            409 if group.is_archived else 403,
        )
        return refuse(request, error, _context(request, group, page=page))
    form_kwargs = {
        "manage": policies.can_manage(request.user, group),
        "closed_group": group.is_closed,
    }
    conflict = None
    if request.method == "POST":
        form = PageForm(request.POST, **form_kwargs)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                revision = services.save_page(
                    request.user,
                    page,
                    base_revision=data["base_revision"],
                    title=data["title"],
                    body=data["body"],
                    summary=data["summary"],
                    visibility=data.get("visibility"),
                    edit_policy=data.get("edit_policy"),
                )
            except services.WikiConflict as error:
                conflict = _conflict_context(request, error, data)
                # The next save is based on what the person has now seen.
                fresh = request.POST.copy()
                fresh["base_revision"] = str(error.page.revision_number)
                form = PageForm(fresh, **form_kwargs)
                form.is_valid()
                page = error.page
                status = 409
                messages.error(request, error.message)
            except services.WikiError as error:
                refusals.on_form(form, error)
                status = error.status
            else:
                if revision is None:
                    messages.info(request, _("Nothing changed, so no new revision was saved."))
                else:
                    messages.success(request, _("The page is saved."))
                page.refresh_from_db()
                if revision is not None:
                    _tell_about_mentions(request, page)
                return redirect(page.get_absolute_url())
        return _render_form(request, group, form, status=status, page=page, conflict=conflict)
    form = PageForm(
        initial={
            "title": page.title,
            "body": page.body,
            "base_revision": page.revision_number,
            "visibility": page.visibility,
            "edit_policy": page.edit_policy,
        },
        **form_kwargs,
    )
    return _render_form(request, group, form, page=page)


def _conflict_context(request, error, data):
    current = error.page
    base = (
        WikiRevision.objects.filter(page=current, number=error.base_revision)
        .only("body", "number")
        .first()
    )
    from meent.sanitize import clean_html

    yours = clean_html(data["body"])
    return {
        "current": current,
        "base_number": base.number if base else None,
        "meanwhile": diff_html(base.body if base else "", current.body),
        "yours": diff_html(current.body, yours),
        "current_body": render_body(request, current.group, current.body),
    }


@login_required
@require_POST
def page_restore(request, group_slug, page_id, number):
    group = wiki_group_or_404(request, group_slug)
    page = page_or_404(request, group, page_id)
    form = SubmissionKeyForm(request.POST)
    try:
        if not form.is_valid():
            raise services.WikiError(" ".join(form.non_field_errors()), 400)
        # Restoring makes a new revision: sent twice, it would make two.
        outcome = idempotency.once(
            request.user,
            form.submission_key,
            lambda: services.restore_revision(request.user, page, number),
            lambda _revision: page.get_absolute_url(),
        )
    except services.WikiError as error:
        return refuse(request, error, _context(request, group, page=page))
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    messages.success(
        request, _("Revision %(number)s is the current text again.") % {"number": number}
    )
    return redirect(outcome.url)


@login_required
@require_http_methods(["GET", "POST"])
def page_move(request, group_slug, page_id):
    group = wiki_group_or_404(request, group_slug)
    page = page_or_404(request, group, page_id)
    if not access.can_edit(request.user, page):
        error = services.WikiError(_("You may not move this page."), 403)
        return refuse(request, error, _context(request, group, page=page))
    everything = ordered_pages(group, request.user)
    # Offer only places that make sense; the service refuses the others all the same.
    parents = [p for p in everything if p.pk != page.pk and not p.path.startswith(page.path + "/")]
    status = 200
    if request.method == "POST":
        form = MoveForm(request.POST, parents=everything)
        if form.is_valid():
            data = form.cleaned_data
            parent = None
            if data["parent"]:
                parent = next((p for p in everything if p.pk == data["parent"]), None)
            try:
                page = services.move_page(
                    request.user,
                    page,
                    parent=parent,
                    index=data["position"] - 1,
                    slug=data["slug"],
                )
            except services.WikiError as error:
                refusals.on_form(form, error)
                status = error.status
            else:
                messages.success(request, _("The page has moved."))
                return redirect(page.get_absolute_url())
        else:
            status = 400
        form.fields["parent"].choices = MoveForm(parents=parents).fields["parent"].choices
    else:
        form = MoveForm(
            initial={"parent": page.parent_id or "", "position": page.position, "slug": page.slug},
            parents=parents,
        )
    context = _context(request, group, page=page, form=form)
    return render(request, "wiki/page_move.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def page_delete(request, group_slug, page_id):
    group = wiki_group_or_404(request, group_slug)
    page = page_or_404(request, group, page_id)
    if request.method == "POST":
        try:
            services.delete_page(request.user, page)
        except services.WikiError as error:
            return refuse(request, error, _context(request, group, page=page))
        messages.success(request, _("“%(title)s” is deleted.") % {"title": page.title})
        return redirect("wiki:index", group.slug)
    if not access.can_moderate(request.user, page):
        error = services.WikiError(_("Only the group's owners and admins can delete pages."), 403)
        return refuse(request, error, _context(request, group, page=page))
    has_children = WikiPage.objects.filter(parent=page).exists()
    context = _context(request, group, page=page, has_children=has_children)
    return render(request, "wiki/page_delete.html", context)


@login_required
@require_POST
def page_shift(request, group_slug, page_id):
    group = wiki_group_or_404(request, group_slug)
    page = page_or_404(request, group, page_id)
    step = -1 if request.POST.get("direction") == "up" else 1
    try:
        services.shift_page(request.user, page, step)
    except services.WikiError as error:
        return refuse(request, error, _context(request, group, page=page))
    messages.success(request, _("“%(title)s” has moved.") % {"title": page.title})
    return redirect(reverse("wiki:index", args=[group.slug]) + f"#page-{page.pk}")


@login_required
@require_POST
def page_watch(request, group_slug, page_id):
    group = wiki_group_or_404(request, group_slug)
    page = page_or_404(request, group, page_id)
    watching = request.POST.get("watch") == "1"
    try:
        services.set_watching(request.user, page, watching)
    except services.WikiError as error:
        return refuse(request, error, _context(request, group, page=page))
    messages.success(
        request,
        _("You follow this page: changes appear in your notifications.")
        if watching
        else _("You no longer follow this page."),
    )
    return redirect(page.get_absolute_url())


# ---------------------------------------------------------------------------------------------
# History


@require_GET
def page_history(request, group_slug, page_id):
    group = wiki_group_or_404(request, group_slug)
    page = page_or_404(request, group, page_id)
    revisions = (
        WikiRevision.objects.filter(page=page)
        .select_related("author")
        .defer("body")
        .order_by("-number")
    )
    page_obj = params.paginate(request, revisions, REVISIONS_PER_PAGE)
    context = _context(
        request,
        group,
        page=page,
        revisions=page_obj,
        page_obj=page_obj,
        can_edit=access.can_edit(request.user, page),
        numbers=range(page.revision_number, 0, -1),
    )
    return render(request, "wiki/history.html", context, status=params.status(request))


@require_GET
def revision_view(request, group_slug, page_id, number):
    group = wiki_group_or_404(request, group_slug)
    page = page_or_404(request, group, page_id)
    revision = get_object_or_404(
        WikiRevision.objects.select_related("author"), page=page, number=number
    )
    context = _context(
        request,
        group,
        page=page,
        revision=revision,
        body=render_body(request, group, revision.body),
        can_edit=access.can_edit(request.user, page),
    )
    return render(request, "wiki/revision.html", context)


@require_GET
def page_compare(request, group_slug, page_id):
    group = wiki_group_or_404(request, group_slug)
    page = page_or_404(request, group, page_id)
    newest = page.revision_number
    # Revision numbers in range before any query; a bad one is refused below, in our words.
    query = params.bind(request, CompareQuery)
    old_number = new_number = None
    if query.is_valid():
        old_number = query.cleaned_data["from_"] or max(newest - 1, 1)
        new_number = query.cleaned_data["to"] or newest
    found = {}
    if old_number is not None and new_number is not None:
        found = {
            revision.number: revision
            for revision in WikiRevision.objects.filter(
                page=page, number__in=[old_number, new_number]
            ).select_related("author")
        }
    if old_number not in found or new_number not in found:
        error = services.WikiError(
            _("Choose two revisions of this page, between 1 and %(newest)s.") % {"newest": newest},
            400,
        )
        return refuse(request, error, _context(request, group, page=page))
    if old_number > new_number:
        old_number, new_number = new_number, old_number
    old, new = found[old_number], found[new_number]
    context = _context(
        request,
        group,
        page=page,
        old=old,
        new=new,
        diff=diff_html(old.body, new.body),
        title_diff=diff_html(f"<p>{_escape(old.title)}</p>", f"<p>{_escape(new.title)}</p>")
        if old.title != new.title
        else None,
        numbers=range(newest, 0, -1),
    )
    return render(request, "wiki/compare.html", context)


def _escape(text):
    from django.utils.html import escape

    return escape(text)


# ---------------------------------------------------------------------------------------------
# Export


@require_GET
def page_export(request, group_slug, page_id, fmt):
    group = wiki_group_or_404(request, group_slug)
    page = page_or_404(request, group, page_id)
    if fmt == "md":
        text = f"# {page.title}\n\n{html_to_markdown(page.body)}"
        response = HttpResponse(text, content_type="text/markdown; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{page.slug}.md"'
        return response
    if fmt not in ("html", "print"):
        raise Http404
    body, toc = render_page_body(request, group, page)
    context = {"group": group, "page": page, "body": body, "toc": toc, "print": fmt == "print"}
    response = render(request, "wiki/export.html", context)
    if fmt == "html":
        response["Content-Disposition"] = f'attachment; filename="{page.slug}.html"'
    return response


# ---------------------------------------------------------------------------------------------
# For the editor: page titles and uploads


@require_GET
def page_titles(request, group_slug):
    group = wiki_group_or_404(request, group_slug)
    titles = list(
        WikiPage.objects.visible_to(request.user)
        .filter(group=group)
        .order_by("title")
        .values_list("title", flat=True)
    )
    return JsonResponse({"titles": titles})


@require_POST
def attachment_upload(request, group_slug):
    if not access.is_active_person(request.user):
        return JsonResponse({"error": _("Sign in to upload files.")}, status=401)
    group = wiki_group_or_404(request, group_slug)
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return JsonResponse({"error": _("Choose a file to upload.")}, status=400)
    try:
        attachment = services.add_attachment(request.user, group, form.cleaned_data["file"])
    except services.WikiError as error:
        return JsonResponse({"error": error.message}, status=error.status)
    attachment.group = group
    return JsonResponse(
        {
            "url": attachment.get_absolute_url(),
            "name": attachment.name,
            "is_image": attachment.is_image,
        },
        status=201,
    )


@require_GET
def attachment_download(request, group_slug, key, name):
    group = wiki_group_or_404(request, group_slug)
    attachment = get_object_or_404(
        WikiAttachment.objects.visible_to(request.user), group=group, key=key
    )
    if name != attachment.name:
        raise Http404
    # Meent's file headers (meent/media.py); a file missing from storage is a 404.
    return serve_stored_file(
        attachment.file,
        public=is_public(attachment),
        filename=attachment.name,
        content_type=attachment.content_type,
        request=request,  # streamed over ASGI too, not read whole into memory
    )
