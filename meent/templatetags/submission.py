"""``{% submission_key %}``: the hidden submission key of a form that is only a button and
creates something (meent/idempotency.py); a Django form gets it from ``SubmissionKeyMixin``."""

import uuid

from django import template
from django.utils.html import format_html

from meent.idempotency import FIELD

register = template.Library()


@register.simple_tag
def submission_key():
    return format_html('<input type="hidden" name="{}" value="{}">', FIELD, uuid.uuid4())
