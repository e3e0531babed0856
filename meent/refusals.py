"""A refused change: what every service raises when a person may not do something, or what they
sent cannot be saved, and the one way a view turns it into a page.

The message is for the person (translated when raised, in their language); ``status`` is the HTTP
status the page answers with; ``field``, when given, names the form field the message belongs to.
Each app names its own subclass (``BlogError``, ``WikiError``, ...) so a view catches only its
own refusals.
"""

from django.contrib import messages
from django.shortcuts import render


class Refused(Exception):
    def __init__(self, message, status=400, field=None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.field = field


def refuse(request, error: Refused, template: str, context=None):
    """The refusal as a message on ``template``, answered with the error's 4xx status."""
    messages.error(request, error.message)
    return render(request, template, context or {}, status=error.status)


def on_form(form, error: Refused, default_field=None):
    """Put the refusal on ``form``: on the field it names when the form shows that field (else on
    ``default_field``), or at the top of the form, where a hidden field's message is seen."""
    field = error.field if error.field in form.fields else default_field
    if field is not None and (field not in form.fields or form.fields[field].widget.is_hidden):
        field = None
    form.add_error(field, error.message)
