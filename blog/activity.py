"""Blogs in the activity stream (activity/registry.py): a post published (a scheduled one at
its time), a comment written; posts can be followed (their new comments) and saved."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from activity import registry

from .models import Comment, Post


def register():
    registry.register_item(
        registry.Item(
            key="blog.post",
            model=Post,
            label=pgettext_lazy("what can be followed", "blog post"),
            title=lambda post: post.title,
            group_id=lambda post: post.group_id,
            site_id=lambda post: post.community_id,
            select_related=("group",),
        )
    )
    registry.register_item(
        registry.Item(
            key="blog.comment",
            model=Comment,
            label=pgettext_lazy("what can be followed", "comment"),
            title=lambda comment: comment.post.title,
            group_id=lambda comment: comment.post.group_id,
            site_id=lambda comment: comment.post.community_id,
            followable=False,
            bookmarkable=False,
            select_related=("post__group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="blog.published",
            model=Post,
            message=_("{actor} published {target}"),
            once=True,
            new_item=True,
            # Its author sees a draft too; the line is for what everyone may read.
            visible=lambda user: Post.objects.visible_to(user).published(),
            select_related=("group",),
        )
    )
    registry.register_kind(
        registry.Kind(
            key="blog.commented",
            model=Comment,
            message=_("{actor} commented on {target}"),
            visible=lambda user: Comment.objects.visible_to(user).filter(removed_at__isnull=True),
            thread=lambda comment: comment.post,
            told=lambda comment: {
                comment.post.author_id,
                comment.parent.author_id if comment.parent_id else None,
            },
            select_related=("post__group",),
        )
    )
