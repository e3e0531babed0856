"""The access policy's rule for people (see meent/access.py).

Like the profile page (accounts.views.profile): the profile of every active person is public;
a deactivated person's is seen by nobody. The profile picture (``may_see_picture``) follows the
profile, unless a moderator hid it or the person is suspended.
"""

from django.db.models import Q

from meent import access

from .models import User


@access.register(User)
class PersonPolicy(access.Policy):
    def labels(self, person):
        return frozenset({access.PUBLIC}) if person.is_active else frozenset()

    def visible_q(self, user):
        return Q(is_active=True)

    def can_edit(self, user, person):
        return user.pk == person.pk


def may_see_picture(user, person) -> bool:
    """Whoever may see the profile sees its picture, except when the person is suspended (seen by
    nobody: a suspended person is signed out as well) or a moderator hid their profile (seen only
    by the person themselves, like the rest of their hidden words)."""
    if not person.is_active or person.is_suspended:
        return False
    if person.profile_hidden_at is not None:
        return access.is_active_person(user) and user.pk == person.pk
    return access.can_view(user, person)
