"""The guests' sign-up form on an event's page (``{% guest_signup_form event as guest_form %}``):
for visitors without an account, on a community event that takes guests and is open."""

from django import template

from events import guests, services
from events.guest_forms import GuestForm

register = template.Library()


@register.simple_tag(takes_context=True)
def guest_signup_form(context, event):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or user.is_authenticated:
        return None
    if not guests.takes_guests(event) or not services.is_open(event):
        return None
    context["guest_hours"] = guests.GUEST_CONFIRM_HOURS
    return GuestForm()
