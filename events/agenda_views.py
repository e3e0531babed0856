"""The agendas: the community's (a list by day and a month table), a person's and a group's tab.

Every list is ``Event.objects.visible_to(user)`` narrowed further (the community's host, a
group, a person), expanded into occurrences by events/agenda.py in a constant number of
queries. Query parameters are read through forms (meent/params.py): a bad one is a message and
a 400, never a 500.
"""

import calendar
import datetime
import re

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS, WEEKDAYS_ABBR
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from accounts.models import Organisation
from groups.context import group_page_context
from groups.models import Group
from groups.views import visible_group_or_404
from meent import params, sites
from meent.params import NumberField, QueryForm

from . import agenda, policies
from .models import Event

PER_PAGE = 25
FIRST_YEAR = 1970
LAST_YEAR = 2100
WHEN = (("upcoming", gettext_lazy("Upcoming")), ("past", gettext_lazy("Past")))


class WhenQuery(QueryForm):
    """?when=past: what has been, the latest first (upcoming when absent)."""

    when = forms.ChoiceField(label=gettext_lazy("When"), choices=WHEN, required=False)


class AgendaQuery(WhenQuery):
    """/events/?group=<slug>&organisation=<id>: a group's events, or those organised by people
    of an organisation. A slug or id that matches nothing lists nothing."""

    group = forms.SlugField(
        label=gettext_lazy("Group"), required=False, allow_unicode=True, max_length=100
    )
    organisation = NumberField(label=gettext_lazy("Organisation"))


class MonthField(forms.Field):
    """A month written as 2027-03, from 1970 to 2100."""

    default_error_messages = {
        "invalid": gettext_lazy("“%(value)s” is not a month: write it as 2027-03."),
        "range": gettext_lazy("Choose a month from 1970 to 2100."),
    }

    def to_python(self, value):
        text = value.strip() if isinstance(value, str) else value
        if text in self.empty_values:
            return None
        match = re.fullmatch(r"(\d{4})-(\d{2})", text) if text.isascii() else None
        if match is None or not 1 <= int(match[2]) <= 12:
            raise forms.ValidationError(
                self.error_messages["invalid"],
                code="invalid",
                params={"value": params._quoted(text)},
            )
        year = int(match[1])
        if not FIRST_YEAR <= year <= LAST_YEAR:
            raise forms.ValidationError(self.error_messages["range"], code="range")
        return datetime.date(year, int(match[2]), 1)


class MonthQuery(QueryForm):
    month = MonthField(label=gettext_lazy("Month"), required=False)


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _switch(request, url, chosen):
    """The upcoming / past links, keeping the other parameters (but the page)."""
    query = request.GET.copy()
    query.pop("page", None)
    links = []
    for value, label in WHEN:
        query.pop("when", None)
        if value == "past":
            query["when"] = value
        links.append(
            {
                "label": label,
                "url": url + (f"?{query.urlencode()}" if query else ""),
                "current": value == chosen,
            }
        )
    return links


def _listing(request, events, query):
    """The page of upcoming or past occurrences (``query["when"]``), grouped by day."""
    past = query.get("when") == "past"
    items = agenda.past(events) if past else agenda.upcoming(events)
    page = params.paginate(request, items, PER_PAGE)
    return {
        "page_obj": page,
        "days": agenda.by_day(agenda.with_details(page.object_list, request.user)),
        "past": past,
        "query": _query_without_page(request),
        "this_year": timezone.localdate().year,
    }


@require_GET
def community_agenda(request):
    visible = Event.objects.visible_to(request.user).on_site(sites.current_site(request))
    query = params.read(request, AgendaQuery).cleaned_data
    events = visible
    if query.get("group"):
        events = events.filter(group__slug=query["group"])
    if query.get("organisation"):
        events = events.filter(organiser__organisation_id=query["organisation"])
    # The choices name only groups and organisations with events this person may see.
    groups = list(
        Group.objects.filter(pk__in=visible.values("group_id"))
        .order_by("name")
        .values_list("slug", "name")
    )
    organisations = list(
        Organisation.objects.filter(pk__in=visible.values("organiser__organisation_id"))
        .order_by("name")
        .values_list("pk", "name")
    )
    context = _listing(request, events, query)
    context.update(
        {
            "switch": _switch(request, reverse("events:agenda"), query.get("when") or "upcoming"),
            "groups": groups,
            "organisations": organisations,
            "chosen_group": query.get("group") or "",
            "chosen_organisation": query.get("organisation"),
            "filtered": bool(query.get("group") or query.get("organisation")),
            "may_organise": policies.may_organise_in(request.user, None),
        }
    )
    return render(request, "events/agenda.html", context, status=params.status(request))


@login_required
@require_GET
def my_agenda(request):
    query = params.read(request, WhenQuery).cleaned_data
    events = agenda.mine(request.user).on_site(sites.current_site(request))
    context = _listing(request, events, query)
    context["switch"] = _switch(request, reverse("events:mine"), query.get("when") or "upcoming")
    return render(request, "events/mine.html", context, status=params.status(request))


@require_GET
def group_agenda(request, group_slug):
    group = visible_group_or_404(request, group_slug)
    if not group.events_enabled:
        raise Http404(_("This group has no agenda."))
    context = group_page_context(request.user, group)
    context["tab"] = "agenda"
    context["may_organise"] = policies.may_organise_in(request.user, group)
    if not context["can_read"]:
        return render(request, "events/group_agenda.html", context, status=403)
    query = params.read(request, WhenQuery).cleaned_data
    events = Event.objects.visible_to(request.user).filter(group=group)
    context.update(_listing(request, events, query))
    url = reverse("group_agenda", args=[group.slug])
    context["switch"] = _switch(request, url, query.get("when") or "upcoming")
    return render(request, "events/group_agenda.html", context, status=params.status(request))


def _month_link(first):
    if not FIRST_YEAR <= first.year <= LAST_YEAR:
        return None
    return reverse("events:month") + "?" + urlencode({"month": first.strftime("%Y-%m")})


@require_GET
def month(request):
    """A month as a table of weeks; each day its events."""
    query = params.read(request, MonthQuery).cleaned_data
    today = timezone.localdate()
    first = query.get("month") or today.replace(day=1)
    following = (first + datetime.timedelta(days=31)).replace(day=1)
    previous = (first - datetime.timedelta(days=1)).replace(day=1)
    zone = timezone.get_current_timezone()
    since = datetime.datetime.combine(first, datetime.time.min, tzinfo=zone)
    until = datetime.datetime.combine(following, datetime.time.min, tzinfo=zone)
    events = Event.objects.visible_to(request.user).on_site(sites.current_site(request))
    by_day = {}
    for entry in agenda.entries(events, since, until):
        for day in entry.days():
            if first <= day < following:
                by_day.setdefault(day, []).append(entry)
    weeks = [
        [
            {
                "date": day,
                "in_month": day.month == first.month,
                "today": day == today,
                "entries": by_day.get(day, []) if day.month == first.month else [],
            }
            for day in week
        ]
        for week in calendar.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month)
    ]
    context = {
        "first": first,
        "weeks": weeks,
        "weekdays": [(WEEKDAYS[number], WEEKDAYS_ABBR[number]) for number in range(7)],
        "previous_url": _month_link(previous),
        "next_url": _month_link(following),
        "previous": previous,
        "following": following,
        "this_month_url": None if first == today.replace(day=1) else reverse("events:month"),
        "count": sum(len(day["entries"]) for week in weeks for day in week),
    }
    return render(request, "events/month.html", context, status=params.status(request))
