from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def report_link(context, kind, obj, about="", author_id=None, css_class=""):
    """A "Report" link for signed-in people who may see ``obj`` (the page shows it, so they do)
    and did not write it themselves. ``about`` names it for screen readers. No query."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    if author_id is not None and author_id == user.pk:
        return ""
    url = reverse("moderation:report", args=[kind, obj.pk])
    return format_html(
        '<a class="report-link{}" href="{}">{}<span class="visually-hidden">: {}</span></a>',
        f" {css_class}" if css_class else "",
        url,
        _("Report"),
        about or _("report this"),
    )
