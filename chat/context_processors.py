from django.utils.functional import SimpleLazyObject

from meent import access


def unread_chat(request):
    """The header's unread chat count; computed only when a template shows it."""
    user = getattr(request, "user", None)
    if not access.is_active_person(user):
        return {"chat_unread": 0}

    def total():
        from .services import unread_total

        return unread_total(user)

    return {"chat_unread": SimpleLazyObject(total)}
