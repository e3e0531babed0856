"""Everything that changes a group's membership, in one place, with its rules.

Views call these functions and turn ``GroupActionError`` into a message and a 4xx status; each
function runs in a transaction and locks the rows it decides on, so two admins approving the same
request at once, or two owners leaving at once, cannot break the rules.
"""

from datetime import timedelta

from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from meent import access
from meent.refusals import Refused

from .models import Activity, Group, Invitation, JoinRequest, Membership


class GroupActionError(Refused):
    """A refused action in a group (meent/refusals.py)."""


def _notify(recipient, kind, message, url, *, group, params=None, actor=None):
    # Notifications are optional at this layer: the app may not be installed in every setup.
    try:
        from notifications import notify
    except ImportError:  # pragma: no cover
        return None
    # The message key and plain values: each person reads it in their own language, and it
    # leads to the group's community.
    params = {"group": group.name, **(params or {})}
    return notify(recipient, kind, message, url, params=params, actor=actor, community=group)


def _record(group, verb, actor, subject=None):
    Activity.objects.create(group=group, verb=verb, actor=actor, subject=subject)
    group.touch()


def _ensure_writable(group):
    if group.is_archived:
        raise GroupActionError(_("This group is archived: nothing in it can change."), 409)


def _lock(group):
    return Group.objects.select_for_update().get(pk=group.pk)


def _owner_count(group):
    return Membership.objects.filter(group=group, role=Membership.Role.OWNER).count()


def create_group(creator, group):
    """Save a new group (an unsaved instance, e.g. from GroupForm) with its creator as owner."""
    with transaction.atomic():
        group.created_by = creator
        group.save()
        Membership.objects.create(group=group, user=creator, role=Membership.Role.OWNER)
        _record(group, Activity.Verb.CREATED, creator)
    access.forget_memberships(creator)
    return group


def _add_member(group, user, role=Membership.Role.MEMBER):
    try:
        with transaction.atomic():
            membership = Membership.objects.create(group=group, user=user, role=role)
    except IntegrityError as error:
        raise GroupActionError(_("You are already a member of this group."), 409) from error
    access.forget_memberships(user)
    return membership


def join(group, user):
    """Join an open group at once."""
    with transaction.atomic():
        group = _lock(group)
        _ensure_writable(group)
        if group.membership_policy != Group.MembershipPolicy.OPEN:
            raise GroupActionError(_("This group cannot be joined directly."), 403)
        membership = _add_member(group, user)
        _record(group, Activity.Verb.JOINED, user)
    return membership


def request_to_join(group, user, message=""):
    with transaction.atomic():
        group = _lock(group)
        _ensure_writable(group)
        if group.membership_policy != Group.MembershipPolicy.REQUEST:
            raise GroupActionError(_("This group does not take join requests."), 403)
        if Membership.objects.filter(group=group, user=user).exists():
            raise GroupActionError(_("You are already a member of this group."), 409)
        if JoinRequest.objects.filter(group=group, user=user, status="pending").exists():
            raise GroupActionError(
                _("You have already asked to join; the admins will answer."), 409
            )
        join_request = JoinRequest.objects.create(group=group, user=user, message=message.strip())
        admins = [
            m.user
            for m in Membership.objects.filter(
                group=group, role__in=Membership.MANAGING_ROLES
            ).select_related("user")
        ]

    def tell_admins():
        for admin in admins:
            _notify(
                admin,
                "join_request",
                "groups.join_request",
                f"{group.get_absolute_url()}requests/",
                group=group,
                params={"person": user.display_name},
                actor=user,
            )

    transaction.on_commit(tell_admins)
    return join_request


def withdraw_join_request(group, user):
    """The person takes back their waiting request to join: it is no longer among the admins'
    pending requests and they may ask again. Not an audited change: nothing was decided."""
    with transaction.atomic():
        group = _lock(group)
        join_request = (
            JoinRequest.objects.select_for_update()
            .filter(group=group, user=user, status=JoinRequest.Status.PENDING)
            .first()
        )
        if join_request is None:
            raise GroupActionError(_("You have no request to join this group that waits."), 409)
        join_request.status = JoinRequest.Status.WITHDRAWN
        join_request.decided_at = timezone.now()
        join_request.save(update_fields=["status", "decided_at"])
    return join_request


