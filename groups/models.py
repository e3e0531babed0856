import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent import links, sites
from meent.access import AccessQuerySet
from meent.files import PrivateImageField


class GroupQuerySet(AccessQuerySet):
    def on_site(self, site):
        """The groups of a community (``meent.sites.current_site(request)``)."""
        return self.filter(sites.belongs_q(site))


class Group(models.Model):
    """A place where people of different organisations work together, in one community."""

    class MembershipPolicy(models.TextChoices):
        OPEN = "open", _("Open: anyone can join at once")
        REQUEST = "request", _("On request: an admin approves")
        INVITATION = "invitation", _("Invitation only")

    class Visibility(models.TextChoices):
        LISTED = "listed", _("Listed: everyone can find the group")
        HIDDEN = "hidden", _("Hidden: only members know it exists")

    class ContentDefault(models.TextChoices):
        MEMBERS = "members", _("Members only")
        OPEN = "open", _("Open for reading")

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(
        _("web address"),
        max_length=80,
        unique=True,
        help_text=_("Lower-case letters, digits and hyphens; part of the group's web address."),
    )
    description = models.TextField(_("description"), blank=True, max_length=2000)
    # Served only to whoever may see the group (meent/files.py, group_image in config/urls.py).
    avatar = PrivateImageField(
        _("image"), folder="group-images", url_name="group_image", blank=True
    )
    avatar_alt = models.CharField(_("image description"), max_length=200, blank=True)
    membership_policy = models.CharField(
        _("membership"),
        max_length=12,
        choices=MembershipPolicy.choices,
        default=MembershipPolicy.OPEN,
    )
    visibility = models.CharField(
        _("visibility"), max_length=8, choices=Visibility.choices, default=Visibility.LISTED
    )
    content_default = models.CharField(
        _("who may read the content"),
        max_length=8,
        choices=ContentDefault.choices,
        default=ContentDefault.MEMBERS,
    )
    wiki_enabled = models.BooleanField(_("wiki tab"), default=True)
    blog_enabled = models.BooleanField(_("blog tab"), default=True)
    chat_enabled = models.BooleanField(_("chat tab"), default=True)
    events_enabled = models.BooleanField(_("agenda tab"), default=True)
    files_enabled = models.BooleanField(_("files tab"), default=True)
    discussions_enabled = models.BooleanField(_("discussions tab"), default=True)
    questions_enabled = models.BooleanField(_("questions tab"), default=True)
    polls_enabled = models.BooleanField(_("polls tab"), default=True)
    # Who may organise the group's events (events/policies.py).
    event_organisers = models.CharField(
        _("who may organise events"),
        max_length=8,
        choices=[("members", _("Every member")), ("managers", _("Owners and admins"))],
        default="members",
    )
    members_tab_enabled = models.BooleanField(_("members tab"), default=True)
    is_archived = models.BooleanField(_("archived"), default=False)
    archived_at = models.DateTimeField(_("archived at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_activity_at = models.DateTimeField(_("last activity"), default=timezone.now, db_index=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="member_of_groups"
    )
    # The community the group belongs to: its pages are served on that site's host name.
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="groups",
    )

    objects = GroupQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("group")
        verbose_name_plural = _("groups")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("groups:home", args=[self.slug])

    @property
    def avatar_url(self):
        """The image's address (no query), or "" without an image."""
        return self.avatar.url if self.avatar else ""

    @property
    def is_hidden(self):
        return self.visibility == self.Visibility.HIDDEN

    @property
    def is_closed(self):
        """A closed group's content is never more open than its members."""
        return self.is_hidden or self.content_default == self.ContentDefault.MEMBERS

    def touch(self, when=None):
        when = when or timezone.now()
        Group.objects.filter(pk=self.pk, last_activity_at__lt=when).update(last_activity_at=when)
        self.last_activity_at = when


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("owner")
        ADMIN = "admin", _("admin")
        MEMBER = "member", _("member")

    MANAGING_ROLES = (Role.OWNER, Role.ADMIN)

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.MEMBER)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)
    # When the member last opened one of the group's pages: what is new in the group since
    # counts as unread on their start page (services.mark_seen).
    last_seen_at = models.DateTimeField(_("last seen at"), null=True, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["joined_at"]
        constraints = [
            models.UniqueConstraint(fields=["group", "user"], name="one_membership_per_person")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} in {self.group} ({self.role})"


class JoinRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        APPROVED = "approved", _("approved")
        REFUSED = "refused", _("refused")
        WITHDRAWN = "withdrawn", _("withdrawn")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="join_requests"
    )
    message = models.TextField(_("message"), blank=True, max_length=1000)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reason = models.TextField(_("reason"), blank=True, max_length=1000)

    class Meta:
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "user"],
                condition=Q(status="pending"),
                name="one_pending_join_request",
            )
        ]
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")

    def __str__(self):
        return f"{self.user} → {self.group} ({self.status})"


def new_invitation_token():
    return secrets.token_urlsafe(32)


def default_invitation_expiry():
    return timezone.now() + timedelta(days=settings.MEENT_INVITATION_DAYS)


class InvitationQuerySet(models.QuerySet):
    def usable(self):
        return self.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )


class Invitation(models.Model):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("e-mail address"))
    token = models.CharField(max_length=64, unique=True, default=new_invitation_token)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    message = models.TextField(_("personal message"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(default=default_invitation_expiry)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.group}"

    def get_absolute_url(self):
        return reverse("groups:invitation", args=[self.token])

    @property
    def state(self):
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"


class PinnedItem(models.Model):
    """A link that a group's admins keep at the top of the group's home."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="pinned_items")
    title = models.CharField(_("title"), max_length=150)
    url = models.CharField(_("link"), max_length=500)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("pinned item")
        verbose_name_plural = _("pinned items")

    def __str__(self):
        return self.title

    @property
    def href(self):
        """The link to show: None for a stored link that a browser would take off the site
        (saved before meent/links.py checked every link)."""
        return links.safe_link(self.url)


class Activity(models.Model):
    """Something that happened in a group, for its activity stream.

    An activity is seen by whoever may see its group's content; it names no content that the
    reader could not open (later content types pass their own object for the check).
    """

    class Verb(models.TextChoices):
        CREATED = "created", _("created the group")
        JOINED = "joined", _("joined the group")
        LEFT = "left", _("left the group")
        REMOVED = "removed", _("was removed from the group")
        ROLE = "role", _("got a new role")
        EDITED = "edited", _("edited the group")
        ARCHIVED = "archived", _("archived the group")
        UNARCHIVED = "unarchived", _("reopened the group")
        OWNERSHIP = "ownership", _("became the owner")

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="activities")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    verb = models.CharField(max_length=12, choices=Verb.choices)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return f"{self.actor} {self.verb} {self.group}"
