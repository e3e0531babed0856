"""The platform's own parts of what Meent holds about a person: the profile and its e-mail
addresses, notifications, and the person's downloads of their data (registry.py)."""

from allauth.account.models import EmailAddress
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from notifications.models import Notification, email_preferences

from .models import DataExport
from .registry import PrivacyPart, absolute, iso, register


def profile(user, files):
    emails = EmailAddress.objects.filter(user=user).order_by("-primary", "email")
    return {
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "email_addresses": [
            {"email": a.email, "primary": a.primary, "verified": a.verified} for a in emails
        ],
        "organisation": user.organisation.name if user.organisation_id else None,
        "job_title": user.job_title,
        "about": user.about,
        "avatar": files.add("avatar", user.avatar),
        "avatar_description": user.avatar_alt,
        "joined": iso(user.date_joined),
        "last_login": iso(user.last_login),
        "notification_email_preferences": email_preferences(user),
        "profile": absolute(user.get_absolute_url()),
    }


def erase_profile(user, erasure):
    erasure.delete_file(user.avatar)


def notifications(user, files):
    from notifications.emails import root_url

    rows = Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    return [
        {
            "kind": n.kind,
            # As the person reads it (the export is built in their language), and what is
            # stored: the message and its parameters.
            "text": n.display_text,
            "message": n.message or None,
            "parameters": n.params or None,
            # On the host of the community it belongs to.
            "link": root_url(n.site_id) + n.url if n.url.startswith("/") else n.url,
            "date": iso(n.created_at),
            "read": iso(n.read_at),
        }
        for n in rows
    ]


def erase_data_exports(user, erasure):
    # The rows go with the person; their ZIPs leave storage once that is committed.
    for export in DataExport.objects.filter(user=user):
        transaction.on_commit(export.delete_file)


register(PrivacyPart("profile", _("Your profile"), 10, export=profile, erase=erase_profile))
register(
    PrivacyPart(
        "email_addresses",
        _("E-mail addresses"),
        15,
        held=lambda user: EmailAddress.objects.filter(user=user),
    )
)
register(
    PrivacyPart(
        "notifications",
        _("Notifications"),
        110,
        export=notifications,
        held=lambda user: Notification.objects.filter(recipient=user),
    )
)
register(
    PrivacyPart("data_exports", DataExport._meta.verbose_name_plural, 130, erase=erase_data_exports)
)
