from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


@register_setting(icon="cog")
class CommunitySettings(BaseSiteSetting):
    """How a community (a Wagtail Site) runs, set by its operators in the admin."""

    class GroupCreation(models.TextChoices):
        EVERYONE = "everyone", _("Everyone who is signed in")
        STAFF = "staff", _("Only staff")

    group_creation = models.CharField(
        _("who may create groups"),
        max_length=10,
        choices=GroupCreation.choices,
        default=GroupCreation.EVERYONE,
    )

    class DirectMessages(models.TextChoices):
        SHARED_GROUP = "shared_group", _("People who share a group")
        ANYONE = "anyone", _("Anyone who is signed in")

    direct_messages = models.CharField(
        _("who may start a direct conversation with whom"),
        max_length=12,
        choices=DirectMessages.choices,
        default=DirectMessages.SHARED_GROUP,
    )

    class Meta:
        verbose_name = _("community settings")
