from django.utils.functional import SimpleLazyObject

from meent import access


def unread_chat(request):
    """The header's unread chat count, of the rooms this community's chat lists (its groups'
    rooms and direct conversations); computed only when a template shows it."""
    user = getattr(request, "user", None)
    if not access.is_active_person(user):
        return {"chat_unread": 0}

    def total():
        from meent.sites import current_site

        from .services import unread_total

        return unread_total(user, current_site(request))

    return {"chat_unread": SimpleLazyObject(total)}
