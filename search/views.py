"""Search over HTTP: the results page and the suggestions while typing.

Everything shown comes from the backend (search/backends.py), which only ever returns, counts and
quotes entries that share an access label with the person. The page loads in a fixed number of
queries, however many entries match.
"""

from __future__ import annotations

import math

from django.http import JsonResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.models import Organisation
from groups.models import Group
from meent import sites

from . import registry
from .backends import MAX_QUERY_LENGTH, SearchQuery, with_fallback
from .forms import read

PER_PAGE = 20
MAX_SUGGESTIONS = 8
SUGGEST_TYPES = ("group", "wiki_page", "person")
GROUP_CHOICES_LIMIT = 200


class ResultPage:
    """What includes/pagination.html needs, for a page of search results."""

    def __init__(self, number, total, per_page):
        self.number = number
        self.paginator = self
        self.count = total
        self.num_pages = max(1, math.ceil(total / per_page))

    def has_other_pages(self):
        return self.num_pages > 1 and self.number <= self.num_pages

    def has_previous(self):
        return self.number > 1

    def has_next(self):
        return self.number < self.num_pages

    def previous_page_number(self):
        return self.number - 1

    def next_page_number(self):
        return self.number + 1


def _type_label(type_name):
    document = registry.get(type_name)
    return str(document.type_label or type_name) if document else type_name


def _url(params, **changes):
    """/search/?… with ``changes`` applied (None removes), empty values and the page left out."""
    query = {key: value for key, value in params.items() if value and key != "page"}
    for key, value in changes.items():
        if value in (None, ""):
            query.pop(key, None)
        else:
            query[key] = value
    return "?" + urlencode(query) if query else "?"


@require_GET
def search(request):
    filters = read(request.GET, request.user)
    # The values that were valid, as they go back into links and the form.
    params = {
        "q": filters.text[: MAX_QUERY_LENGTH + 100],
        "type": filters.type,
        "group": filters.group.slug if filters.group else "",
        "organisation": filters.organisation.slug if filters.organisation else "",
        "author": str(filters.author.pk) if filters.author else "",
        "from": filters.date_from.isoformat() if filters.date_from else "",
        "to": filters.date_to.isoformat() if filters.date_to else "",
    }
    search_query = SearchQuery(
        text=filters.text,
        user=request.user,
        types=(filters.type,) if filters.type else (),
        group_id=filters.group.pk if filters.group else None,
        organisation_id=filters.organisation.pk if filters.organisation else None,
        author_id=filters.author.pk if filters.author else None,
        site_id=sites.current_site_id(request),
        # The interface's language: a translated toolbox page in it only.
        language=get_language(),
        date_from=filters.date_from,
        date_to=filters.date_to,
        page=filters.page,
        per_page=PER_PAGE,
    )
    # The search server down: the database's answer, and a notice (search/_messages.html).
    results, limited = with_fallback(lambda backend: backend.search(search_query))
    page = ResultPage(filters.page, results.total, PER_PAGE)
    beyond = not results.empty and results.total > 0 and filters.page > page.num_pages
    facets = [
        {
            "type": type_name,
            "label": _type_label(type_name),
            "count": results.facets[type_name],
            "url": _url(params, type=type_name),
            "current": type_name == filters.type,
        }
        for type_name in registry.type_names()
        if results.facets.get(type_name)
    ]
    hits = [{"hit": hit, "type_label": _type_label(hit.type)} for hit in results.hits]
    active_filters = []
    if filters.type:
        active_filters.append((_("Type"), _type_label(filters.type), _url(params, type=None)))
    if filters.group:
        active_filters.append((_("Group"), filters.group.name, _url(params, group=None)))
    if filters.organisation:
        active_filters.append(
            (_("Organisation"), filters.organisation.name, _url(params, organisation=None))
        )
    if filters.author:
        active_filters.append((_("Author"), filters.author.display_name, _url(params, author=None)))
    if filters.date_from:
        active_filters.append((_("From"), filters.date_from, _url(params, **{"from": None})))
    if filters.date_to:
        active_filters.append((_("To"), filters.date_to, _url(params, to=None)))
    groups = list(
        Group.objects.visible_to(request.user)
        .on_site(sites.current_site(request))
        .order_by("name")
        .only("pk", "slug", "name")[:GROUP_CHOICES_LIMIT]
    )
    if filters.group and all(group.pk != filters.group.pk for group in groups):
        groups.insert(0, filters.group)
    context = {
        "filters": filters,
        "params": params,
        "results": results,
        "searched": not results.empty,
        "hits": hits,
        "facets": facets,
        "all_types_url": _url(params, type=None),
        "facet_total": sum(results.facets.values()),
        "page_obj": page,
        "first_number": (filters.page - 1) * PER_PAGE + 1,
        "beyond": beyond,
        "last_page_url": _url(params, page=page.num_pages) if beyond else "",
        "query": _url(params)[1:],
        "active_filters": active_filters,
        "widen_url": _url(params, group=None),
        "type_choices": [(name, _type_label(name)) for name in registry.type_names()],
        "group_choices": groups,
        "organisation_choices": list(Organisation.objects.only("pk", "slug", "name")),
        "max_length": MAX_QUERY_LENGTH,
        "search_limited": limited,
    }
    return render(request, "search/results.html", context)


@require_GET
def suggest(request):
    """Titles of groups, wiki pages and people the person may see, whose words start with what
    was typed: at most eight, from one query."""
    text = request.GET.get("q", "")
    rows = []
    if len(text.strip()) >= 2:
        rows, _limited = with_fallback(
            lambda backend: (
                backend.suggest(
                    text,
                    request.user,
                    SUGGEST_TYPES,
                    MAX_SUGGESTIONS,
                    site_id=sites.current_site_id(request),
                    language=get_language(),
                )
                if hasattr(backend, "suggest")
                else []
            )
        )
    suggestions = [
        {
            "title": row["title"],
            "url": row["url"],
            "type": row["type"],
            "type_label": _type_label(row["type"]),
        }
        for row in rows
    ]
    response = JsonResponse({"suggestions": suggestions})
    # What a person may see changes when they join or leave a group.
    response["Cache-Control"] = "private, no-store"
    return response
