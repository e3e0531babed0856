"""The access policy's rule for people (see meent/access.py).

Like the profile page (accounts.views.profile): the profile of every active person is public;
a deactivated person's is seen by nobody.
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
