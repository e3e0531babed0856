"""The page tree of a wiki, built from one query whatever its size."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .models import WikiPage

TREE_FIELDS = ("pk", "parent_id", "title", "slug", "path", "position", "group_id", "edit_policy")


def ordered_pages(group, user) -> list[WikiPage]:
    """The pages of ``group`` that ``user`` may read, in tree order, each with ``depth``.

    A page whose parent the person may not read is shown at the top, so nothing they may read
    hides under something they may not.
    """
    pages = list(
        WikiPage.objects.visible_to(user)
        .filter(group=group)
        .only(*TREE_FIELDS)
        .order_by("position", "title")
    )
    by_parent: dict[int | None, list[WikiPage]] = {}
    present = {page.pk for page in pages}
    for page in pages:
        parent = page.parent_id if page.parent_id in present else None
        by_parent.setdefault(parent, []).append(page)
    ordered: list[WikiPage] = []
    stack = [(page, 0) for page in reversed(by_parent.get(None, []))]
    while stack:
        page, depth = stack.pop()
        page.depth = depth
        page.child_count = len(by_parent.get(page.pk, []))
        ordered.append(page)
        stack.extend((child, depth + 1) for child in reversed(by_parent.get(page.pk, [])))
    return ordered


def render_tree(pages: list[WikiPage], page_url, current_pk=None, controls=None) -> str:
    """Nested lists of links from ``ordered_pages``; ``controls(page)`` adds HTML after a link."""
    if not pages:
        return ""
    parts = ['<ul class="wiki-tree">']
    depth = 0
    for index, page in enumerate(pages):
        if index:
            if page.depth > depth:
                parts.append('<ul class="wiki-tree__children">')
            else:
                parts.append("</li>")
                parts.append("</ul></li>" * (depth - page.depth))
        depth = page.depth
        current = mark_safe(' aria-current="page"') if page.pk == current_pk else ""
        parts.append(format_html('<li><a href="{}"{}>{}</a>', page_url(page), current, page.title))
        if controls:
            parts.append(controls(page))
    parts.append("</li>" + "</ul></li>" * depth + "</ul>")
    # Every title went through format_html; the rest is our own markup.
    return mark_safe("".join(str(part) for part in parts))  # noqa: S308


def breadcrumbs(page: WikiPage, user) -> list[WikiPage]:
    """The readable pages above ``page``, from the top down, in one query."""
    paths = page.ancestor_paths
    if not paths:
        return []
    found = {
        ancestor.path: ancestor
        for ancestor in WikiPage.objects.visible_to(user)
        .filter(group_id=page.group_id, path__in=paths)
        .only(*TREE_FIELDS)
    }
    return [found[path] for path in paths if path in found]
