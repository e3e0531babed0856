"""A person's profile values (privacy/registry.py): exported with their field and community,
counted, and removed with the account."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.registry import PrivacyPart, iso, register

from .models import ProfileValue
from .services import erase_values


def export(user, files):
    rows = (
        ProfileValue.objects.filter(user=user)
        .select_related("field__site")
        .order_by("field__site_id", "field__order", "field_id")
    )
    return [
        {
            "community": value.field.site.site_name or value.field.site.hostname,
            "field": value.field.key,
            "label": value.field.label,
            "kind": value.field.kind,
            "visible_to": value.field.visibility,
            "value": value.value,
            "tags": value.tags or None,
            "updated": iso(value.updated_at),
        }
        for value in rows
    ]


def plan(user):
    count = ProfileValue.objects.filter(user=user).count()
    if not count:
        return []
    return [
        ngettext(
            "%(count)s answer of yours in a profile field is deleted.",
            "%(count)s answers of yours in profile fields are deleted.",
            count,
        )
        % {"count": count}
    ]


def erase(user, erasure):
    erase_values(user)


register(
    PrivacyPart(
        "profile_values",
        _("Profile fields"),
        17,
        export=export,
        held=lambda user: ProfileValue.objects.filter(user=user),
        plan=plan,
        erase=erase,
    )
)