def decide_join_request(join_request, admin, approve, reason=""):
    with transaction.atomic():
        join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
        group = _lock(join_request.group)
        _ensure_writable(group)
        if join_request.status != JoinRequest.Status.PENDING:
            raise GroupActionError(_("This request has already been answered."), 409)
        join_request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.REFUSED
        join_request.decided_by = admin
        join_request.decided_at = timezone.now()
        join_request.reason = reason.strip()
        join_request.save()
        if approve and not Membership.objects.filter(group=group, user=join_request.user).exists():
            _add_member(group, join_request.user)
            _record(group, Activity.Verb.JOINED, join_request.user)
    person = join_request.user
    message = "groups.join_approved" if approve else "groups.join_refused"
    url = group.get_absolute_url() if approve else "/groups/"
    reason = {"reason": join_request.reason}
    transaction.on_commit(
        lambda: _notify(
            person, "join_decision", message, url, group=group, params=reason, actor=admin
        )
    )
    return join_request


def leave(group, user):
    with transaction.atomic():
        group = _lock(group)
        membership = Membership.objects.select_for_update().filter(group=group, user=user).first()
        if membership is None:
            raise GroupActionError(_("You are not a member of this group."), 409)
        if membership.role == Membership.Role.OWNER and _owner_count(group) == 1:
            raise GroupActionError(
                _("You are the last owner: hand ownership to another member before you leave."),
                409,
            )
        membership.delete()
        _record(group, Activity.Verb.LEFT, user)
    access.forget_memberships(user)


def change_role(group, admin, membership, role):
    """Owners may give any role; admins may only make members admin or member again."""
    if role not in Membership.Role.values:
        raise GroupActionError(_("Choose one of the roles owner, admin or member."), 400)
    with transaction.atomic():
        group = _lock(group)
        _ensure_writable(group)
        membership = Membership.objects.select_for_update().get(pk=membership.pk, group=group)
        acting_role = Membership.objects.get(group=group, user=admin).role
        touches_owner = Membership.Role.OWNER in (role, membership.role)
        if touches_owner and acting_role != Membership.Role.OWNER:
            raise GroupActionError(_("Only an owner can give or take the owner role."), 403)
        if (
            membership.role == Membership.Role.OWNER
            and role != Membership.Role.OWNER
            and _owner_count(group) == 1
        ):
            raise GroupActionError(
                _("A group always keeps an owner: make someone else owner first."), 409
            )
        if membership.role == role:
            return membership
        membership.role = role
        membership.save(update_fields=["role"])
        verb = Activity.Verb.OWNERSHIP if role == Membership.Role.OWNER else Activity.Verb.ROLE
        _record(group, verb, admin, membership.user)
    access.forget_memberships(membership.user)
    person = membership.user
    transaction.on_commit(
        lambda: _notify(
            person,
            "membership",
            "groups.role_changed",
            group.get_absolute_url(),
            group=group,
            params={"role": role},  # the stored role: its label is in the reader's language
            actor=admin,
        )
    )
    return membership


def transfer_ownership(group, owner, membership):
    """The owner hands over: the other person becomes owner, the old owner becomes admin."""
    with transaction.atomic():
        change_role(group, owner, membership, Membership.Role.OWNER)
        own = Membership.objects.get(group=group, user=owner)
        own.role = Membership.Role.ADMIN
        own.save(update_fields=["role"])
    access.forget_memberships(owner)


