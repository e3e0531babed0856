"""Blogs: posts on a person's own blog or in a group, with comments and reactions.

A post is a draft until it has a publication time; it shows from that time on (a time in the
future schedules it). Who may read it is decided by the access policy (blog/policies.py):
group posts follow their group, personal posts their own visibility.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from meent import sites
from meent.access import AccessQuerySet
from meent.files import PrivateImageField


class Tag(models.Model):
    name = models.CharField(_("name"), max_length=50)
    slug = models.SlugField(_("web address"), max_length=60, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("tag")
        verbose_name_plural = _("tags")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return f"{reverse('blog:list')}?tag={self.slug}"


class PostQuerySet(AccessQuerySet):
    def published(self, now=None):
        return self.filter(published_at__lte=now or timezone.now())

    def on_site(self, site):
        """The posts of a community (``meent.sites.current_site``): its groups' posts and the
        personal posts written on it (posts of a deleted community: the default one's)."""
        from groups.models import Group

        personal = Q(group__isnull=True) & sites.belongs_q(site)
        return self.filter(personal | Q(group__in=Group.objects.on_site(site)))


class Post(models.Model):
    class Visibility(models.TextChoices):
        """For posts on a person's own blog; group posts follow their group."""

        PUBLIC = "public", _("Everyone, also without signing in")
        LOGGED_IN = "logged_in", _("Everyone who is signed in")
        ORGANISATION = "organisation", _("People of my organisation")
        PRIVATE = "private", _("Only me")

    # Empty once the author deleted their account: group posts stay for the group.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="blog_posts"
    )
    group = models.ForeignKey(
        "groups.Group",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="blog_posts",
    )
    # The community a personal post was written on (a group's post belongs to its group's).
    site = models.ForeignKey(
        "wagtailcore.Site",
        verbose_name=_("community"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("web address"), max_length=120, unique=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    # Served only to whoever may read the post (meent/files.py, blog_cover in config/urls.py).
    cover = PrivateImageField(
        _("cover image"), folder="blog-covers", url_name="blog_cover", blank=True
    )
    cover_alt = models.CharField(_("description of the cover image"), max_length=200, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="posts", verbose_name=_("tags"))
    visibility = models.CharField(
        _("who may read it"),
        max_length=12,
        choices=Visibility.choices,
        default=Visibility.PUBLIC,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, db_index=True)
    # When the people mentioned in it were told: scheduled posts tell them once they appear.
    mentions_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Hidden by a moderator (moderation/): nobody reads it any more, search forgets it.
    hidden_at = models.DateTimeField(_("hidden at"), null=True, blank=True, editable=False)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-pk"]
        verbose_name = _("blog post")
        verbose_name_plural = _("blog posts")
        indexes = [models.Index(fields=["group", "published_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("blog:post", args=[self.slug])

    @property
    def community_id(self):
        """The id of the community (Wagtail Site) the post belongs to; None: the default one."""
        return self.group.site_id if self.group_id else self.site_id

    @property
    def cover_url(self):
        """The cover's address (no query), or "" without a cover."""
        return self.cover.url if self.cover else ""

    @property
    def is_published(self):
        return self.published_at is not None and self.published_at <= timezone.now()

    @property
    def is_scheduled(self):
        return self.published_at is not None and self.published_at > timezone.now()


class Comment(models.Model):
    """Plain text (links and @mentions made on display); one level of replies.

    Removed or deleted comments stay as a tombstone, so replies keep their context; their text is
    never shown again (a person's own deletion also erases it).
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("comment"), max_length=5000)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    removed_at = models.DateTimeField(null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    removal_reason = models.CharField(max_length=300, blank=True)

    objects = AccessQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("comment")
        verbose_name_plural = _("comments")

    def __str__(self):
        return f"{self.author} on {self.post_id}"

    def get_absolute_url(self):
        return f"{self.post.get_absolute_url()}#comment-{self.pk}"

    @property
    def is_removed(self):
        return self.removed_at is not None


class Reaction(models.Model):
    """A like, on a post or on a comment (exactly one of the two)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blog_reactions"
    )
    post = models.ForeignKey(
        Post, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, null=True, blank=True, related_name="reactions"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reaction")
        verbose_name_plural = _("reactions")
        constraints = [
            models.CheckConstraint(
                condition=Q(post__isnull=False, comment__isnull=True)
                | Q(post__isnull=True, comment__isnull=False),
                name="blog_reaction_on_one_thing",
            ),
            models.UniqueConstraint(
                fields=["user", "post"],
                condition=Q(post__isnull=False),
                name="blog_one_reaction_per_post",
            ),
            models.UniqueConstraint(
                fields=["user", "comment"],
                condition=Q(comment__isnull=False),
                name="blog_one_reaction_per_comment",
            ),
        ]

    def __str__(self):
        return f"{self.user_id} likes {self.post_id or self.comment_id}"
