from allauth.account.adapter import get_adapter
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from meent import access, idempotency, params, ratelimit, refusals, sites
from meent.models import CommunitySettings

from . import policies, services
from .context import group_page_context
from .forms import (
    DecisionForm,
    GroupFilterForm,
    GroupForm,
    InvitationForm,
    JoinRequestForm,
    PinnedItemForm,
    RoleForm,
)
from .models import Activity, Group, Invitation, JoinRequest, Membership, PinnedItem

GROUPS_PER_PAGE = 20


def visible_group_or_404(request, slug):
    """Groups a person may not know exist answer 404, exactly like groups that do not exist."""
    return get_object_or_404(Group.objects.visible_to(request.user), slug=slug)


def managed_group_or_404(request, slug):
    group = visible_group_or_404(request, slug)
    if not policies.can_manage(request.user, group):
        raise PermissionDenied(_("Only the group's owners and admins can do this."))
    return group


def refuse(request, error, group=None):
    """Turn a refused action into a message on a page that fits, with a 4xx status."""
    context = {"group": group, "message": error.message}
    return refusals.refuse(request, error, "groups/refused.html", context)


def may_create_groups(request):
    if not access.is_active_person(request.user):
        return False
    settings_ = CommunitySettings.for_request(request)
    if settings_.group_creation == CommunitySettings.GroupCreation.STAFF:
        return request.user.is_staff or request.user.is_superuser
    return True


@require_GET
def group_list(request):
    # Each valid filter applies; a malformed one is left out, with a message and a 400.
    form = params.read(request, GroupFilterForm)
    filters = form.cleaned_data
    groups = (
        Group.objects.visible_to(request.user)
        .on_site(sites.current_site(request))
        .annotate(member_count=Count("memberships"))
    )
    if filters.get("q"):
        groups = groups.filter(name__icontains=filters["q"].strip())
    if filters.get("mine"):
        groups = groups.filter(pk__in=access.member_group_ids(request.user))
    if filters.get("organisation"):
        # Only through members the person may be shown (the members tab off: managers).
        groups = groups.filter(
            pk__in=Membership.objects.filter(
                policies.members_tab_q(request.user),
                user__organisation=filters["organisation"],
            ).values("group_id")
        )
    groups = groups.order_by("-last_activity_at", "name")
    page = params.paginate(request, groups, GROUPS_PER_PAGE)
    organisations = {}
    rows = (
        Membership.objects.filter(
            policies.members_tab_q(request.user),
            group__in=[group.pk for group in page],
            user__organisation__isnull=False,
        )
        .values_list("group_id", "user__organisation__name")
        .distinct()
        .order_by("user__organisation__name")
    )
    for group_id, name in rows:
        organisations.setdefault(group_id, []).append(name)
    for group in page:
        group.organisation_names = organisations.get(group.pk, [])
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "groups/group_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "member_group_ids": access.member_group_ids(request.user),
            "may_create": may_create_groups(request),
        },
        status=params.status(request),
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_create(request):
    if not may_create_groups(request):
        raise PermissionDenied(_("In this community only staff can create groups."))
    if request.method == "POST":
        # A repeat finds the group's address taken by the first one: answer as the first did.
        earlier = idempotency.earlier_answer(request)
        if earlier is not None:
            return earlier
    form = GroupForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if form.is_valid():
            group = form.save(commit=False)
            group.site_id = sites.current_site_id(request)
            outcome = idempotency.once(
                request.user,
                form.submission_key,
                lambda: services.create_group(request.user, group),
                lambda group: group.get_absolute_url(),
            )
            if outcome.repeat:
                return idempotency.repeated(request, outcome)
            messages.success(request, _("The group %(group)s has been created.") % {"group": group})
            return redirect(outcome.url)
        messages.error(request, _("The group was not created. Correct the errors below."))
    return render(request, "groups/group_form.html", {"form": form, "creating": True})


