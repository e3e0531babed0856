"""The content digest's form on "What you follow" (activity/_digest_form.html), without a
change to that page's view."""

from django import template

from ..digest_views import form_for

register = template.Library()


@register.simple_tag(takes_context=True)
def digest_form(context):
    """The digest form with the signed-in person's choice."""
    return form_for(context["request"].user)
