from django.utils.functional import SimpleLazyObject

from meent import access

from .models import Notification


def unread_count(request):
    """``notifications_unread``: how many unread notifications the signed-in person has.

    Counted only when a template uses it, so pages that do not show it run no query.
    """

    def count():
        user = getattr(request, "user", None)
        if not access.is_active_person(user):
            return 0
        return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()

    return {"notifications_unread": SimpleLazyObject(count)}
