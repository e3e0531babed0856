"""Wagtail profiles speak their person's language (accounts/language.py): the profiles made
before take it, so Wagtail's workflow e-mails are no longer written in the sender's language."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def copy_language(apps, schema_editor):
    UserProfile = apps.get_model("wagtailusers", "UserProfile")
    User = apps.get_model("accounts", "User")
    UserProfile.objects.filter(
        preferred_language="", user__language__in=["nl", "en"]
    ).update(
        preferred_language=Subquery(User.objects.filter(pk=OuterRef("user_id")).values("language"))
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_mention_key"),
        ("wagtailusers", "__latest__"),
    ]

    operations = [migrations.RunPython(copy_language, migrations.RunPython.noop)]
