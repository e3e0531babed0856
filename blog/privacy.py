"""A person's blog posts, comments and likes (privacy/registry.py). Deleting their account
deletes their private posts (their own blog, and drafts in groups nobody else has seen); what they
wrote in groups stays, as by a former member, and the search index hears of it."""

import posixpath

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from privacy.registry import PrivacyPart, absolute, iso, register
from search.indexing import queue_ids

from .models import Comment, Post, Reaction


def _visible_post_ids(user, post_ids):
    return set(Post.objects.visible_to(user).filter(pk__in=post_ids).values_list("pk", flat=True))


def _private_posts(user):
    # Their own blog, and drafts in groups that nobody else has ever seen.
    return Post.objects.filter(author=user).filter(
        Q(group__isnull=True) | Q(published_at__isnull=True)
    )


def blog_posts(user, files):
    rows = (
        Post.objects.filter(author=user)
        .select_related("group")
        .prefetch_related("tags")
        .order_by("created_at", "pk")
    )
    return [
        {
            "title": p.title,
            "summary": p.summary,
            "body": p.body,
            "visibility": p.visibility,
            "group": p.group.name if p.group_id else None,
            "tags": [tag.name for tag in p.tags.all()],
            "created": iso(p.created_at),
            "published": iso(p.published_at),
            "cover": files.add(
                "blog-covers", p.cover, f"{p.slug}-{posixpath.basename(p.cover.name)}"
            )
            if p.cover
            else None,
            "cover_description": p.cover_alt,
            "link": absolute(p.get_absolute_url()),
        }
        for p in rows
    ]


def plan_posts(user):
    deleted = _private_posts(user).count()
    kept = Post.objects.filter(author=user).count() - deleted
    return [
        ngettext(
            "%(counter)s blog post of yours (on your own blog, or a draft) is deleted.",
            "%(counter)s blog posts of yours (on your own blog, or drafts) are deleted.",
            deleted,
        )
        % {"counter": deleted},
        ngettext(
            "%(counter)s blog post in groups stays for the group, as by a former member.",
            "%(counter)s blog posts in groups stay for the group, as by a former member.",
            kept,
        )
        % {"counter": kept},
    ]


def erase_posts(user, erasure):
    private = list(_private_posts(user))
    # What stays but loses its author: the search index must hear of it (SET_NULL sends no
    # signals). Queued now, indexed after commit, when the author is gone.
    queue_ids(
        "blog_post",
        list(
            Post.objects.filter(author=user)
            .exclude(pk__in=[p.pk for p in private])
            .values_list("pk", flat=True)
        ),
    )
    for post in private:
        erasure.delete_file(post.cover)
        post.delete()  # one by one: each leaves the search index (post_delete)


def comments(user, files):
    rows = list(Comment.objects.filter(author=user).select_related("post"))
    visible = _visible_post_ids(user, {c.post_id for c in rows})
    return [
        {
            "post": c.post.title if c.post_id in visible else None,
            "link": absolute(c.get_absolute_url()) if c.post_id in visible else None,
            # A comment its author deleted was erased; one a moderator removed is still theirs.
            "text": c.body,
            "written": iso(c.created_at),
            "edited": iso(c.edited_at),
            "removed": iso(c.removed_at),
        }
        for c in rows
    ]


def _kept_comments(user):
    # Comments on their private posts go with those posts.
    return Comment.objects.filter(author=user).exclude(post__in=_private_posts(user))


def plan_comments(user):
    kept = _kept_comments(user).count()
    return [
        ngettext(
            "%(counter)s comment of yours stays where you wrote it, as by a former member.",
            "%(counter)s comments of yours stay where you wrote them, as by a former member.",
            kept,
        )
        % {"counter": kept}
    ]


def erase_comments(user, erasure):
    queue_ids("blog_comment", list(_kept_comments(user).values_list("pk", flat=True)))


def reactions(user, files):
    rows = list(Reaction.objects.filter(user=user).select_related("post", "comment__post"))
    post_ids = {r.post_id or r.comment.post_id for r in rows}
    visible = _visible_post_ids(user, post_ids)
    result = []
    for r in rows:
        post = r.post or r.comment.post
        shown = post.pk in visible
        result.append(
            {
                "on": "post" if r.post_id else "comment",
                "post": post.title if shown else None,
                "link": absolute(post.get_absolute_url()) if shown else None,
                "date": iso(r.created_at),
            }
        )
    return result


register(
    PrivacyPart(
        "blog_posts",
        _("Blog posts"),
        50,
        export=blog_posts,
        held=lambda user: Post.objects.filter(author=user),
        plan=plan_posts,
        erase=erase_posts,
    )
)
register(
    PrivacyPart(
        "comments",
        _("Comments"),
        60,
        export=comments,
        held=lambda user: Comment.objects.filter(author=user),
        plan=plan_comments,
        erase=erase_comments,
    )
)
register(
    PrivacyPart(
        "reactions",
        _("Likes"),
        70,
        export=reactions,
        held=lambda user: Reaction.objects.filter(user=user),
    )
)
