import operator

from django.utils.functional import SimpleLazyObject, new_method_proxy

from meent import access

from .models import Notification


class LazyInt(SimpleLazyObject):
    """An int computed on first use; behaves as the int in templates and in Python."""

    __int__ = new_method_proxy(int)
    __index__ = new_method_proxy(operator.index)
    __le__ = new_method_proxy(operator.le)
    __ge__ = new_method_proxy(operator.ge)
    __radd__ = new_method_proxy(lambda value, other: other + value)


def unread_count(request):
    """``notifications_unread``: how many unread notifications the signed-in person has.

    Counted only when a template uses it, so pages that do not show it run no query. Zero for
    visitors and for people who are inactive or suspended.
    """

    def count():
        user = getattr(request, "user", None)
        if not access.is_active_person(user):
            return 0
        return Notification.objects.filter(recipient_id=user.pk, read_at__isnull=True).count()

    return {"notifications_unread": LazyInt(count)}
