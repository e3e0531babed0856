"""The access policy's rule for profile values (see meent/access.py).

A value is seen by whoever its field's visibility names: everyone, everyone signed in, or the
people of the person's own organisation (a person without an organisation: only themselves).
The person always sees their own. A moderator hid the profile: only the person sees its values,
like the rest of its own words (accounts.views.profile). A deactivated person's: nobody.
Staff see what any signed-in person sees: a value is no less personal for being read by staff.

The same rule answers for one value (``labels``), for many (``visible_q``) and for the directory's
tag rows (``tag_q``), so the profile, the directory listing and its search cannot disagree.
"""

from django.db.models import Q

from meent import access

from .models import ProfileField, ProfileValue

Visibility = ProfileField.Visibility


def _visible_q(user, field="field__", person="user__", person_id="user_id"):
    shown = Q(**{f"{field}visibility": Visibility.PUBLIC})
    if access.is_active_person(user):
        shown |= Q(**{f"{field}visibility": Visibility.LOGGED_IN})
        if user.organisation_id:
            shown |= Q(
                **{
                    f"{field}visibility": Visibility.ORGANISATION,
                    f"{person}organisation_id": user.organisation_id,
                }
            )
    shown &= Q(**{f"{person}is_active": True, f"{person}profile_hidden_at__isnull": True})
    if access.is_active_person(user):
        shown |= Q(**{person_id: user.pk})
    return shown


def tag_q(user):
    """The tag rows (``ProfileTag``) whose value ``user`` may see."""
    return _visible_q(user)


@access.register(ProfileValue)
class ProfileValuePolicy(access.Policy):
    def labels(self, value):
        person = value.user
        if not person.is_active:
            return frozenset()
        own = frozenset({access.user_label(person.pk)})
        if person.profile_hidden_at is not None:
            return own
        visibility = value.field.visibility
        if visibility == Visibility.PUBLIC:
            return own | {access.PUBLIC}
        if visibility == Visibility.LOGGED_IN:
            return own | {access.LOGGED_IN}
        if person.organisation_id:
            return own | {access.org_label(person.organisation_id)}
        return own

    def visible_q(self, user):
        return _visible_q(user)

    def can_edit(self, user, value):
        return user.pk == value.user_id
