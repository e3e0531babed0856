from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

register = template.Library()


def reported_by(request, user):
    """The (kind, id) pairs ``user`` has an open report about: one query per request, however
    many report links the page shows, kept on the request."""
    cached = getattr(request, "_meent_reported", None) if request is not None else None
    if cached is not None:
        return cached
    from moderation.models import Flag, Report

    cached = set(
        Flag.objects.filter(reporter=user, report__status=Report.Status.OPEN).values_list(
            "report__kind", "report__object_id"
        )
    )
    if request is not None:
        request._meent_reported = cached
    return cached


@register.simple_tag(takes_context=True)
def report_link(context, kind, obj, about="", author_id=None, css_class=""):
    """A "Report" link for signed-in people who may see ``obj`` (the page shows it, so they do)
    and did not write it themselves; "You reported this" while their own report is open, so
    nobody is offered to report the same thing twice. ``about`` names it for screen readers."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    if author_id is not None and author_id == user.pk:
        return ""
    classes = f"report-link{f' {css_class}' if css_class else ''}"
    if (kind, obj.pk) in reported_by(context.get("request"), user):
        return format_html(
            '<span class="{} report-link--done">{}<span class="visually-hidden">: {}</span></span>',
            classes,
            _("You reported this"),
            about or _("report this"),
        )
    url = reverse("moderation:report", args=[kind, obj.pk])
    return format_html(
        '<a class="{}" href="{}">{}<span class="visually-hidden">: {}</span></a>',
        classes,
        url,
        _("Report"),
        about or _("report this"),
    )


@register.simple_tag(takes_context=True)
def reported_ids(context, kind):
    """The ids of the ``kind`` items the signed-in person has an open report about, separated by
    spaces: for pages whose script draws the report links (the chat). The same one query."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return ""
    reported = reported_by(context.get("request"), user)
    return " ".join(str(pk) for reported_kind, pk in sorted(reported) if reported_kind == kind)
