"""The access policy: the one answer to "may this person see or do this?".

Every list, detail view, feed, search query, notification, chat subscription and export asks this
module; no view filters visibility by hand. One set of rules produces three things that therefore
cannot disagree:

- ``labels_for_user(user)`` and ``labels_for(obj)``: access labels (``public``, ``logged_in``,
  ``org:<id>``, ``group:<id>``, ``user:<id>``). A person may see an object when the two share a
  label. The search index stores ``labels_for(obj)`` and filters on ``labels_for_user(user)``.
- ``can_view(user, obj)`` answers for one object from those labels.
- ``Model.objects.visible_to(user)`` answers for many with a query that the test matrix checks
  against ``can_view`` object by object.

Each model registers a policy (``register``) that knows its labels, its query and who may edit or
moderate it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

PUBLIC = "public"
LOGGED_IN = "logged_in"


def org_label(organisation_id) -> str:
    return f"org:{organisation_id}"


def group_label(group_id) -> str:
    return f"group:{group_id}"


def user_label(user_id) -> str:
    return f"user:{user_id}"


class Visibility(models.TextChoices):
    """Who may see a piece of content, from the most open to the most closed."""

    PUBLIC = "public", _("Everyone, also without signing in")
    LOGGED_IN = "logged_in", _("Everyone who is signed in")
    ORGANISATION = "organisation", _("People of my organisation")
    GROUP = "group", _("Members of the group")
    PRIVATE = "private", _("Only me and the people I name")


# ---------------------------------------------------------------------------------------------
# People


def is_active_person(user) -> bool:
    """Signed in, active and not suspended. Everyone else sees what anonymous visitors see."""
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and not getattr(user, "is_suspended", False)
    )


def is_moderator(user) -> bool:
    """A moderator (or superuser) with two-factor sign-in set up: moderators need it, also for
    what they may do outside the admin (which asks for it before it opens)."""
    if not is_active_person(user):
        return False
    if not (user.is_superuser or settings.MEENT_MODERATORS_GROUP in _group_names(user)):
        return False
    return has_two_factor(user)


def has_two_factor(user) -> bool:
    """Whether the person set up an authenticator app (TOTP); cached on the user object."""
    cached = getattr(user, "_meent_two_factor", None)
    if cached is None:
        from allauth.mfa.models import Authenticator

        cached = Authenticator.objects.filter(
            user_id=user.pk, type=Authenticator.Type.TOTP
        ).exists()
        user._meent_two_factor = cached
    return cached


def _group_names(user) -> frozenset[str]:
    cached = getattr(user, "_meent_auth_group_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._meent_auth_group_names = cached
    return cached


# Where a person's roles per group come from: the groups app tells (GroupsConfig.ready), so the
# core does not import it. A function of a user id -> (group id, role) pairs, one query.
_group_roles_of = None


def provide_group_roles(function) -> None:
    global _group_roles_of
    _group_roles_of = function


def member_group_ids(user) -> frozenset[int]:
    """The ids of the groups a person belongs to, cached on the user object for the request."""
    if not is_active_person(user):
        return frozenset()
    cached = getattr(user, "_meent_member_group_ids", None)
    if cached is None:
        cached = frozenset(group_roles(user))
    return cached


def group_roles(user) -> dict[int, str]:
    """A person's role per group id (``owner``, ``admin``, ``member``), cached on the user object."""
    if not is_active_person(user):
        return {}
    cached = getattr(user, "_meent_group_roles", None)
    if cached is None:
        cached = dict(_group_roles_of(user.pk)) if _group_roles_of else {}
        user._meent_group_roles = cached
        user._meent_member_group_ids = frozenset(cached)
    return cached


def forget_memberships(user) -> None:
    """Call after changing someone's memberships within the same request."""
    for attribute in ("_meent_member_group_ids", "_meent_group_roles"):
        if hasattr(user, attribute):
            delattr(user, attribute)


def labels_for_user(user) -> frozenset[str]:
    if not is_active_person(user):
        return frozenset({PUBLIC})
    labels = {PUBLIC, LOGGED_IN, user_label(user.pk)}
    if user.organisation_id:
        labels.add(org_label(user.organisation_id))
    labels.update(group_label(group_id) for group_id in member_group_ids(user))
    return frozenset(labels)


# ---------------------------------------------------------------------------------------------
# Policies


class Policy:
    """What a model's policy answers. Subclasses implement the three questions."""

    def labels(self, obj) -> frozenset[str]:
        raise NotImplementedError

    def visible_q(self, user) -> models.Q:
        raise NotImplementedError

    def can_edit(self, user, obj) -> bool:
        return False

    def can_moderate(self, user, obj) -> bool:
        return is_moderator(user)


_policies: dict[type, Policy] = {}


def register(model):
    """Class decorator: ``@access.register(Group)`` on a Policy subclass."""

    def decorator(policy_class):
        _policies[model] = policy_class()
        return policy_class

    return decorator


def policy_for(obj_or_model) -> Policy:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    for klass in model.__mro__:
        if klass in _policies:
            return _policies[klass]
    raise LookupError(f"No access policy is registered for {model.__name__}.")


def labels_for(obj) -> frozenset[str]:
    return policy_for(obj).labels(obj)


def can_view(user, obj) -> bool:
    return bool(labels_for_user(user) & labels_for(obj))


def can_edit(user, obj) -> bool:
    return is_active_person(user) and policy_for(obj).can_edit(user, obj)


def can_moderate(user, obj) -> bool:
    return is_active_person(user) and policy_for(obj).can_moderate(user, obj)


class AccessQuerySet(models.QuerySet):
    """Querysets of access-controlled models: ``Model.objects.visible_to(user)``."""

    def visible_to(self, user):
        return self.filter(policy_for(self.model).visible_q(user))
