"""The access policy's rules for blogs (see meent/access.py).

- A post that is not yet published (a draft, or scheduled for later) is its author's alone.
- A published group post is read by whoever may read the group's content.
- A published personal post is read as its visibility says: everyone, signed-in people, the
  people of the author's organisation, or only the author.
- A post hidden by a moderator is read by nobody (its author is told why); so is every post of
  a group whose blog is switched off (nothing is deleted: switching it back on brings them back).
- A comment is read by whoever may read its post. Authors edit their own; group owners/admins
  (for group posts) and moderators remove comments.
"""

from django.db.models import Q
from django.utils import timezone

from groups.policies import can_manage, content_labels, content_q, is_member
from meent import access

from .models import Comment, Post


def post_labels(post, now=None) -> frozenset[str]:
    """The post's labels at ``now`` (by default: now; search indexes a scheduled post's labels at
    its publication time as well)."""
    if post.hidden_at is not None:
        return frozenset()
    if post.group_id and not post.group.blog_enabled:
        return frozenset()
    own = frozenset({access.user_label(post.author_id)}) if post.author_id else frozenset()
    published = post.published_at is not None and post.published_at <= (now or timezone.now())
    if not published:
        return own
    if post.group_id:
        return content_labels(post.group) | own
    visibility = post.visibility
    if visibility == Post.Visibility.PUBLIC:
        return frozenset({access.PUBLIC}) | own
    if visibility == Post.Visibility.LOGGED_IN:
        return frozenset({access.LOGGED_IN}) | own
    if (
        visibility == Post.Visibility.ORGANISATION
        and post.author_id
        and post.author.organisation_id
    ):
        return frozenset({access.org_label(post.author.organisation_id)}) | own
    return own


def post_q(user, prefix="") -> Q:
    """Posts ``user`` may read; ``prefix`` reaches posts from another model ("post__")."""

    def field(name):
        return f"{prefix}{name}"

    personal = [Post.Visibility.PUBLIC]
    active = access.is_active_person(user)
    if active:
        personal.append(Post.Visibility.LOGGED_IN)
    personal_q = Q(**{field("visibility__in"): personal})
    if active and user.organisation_id:
        personal_q |= Q(
            **{
                field("visibility"): Post.Visibility.ORGANISATION,
                field("author__organisation_id"): user.organisation_id,
            }
        )
    readable = Q(**{field("published_at__lte"): timezone.now()}) & (
        (Q(**{field("group__isnull"): False}) & content_q(user, prefix=field("group__")))
        | (Q(**{field("group__isnull"): True}) & personal_q)
    )
    if active:
        readable |= Q(**{field("author_id"): user.pk})
    # A post hidden by a moderator, or of a group whose blog is off, is read by nobody, also not
    # its author.
    blog_on = Q(**{field("group__isnull"): True}) | Q(**{field("group__blog_enabled"): True})
    return readable & Q(**{field("hidden_at__isnull"): True}) & blog_on


def may_post_in(user, group) -> bool:
    return (
        access.is_active_person(user)
        and group.blog_enabled
        and not group.is_archived
        and is_member(user, group)
    )


@access.register(Post)
class PostPolicy(access.Policy):
    def labels(self, post):
        return post_labels(post)

    def visible_q(self, user):
        return post_q(user)

    def can_edit(self, user, post):
        if post.author_id != user.pk:
            return False
        return post.group_id is None or may_post_in(user, post.group)

    def can_moderate(self, user, post):
        if access.is_moderator(user):
            return True
        return post.group_id is not None and can_manage(user, post.group)


@access.register(Comment)
class CommentPolicy(access.Policy):
    def labels(self, comment):
        return post_labels(comment.post)

    def visible_q(self, user):
        return post_q(user, prefix="post__")

    def can_edit(self, user, comment):
        return comment.author_id == user.pk and not comment.is_removed

    def can_moderate(self, user, comment):
        return PostPolicy().can_moderate(user, comment.post)