def remove_member(group, admin, membership):
    with transaction.atomic():
        group = _lock(group)
        _ensure_writable(group)
        membership = Membership.objects.select_for_update().get(pk=membership.pk, group=group)
        acting_role = Membership.objects.get(group=group, user=admin).role
        if membership.user_id == admin.pk:
            raise GroupActionError(_("To leave the group yourself, use Leave group."), 400)
        if membership.role == Membership.Role.OWNER:
            raise GroupActionError(_("An owner cannot be removed; change their role first."), 409)
        if membership.role == Membership.Role.ADMIN and acting_role != Membership.Role.OWNER:
            raise GroupActionError(_("Only an owner can remove an admin."), 403)
        person = membership.user
        membership.delete()
        _record(group, Activity.Verb.REMOVED, admin, person)
    access.forget_memberships(person)
    transaction.on_commit(
        lambda: _notify(
            person, "membership", "groups.removed", "/groups/", group=group, actor=admin
        )
    )


def set_archived(group, owner, archived):
    with transaction.atomic():
        group = _lock(group)
        if group.is_archived == archived:
            return group
        group.is_archived = archived
        group.archived_at = timezone.now() if archived else None
        group.save(update_fields=["is_archived", "archived_at"])
        _record(group, Activity.Verb.ARCHIVED if archived else Activity.Verb.UNARCHIVED, owner)
    return group


INVITATION_LIMIT = 50
INVITATION_LIMIT_MESSAGE = gettext_lazy("Invite at most %(limit)s people at a time.")


def invite(group, admin, emails, message=""):
    """Invite addresses (members are skipped, open invitations renewed). Returns (new, skipped)."""
    from django.contrib.auth import get_user_model

    User = get_user_model()
    created, skipped = [], []
    with transaction.atomic():
        group = _lock(group)
        _ensure_writable(group)
        member_emails = set(
            User.objects.filter(memberships__group=group, email__in=emails).values_list(
                "email", flat=True
            )
        )
        for email in emails:
            if email in member_emails:
                skipped.append(email)
                continue
            Invitation.objects.usable().filter(group=group, email=email).update(
                revoked_at=timezone.now()
            )
            created.append(
                Invitation.objects.create(
                    group=group, email=email, invited_by=admin, message=message.strip()
                )
            )

    def send():
        from .tasks import send_invitation_email

        for invitation in created:
            send_invitation_email.enqueue(invitation.pk)

    transaction.on_commit(send)
    return created, skipped


def revoke_invitation(invitation):
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.state != "open":
            raise GroupActionError(_("This invitation can no longer be revoked."), 409)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def accept_invitation(invitation, user):
    """Only the invited address's owner, once, before it expires or is revoked."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        state = invitation.state
        if state == "accepted":
            raise GroupActionError(_("This invitation has already been used."), 410)
        if state == "revoked":
            raise GroupActionError(_("This invitation has been withdrawn."), 410)
        if state == "expired":
            raise GroupActionError(
                _("This invitation has expired. Ask the group's admins for a new one."), 410
            )
        from allauth.account.models import EmailAddress

        owns_address = EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
        if not owns_address:
            raise GroupActionError(
                _(
                    "This invitation was sent to %(email)s. Sign in with that address, or add "
                    "and confirm it under your e-mail addresses."
                )
                % {"email": invitation.email},
                403,
            )
        group = _lock(invitation.group)
        _ensure_writable(group)
        if not Membership.objects.filter(group=group, user=user).exists():
            _add_member(group, user)
            _record(group, Activity.Verb.JOINED, user)
        invitation.accepted_by = user
        invitation.accepted_at = timezone.now()
        invitation.save(update_fields=["accepted_by", "accepted_at"])
    inviter = invitation.invited_by
    if inviter is not None:
        transaction.on_commit(
            lambda: _notify(
                inviter,
                "invitation",
                "groups.invitation_accepted",
                f"{group.get_absolute_url()}members/",
                group=group,
                params={"person": user.display_name},
                actor=user,
            )
        )
    return group


# A member's visits are remembered at most once a minute: a page view is not a write.
SEEN_RESOLUTION = timedelta(minutes=1)


def mark_seen(user, group, now=None) -> None:
    """Remember that ``user`` (a member) opened one of ``group``'s pages now."""
    now = now or timezone.now()
    Membership.objects.filter(group=group, user=user).filter(
        models.Q(last_seen_at__isnull=True) | models.Q(last_seen_at__lt=now - SEEN_RESOLUTION)
    ).update(last_seen_at=now)
