"""Query-string parameters, read through forms: a bad value is a message, never a 500.

A view reads typed parameters (numbers, ids, pages) only through a ``QueryForm``:

- ``read(request, Form)`` binds it to the query string and validates it. Each invalid parameter
  becomes an error message on the page, is left out of ``cleaned_data`` (the page is shown as
  without it) and makes ``status(request)`` 400: the person stays on the page they were on, told
  what was wrong, and a client sees that the request was bad.
- ``bind(request, Form)`` validates without messages, for a view that answers in its own words
  (JSON, or a refusal page of its own).
- ``paginate(request, items, per_page)``: a page number that is not one is the first page (400,
  with a message); a page beyond the end is the last page, with a note but no error, since a link
  to page 7 goes stale whenever the list shrinks.

Numbers are checked before any query is made: ids and pages are digits only ("1.5", "-1", "1e3"
and "½" are refused) and at most ``MAX_ID``, the largest a database column holds. Numbers in the
path are ``<id:…>`` (meent/converters.py), and a path with a control character is refused by
``ControlCharacterMiddleware`` below.
tests/security/test_parameters.py greps our views for other ways of reading ``request.GET``.
"""

import re

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from meent.converters import MAX_ID

# A refused value is quoted in the message up to this many characters.
QUOTE_LENGTH = 40
_PROBLEMS = "_meent_query_problems"


def _quoted(value):
    value = str(value)
    return value if len(value) <= QUOTE_LENGTH else value[:QUOTE_LENGTH] + "…"


class QueryForm(forms.Form):
    """A form over a query string. A field whose name ends in "_" reads the parameter without
    it: ``from_`` reads ``?from=`` (a Python keyword)."""

    def add_prefix(self, field_name):
        return super().add_prefix(field_name.removesuffix("_"))

    @classmethod
    def parameters(cls):
        """The names this form reads from a query string."""
        return [name.removesuffix("_") for name in cls.base_fields]

    def problems(self):
        """One sentence per invalid parameter: what it is and what is wrong with it."""
        texts = []
        for name, errors in self.errors.items():
            field = self.fields.get(name)
            label = field.label if field is not None and field.label else name
            for error in errors:
                texts.append(gettext("%(label)s: %(problem)s") % {"label": label, "problem": error})
        return texts


class NumberField(forms.Field):
    """A whole number from ``min_value`` to ``MAX_ID``, written in digits only."""

    default_error_messages = {"invalid": _("“%(value)s” is not a valid number.")}

    def __init__(self, *, min_value=1, required=False, blank=True, **kwargs):
        """``blank=False``: "?before=" is refused, only a missing parameter is no number."""
        self.min_value = min_value
        self.blank = blank
        super().__init__(required=required, **kwargs)

    def to_python(self, value):
        value = value.strip() if isinstance(value, str) else value
        if value == "" and not self.blank:
            raise self._invalid(value)
        if value in self.empty_values:
            return None
        # Python's int() also takes "١٢", " 1_000" and thousands of digits; none is an id.
        text = str(value)
        if not (text.isascii() and text.isdigit() and len(text) <= len(str(MAX_ID))):
            raise self._invalid(text)
        number = int(text)
        if not self.min_value <= number <= MAX_ID:
            raise self._invalid(text)
        return number

    def _invalid(self, text):
        return ValidationError(
            self.error_messages["invalid"], code="invalid", params={"value": _quoted(text)}
        )


class PageField(NumberField):
    """A page number: 1 or more. Any number of digits is a page (beyond the end, see
    ``paginate``)."""

    default_error_messages = {"invalid": _("“%(value)s” is not a page number.")}

    def to_python(self, value):
        text = value.strip() if isinstance(value, str) else value
        digits = isinstance(text, str) and text.isascii() and text.isdigit()
        if digits and len(text.lstrip("0")) > len(str(MAX_ID)):
            return MAX_ID  # 99999999999999999999: a page beyond any end
        return super().to_python(text)


class IdChoiceField(forms.ModelChoiceField):
    """A row chosen by its id: a value that cannot be an id is refused without a query."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            NumberField().to_python(value)
        except ValidationError:
            raise ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": _quoted(value)},
            ) from None
        return super().to_python(value)


class PageForm(QueryForm):
    page = PageField(label=_("Page"))


class AdminPageForm(QueryForm):
    """Wagtail's admin calls the page number ``p``."""

    p = PageField(label=_("Page"))


def bind(request, form_class, **kwargs):
    """``form_class`` bound to the query string and validated; nothing told to the person."""
    form = form_class(request.GET, **kwargs)
    form.is_valid()
    return form


def read(request, form_class, **kwargs):
    """``form_class`` bound to the query string and validated; each problem is an error message
    for the person, and makes ``status(request)`` 400."""
    form = bind(request, form_class, **kwargs)
    if form.errors:
        setattr(request, _PROBLEMS, True)
        for text in form.problems():
            messages.error(request, text)
    return form


def status(request, default=200):
    """400 when ``read`` found a bad parameter in this request (and nothing worse was found)."""
    return 400 if getattr(request, _PROBLEMS, False) and default < 400 else default


def paginate(request, items, per_page, form_class=PageForm):
    """The page of ``items`` the query string asks for (see the module's docstring). The same
    queries as ``Paginator.get_page``: one count, one page."""
    form = read(request, form_class)
    name = next(iter(form.fields))
    number = form.cleaned_data.get(name) or 1
    paginator = Paginator(items, per_page)
    if number > paginator.num_pages:
        last = paginator.num_pages
        messages.info(
            request,
            ngettext(
                "There is no page %(number)s: there is %(count)s page, shown here.",
                "There is no page %(number)s: there are %(count)s pages; this is the last one.",
                last,
            )
            % {"number": _quoted(form.data.get(form.add_prefix(name), number)), "count": last},
        )
        number = last
    return paginator.page(number)


# C0 control characters and DEL: in no address of ours.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class ControlCharacterMiddleware:
    """An address whose path holds a control character is nobody's: 400, with a page that says
    so, before any lookup. A NUL above all: PostgreSQL refuses it in text, so a wiki page path or
    an invitation token with one failed with a 500. (Query strings are read by forms, whose text
    fields refuse a NUL themselves.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _CONTROL.search(request.path_info):
            return render(request, "meent/bad_address.html", status=400)
        return self.get_response(request)