@require_GET
def group_home(request, slug):
    group = visible_group_or_404(request, slug)
    user = request.user
    role = policies.role_in(user, group)
    can_read = policies.can_read_content(user, group)
    shows_members = policies.shows_members(user, group)
    stats = Membership.objects.filter(group=group).aggregate(count=Count("pk"))
    organisations = []
    if shows_members:
        organisations = list(
            Membership.objects.filter(group=group, user__organisation__isnull=False)
            .values_list("user__organisation__name", flat=True)
            .distinct()
            .order_by("user__organisation__name")
        )
    pending_join_request = False
    if role is None and access.is_active_person(user):
        pending_join_request = JoinRequest.objects.filter(
            group=group, user=user, status=JoinRequest.Status.PENDING
        ).exists()
    can_manage = role in Membership.MANAGING_ROLES
    # The last owner is not offered "Leave group" (it would be refused) but told to hand over.
    is_last_owner = (
        role == Membership.Role.OWNER
        and Membership.objects.filter(group=group, role=Membership.Role.OWNER).count() == 1
    )
    return render(
        request,
        "groups/group_home.html",
        {
            # group, role, is_member, can_manage, is_owner, can_read and what waits for managers
            **group_page_context(user, group),
            # The stream (activity/): each line is checked for the reader as it is read; who
            # joined or left follows the members tab.
            "shows_activity": can_read,
            "member_count": stats["count"],
            "organisations": organisations,
            "pinned_items": list(group.pinned_items.all()) if can_read else [],
            "pending_join_request": pending_join_request,
            "is_last_owner": is_last_owner,
            "pin_form": PinnedItemForm() if can_manage else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def group_edit(request, slug):
    group = managed_group_or_404(request, slug)
    if group.is_archived:
        messages.info(request, _("This group is archived. Reopen it to make changes."))
        return redirect(group)
    form = GroupForm(request.POST or None, request.FILES or None, instance=group)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            services._record(group, Activity.Verb.EDITED, request.user)
            messages.success(request, _("The group has been saved."))
            return redirect(group)
        messages.error(request, _("The group was not saved. Correct the errors below."))
    return render(request, "groups/group_form.html", {"form": form, "group": group})


@login_required
@require_http_methods(["GET", "POST"])
def group_join(request, slug):
    group = visible_group_or_404(request, slug)
    if group.membership_policy == Group.MembershipPolicy.OPEN:
        if request.method != "POST":
            return redirect(group)
        try:
            services.join(group, request.user)
        except services.GroupActionError as error:
            return refuse(request, error, group)
        messages.success(request, _("Welcome to %(group)s!") % {"group": group})
        return redirect(group)
    if group.membership_policy == Group.MembershipPolicy.INVITATION:
        return refuse(
            request,
            services.GroupActionError(
                _("This group admits members by invitation only. Ask one of its admins."), 403
            ),
            group,
        )
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome = idempotency.once(
                request.user,
                form.submission_key,
                lambda: services.request_to_join(group, request.user, form.cleaned_data["message"]),
                lambda _request: group.get_absolute_url(),
            )
        except services.GroupActionError as error:
            return refuse(request, error, group)
        if outcome.repeat:
            return idempotency.repeated(request, outcome)
        messages.success(
            request, _("Your request has been sent. You will hear when the admins have decided.")
        )
        return redirect(group)
    return render(request, "groups/join_request_form.html", {"group": group, "form": form})


@login_required
@require_POST
def group_join_withdraw(request, slug):
    group = visible_group_or_404(request, slug)
    try:
        services.withdraw_join_request(group, request.user)
    except services.GroupActionError as error:
        messages.error(request, error.message)
        return redirect(group)
    messages.success(
        request, _("You have withdrawn your request to join %(group)s.") % {"group": group}
    )
    return redirect(group)


@login_required
@require_POST
def group_leave(request, slug):
    group = visible_group_or_404(request, slug)
    try:
        services.leave(group, request.user)
    except services.GroupActionError as error:
        # Back on the group page, where the reason is shown (the last owner: how to hand over).
        messages.error(request, error.message)
        return redirect(group)
    messages.success(request, _("You have left %(group)s.") % {"group": group})
    if Group.objects.visible_to(request.user).filter(pk=group.pk).exists():
        return redirect(group)
    return redirect("groups:list")


@require_GET
def group_members(request, slug):
    group = visible_group_or_404(request, slug)
    if not policies.shows_members(request.user, group):
        # The members tab is off: the list is for the group's owners and admins, and for
        # everyone else there is no such page.
        raise Http404
    if not policies.can_read_content(request.user, group):
        return refuse(
            request,
            services.GroupActionError(_("Only members can see who is in this group."), 403),
            group,
        )
    memberships = list(
        Membership.objects.visible_to(request.user)
        .filter(group=group)
        .select_related("user", "user__organisation")
        .order_by("user__first_name", "user__last_name", "user__email")
    )
    role = policies.role_in(request.user, group)
    return render(
        request,
        "groups/group_members.html",
        {
            "group": group,
            "memberships": memberships,
            "role": role,
            "is_member": role is not None,
            "can_manage": role in Membership.MANAGING_ROLES and not group.is_archived,
            "is_owner": role == Membership.Role.OWNER,
            "roles": Membership.Role.choices,
            "organisations": sorted(
                {m.user.organisation.name for m in memberships if m.user.organisation}
            ),
        },
    )


@login_required
@require_POST
def member_role(request, slug, membership_id):
    group = managed_group_or_404(request, slug)
    membership = get_object_or_404(Membership, pk=membership_id, group=group)
    form = RoleForm(request.POST)
    if not form.is_valid():
        return refuse(
            request,
            services.GroupActionError(_("Choose one of the roles owner, admin or member.")),
            group,
        )
    try:
        if form.cleaned_data["role"] == Membership.Role.OWNER and request.POST.get("transfer"):
            services.transfer_ownership(group, request.user, membership)
        else:
            services.change_role(group, request.user, membership, form.cleaned_data["role"])
    except services.GroupActionError as error:
        return refuse(request, error, group)
    membership.refresh_from_db()
    messages.success(
        request,
        _("%(person)s is now %(role)s.")
        % {"person": membership.user, "role": membership.get_role_display()},
    )
    return redirect("groups:members", slug=group.slug)


@login_required
@require_POST
def member_remove(request, slug, membership_id):
    group = managed_group_or_404(request, slug)
    membership = get_object_or_404(Membership, pk=membership_id, group=group)
    try:
        services.remove_member(group, request.user, membership)
    except services.GroupActionError as error:
        return refuse(request, error, group)
    messages.success(request, _("%(person)s has been removed.") % {"person": membership.user})
    return redirect("groups:members", slug=group.slug)


@login_required
@require_GET
def join_requests(request, slug):
    group = managed_group_or_404(request, slug)
    pending = (
        JoinRequest.objects.filter(group=group, status=JoinRequest.Status.PENDING)
        .select_related("user", "user__organisation")
        .order_by("created_at")
    )
    return render(
        request,
        "groups/join_requests.html",
        {"group": group, "pending": pending, "form": DecisionForm()},
    )


@login_required
@require_POST
def join_request_decide(request, slug, request_id):
    group = managed_group_or_404(request, slug)
    join_request = get_object_or_404(JoinRequest, pk=request_id, group=group)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        return refuse(request, services.GroupActionError(_("Choose approve or refuse.")), group)
    approve = form.cleaned_data["decision"] == "approve"
    try:
        services.decide_join_request(
            join_request, request.user, approve, form.cleaned_data["reason"]
        )
    except services.GroupActionError as error:
        return refuse(request, error, group)
    if approve:
        messages.success(request, _("%(person)s is now a member.") % {"person": join_request.user})
    else:
        messages.success(
            request, _("The request of %(person)s was refused.") % {"person": join_request.user}
        )
    return redirect("groups:requests", slug=group.slug)


# Invitations one person may send per hour, in all groups together (meent/ratelimit.py).
INVITATION_RATE_WINDOW = 60 * 60


def _invitation_rate_refusal(user):
    """Why a batch of invitations was refused by the hourly limit, and what is still possible."""
    rate = settings.MEENT_INVITATION_RATE
    left = ratelimit.check(f"invitations:{user.pk}", rate, INVITATION_RATE_WINDOW)
    if left:
        return _(
            "You can invite at most %(rate)s people per hour, and %(left)s more right now. "
            "No invitations were sent: invite fewer people at once."
        ) % {"rate": rate, "left": left}
    return _(
        "You have sent the most invitations allowed: %(rate)s per hour. "
        "No invitations were sent; try again later."
    ) % {"rate": rate}


class _RateLimited(Exception):
    """The hourly limit of invitations refused a batch: nothing is stored."""


@login_required
@require_http_methods(["GET", "POST"])
def invitations(request, slug):
    group = managed_group_or_404(request, slug)
    form = InvitationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            # Counted whole before anything is stored, so a batch is sent entirely or not at all.
            emails = form.cleaned_data["emails"]
            rate_key = f"invitations:{request.user.pk}"
            rate = settings.MEENT_INVITATION_RATE

            def send():
                # Inside the claim of the submission key: a repeat is not counted again.
                if not ratelimit.hit(rate_key, rate, INVITATION_RATE_WINDOW, cost=len(emails)):
                    raise _RateLimited
                try:
                    created, skipped = services.invite(
                        group, request.user, emails, form.cleaned_data["message"]
                    )
                except services.GroupActionError:
                    ratelimit.refund(rate_key, INVITATION_RATE_WINDOW, cost=len(emails))
                    raise
                # Members are skipped, not invited: they do not count.
                ratelimit.refund(rate_key, INVITATION_RATE_WINDOW, cost=len(skipped))
                return created, skipped

            try:
                outcome = idempotency.once(
                    request.user,
                    form.submission_key,
                    send,
                    lambda _sent: reverse("groups:invitations", args=[group.slug]),
                )
            except services.GroupActionError as error:
                return refuse(request, error, group)
            except _RateLimited:
                outcome = None
            if outcome is not None and outcome.repeat:
                return idempotency.repeated(request, outcome)
            if outcome is not None:
                created, skipped = outcome.made
                if created:
                    messages.success(
                        request,
                        _("Invitations sent to: %(emails)s")
                        % {"emails": ", ".join(i.email for i in created)},
                    )
                if skipped:
                    messages.info(
                        request,
                        _("Already members, not invited: %(emails)s")
                        % {"emails": ", ".join(skipped)},
                    )
                return redirect(outcome.url)
            form.add_error(None, _invitation_rate_refusal(request.user))
            status = 429
        messages.error(request, _("No invitations were sent. Correct the errors below."))
    return render(
        request,
        "groups/invitations.html",
        {
            "group": group,
            "form": form,
            "invitations": group.invitations.select_related("invited_by", "accepted_by")[:100],
        },
        status=status,
    )


@login_required
@require_POST
def invitation_revoke(request, slug, invitation_id):
    group = managed_group_or_404(request, slug)
    invitation = get_object_or_404(Invitation, pk=invitation_id, group=group)
    try:
        services.revoke_invitation(invitation)
    except services.GroupActionError as error:
        return refuse(request, error, group)
    messages.success(
        request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email}
    )
    return redirect("groups:invitations", slug=group.slug)


@require_http_methods(["GET", "POST"])
def invitation(request, token):
    invitation = get_object_or_404(
        Invitation.objects.select_related("group", "invited_by"), token=token
    )
    if request.method == "POST":
        if not access.is_active_person(request.user):
            return redirect(f"{reverse('account_login')}?next={invitation.get_absolute_url()}")
        try:
            group = services.accept_invitation(invitation, request.user)
        except services.GroupActionError as error:
            return refuse(request, error, invitation.group)
        messages.success(request, _("Welcome to %(group)s!") % {"group": group})
        return redirect(group)
    if not request.user.is_authenticated and invitation.state == "open":
        # Following the link proves the address: signing up with it needs no second confirmation.
        get_adapter(request).stash_verified_email(request, invitation.email)
    return render(
        request,
        "groups/invitation.html",
        {"invitation": invitation, "group": invitation.group, "state": invitation.state},
    )


@login_required
@require_POST
def group_archive(request, slug):
    group = visible_group_or_404(request, slug)
    if not policies.is_owner(request.user, group):
        raise PermissionDenied(_("Only an owner can archive or reopen the group."))
    archive = request.POST.get("archive") == "1"
    services.set_archived(group, request.user, archive)
    if archive:
        messages.success(request, _("The group is archived: it can be read, but nothing changes."))
    else:
        messages.success(request, _("The group is open again."))
    return redirect(group)


@login_required
@require_POST
def pin_add(request, slug):
    group = managed_group_or_404(request, slug)
    if group.is_archived:
        return refuse(
            request,
            services.GroupActionError(_("This group is archived: nothing in it can change."), 409),
            group,
        )
    form = PinnedItemForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(group)
    item = {name: form.cleaned_data[name] for name in ("title", "url")}
    outcome = idempotency.once(
        request.user,
        form.submission_key,
        lambda: PinnedItem.objects.create(group=group, position=group.pinned_items.count(), **item),
        lambda _pin: group.get_absolute_url(),
    )
    if outcome.repeat:
        return idempotency.repeated(request, outcome)
    messages.success(request, _("The link has been pinned."))
    return redirect(outcome.url)


@login_required
@require_POST
def pin_remove(request, slug, pin_id):
    group = managed_group_or_404(request, slug)
    pin = PinnedItem.objects.filter(pk=pin_id, group=group).first()
    if pin is None:
        raise Http404
    pin.delete()
    messages.success(request, _("The link is no longer pinned."))
    return redirect(group)
