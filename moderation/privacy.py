"""The reports a person made (privacy/registry.py)."""

from django.utils.translation import gettext_lazy as _

from privacy.registry import PrivacyPart, iso, register

from .models import Flag


def reports(user, files):
    rows = Flag.objects.filter(reporter=user).select_related("report")
    return [
        {
            # What was reported, in the person's language (the export is built in it).
            "item": f.report.label,
            "reason": f.reason,
            "text": f.text,
            "status": f.report.status,
            "date": iso(f.created_at),
        }
        for f in rows
    ]


register(
    PrivacyPart(
        "reports",
        _("Reports you made"),
        120,
        export=reports,
        held=lambda user: Flag.objects.filter(reporter=user),
    )
)
