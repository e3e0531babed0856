from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Read-only: notifications are written by the platform, never by hand."""

    list_display = [
        "created_at",
        "recipient",
        "kind",
        "shown_text",
        "site",
        "read_at",
        "emailed_at",
    ]
    list_filter = ["kind"]
    list_select_related = ["recipient", "site"]
    search_fields = ["message", "text", "recipient__email"]
    date_hierarchy = "created_at"
    raw_id_fields = ["recipient", "actor"]

    @admin.display(description=_("text"))
    def shown_text(self, notification):
        # In the admin's own language, as the person would read it in theirs.
        return notification.display_text

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
