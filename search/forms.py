"""The search form: what /search/ reads from its query string.

Nothing a person types makes the page fail: unknown or malformed filter values become messages
that name the filter (and the search runs without it, so the person still sees results), and
groups or people the person may not see are treated exactly like ones that do not exist.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from groups.models import Group
from meent.params import NumberField, PageField, QueryForm

from . import registry

MAX_PAGE = 10_000


@dataclass
class Filters:
    text: str = ""
    type: str = ""
    group: Group | None = None
    organisation: Organisation | None = None
    author: object = None
    date_from: date | None = None
    date_to: date | None = None
    page: int = 1
    # (filter label, message) for values that were ignored.
    errors: list[tuple[str, str]] = field(default_factory=list)
    # The raw values, to put back into the form.
    raw: dict[str, str] = field(default_factory=dict)

    @property
    def active(self) -> bool:
        return bool(
            self.type
            or self.group
            or self.organisation
            or self.author
            or self.date_from
            or self.date_to
        )


class SearchForm(QueryForm):
    """What /search/ reads. The form types slugs, numbers and dates, so that no malformed one
    (a NUL in a slug fails on PostgreSQL) reaches a query; ``read`` checks the type and whether
    the group, organisation or person is there for this person, and words every problem for the
    filter it concerns."""

    q = forms.Field(required=False)
    type = forms.Field(required=False)
    group = forms.SlugField(required=False, allow_unicode=True)
    organisation = forms.SlugField(required=False, allow_unicode=True)
    author = NumberField()
    from_ = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    to = forms.DateField(required=False, input_formats=["%Y-%m-%d"])
    page = PageField(label=_("Page"))


def _value(params, name, limit=200):
    value = params.get(name, "")
    return value.strip()[:limit] if isinstance(value, str) else ""


def read(params, user) -> Filters:
    """The filters of a query string (a QueryDict or dict), checked against what ``user`` may
    see. At most a handful of small indexed queries."""
    form = SearchForm(params)
    form.is_valid()
    valid = form.cleaned_data
    text = params.get("q", "")
    filters = Filters(text=text if isinstance(text, str) else "")
    names = ("type", "group", "organisation", "author", "from", "to")
    filters.raw = {name: _value(params, name) for name in names}
    raw = filters.raw

    if raw["type"]:
        if registry.get(raw["type"]) is not None and raw["type"] in registry.type_names():
            filters.type = raw["type"]
        else:
            filters.errors.append(
                (gettext("Type"), gettext("There is no type “%(value)s”.") % {"value": raw["type"]})
            )
    if raw["group"]:
        group = None
        if valid.get("group"):
            group = Group.objects.visible_to(user).filter(slug=valid["group"]).first()
        if group is None:
            filters.errors.append(
                (
                    gettext("Group"),
                    gettext("There is no group “%(value)s”, or you may not see it.")
                    % {"value": raw["group"]},
                )
            )
        filters.group = group
    if raw["organisation"]:
        organisation = None
        if valid.get("organisation"):
            organisation = Organisation.objects.filter(slug=valid["organisation"]).first()
        if organisation is None:
            filters.errors.append(
                (
                    gettext("Organisation"),
                    gettext("There is no organisation “%(value)s”.")
                    % {"value": raw["organisation"]},
                )
            )
        filters.organisation = organisation
    if raw["author"]:
        author = None
        if valid.get("author"):
            author = get_user_model().objects.filter(pk=valid["author"], is_active=True).first()
        if author is None:
            filters.errors.append(
                (
                    gettext("Author"),
                    gettext("There is no person with number “%(value)s”.")
                    % {"value": raw["author"]},
                )
            )
        filters.author = author
    for name, attribute, label in (
        ("from", "date_from", gettext("From")),
        ("to", "date_to", gettext("To")),
    ):
        if raw[name]:
            value = valid.get(name if name != "from" else "from_")
            if value is None:
                filters.errors.append(
                    (
                        label,
                        gettext("“%(value)s” is not a date; use a date like 2025-03-31.")
                        % {"value": raw[name]},
                    )
                )
            setattr(filters, attribute, value)
    if filters.date_from and filters.date_to and filters.date_from > filters.date_to:
        filters.errors.append((gettext("To"), gettext("The end date lies before the start date.")))
        filters.date_to = None
    for error in form.errors.get("page", ()):
        filters.errors.append((gettext("Page"), error))
    filters.page = min(valid.get("page") or 1, MAX_PAGE)
    return filters


def may_search_group(user, group) -> bool:
    """Whether a group's page offers a search within its content."""
    from groups.policies import can_read_content

    return can_read_content(user, group)
