"""The community's profile fields on the profile page and its edit form (accounts' profile
parts, accounts/forms.py: accounts does not import this app)."""

from accounts.forms import register_profile_part
from meent import sites

from .forms import ProfileValuesForm
from .models import ProfileField, ProfileValue


def visible_values(reader, person, site):
    """The values of ``person`` for the fields of community ``site`` that ``reader`` may see,
    in the fields' order (one query)."""
    return (
        ProfileValue.objects.visible_to(reader)
        .filter(user=person, field__site_id=site["id"] or None)
        .select_related("field")
        .order_by("field__order", "field_id")
    )


class ProfileFieldsPart:
    def form(self, request, data=None):
        fields = list(ProfileField.objects.on_site(sites.current_site(request)))
        if not fields:
            return None
        return ProfileValuesForm(fields, request.user, data=data)

    def section(self, request, person):
        values = list(visible_values(request.user, person, sites.current_site(request)))
        if not values:
            return None
        return {
            "template": "people/profile_values.html",
            "stylesheet": "people/people.css",
            "values": values,
        }


PART = ProfileFieldsPart()


def connect():
    register_profile_part(PART)
