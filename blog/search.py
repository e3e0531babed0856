"""Blog posts and comments in search (see search/registry.py).

A scheduled post is indexed once, with two sets of labels: its author's label at once, and the
labels it will have when published, from its publication time on (``prepare_scheduled_access``).
The index filters on the time, so the post appears for its readers at that moment without being
indexed again. Drafts carry their author's label only. Removed comments are not indexed.
"""

from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from groups.models import Group
from groups.signals import part_switched
from search.indexing import queue_ids
from search.registry import SearchDocument, register

from .models import Comment, Post
from .policies import post_labels


def scheduled_labels(post):
    if not post.is_scheduled:
        return {}
    now = post_labels(post)
    return {
        label: post.published_at
        for label in post_labels(post, now=post.published_at)
        if label not in now
    }


@register
class PostDocument(SearchDocument):
    model = Post
    type_name = "blog_post"
    type_label = _("Blog posts")
    # Comments follow their post's labels and title.
    related_fields = ("visibility", "published_at", "group_id", "title", "slug", "hidden_at")

    def get_queryset(self):
        return Post.objects.select_related("author", "group")

    def related_to(self, obj):
        if isinstance(obj, Group):
            return Post.objects.filter(group_id=obj.pk)
        if isinstance(obj, User):
            return Post.objects.filter(author_id=obj.pk)
        return None

    def should_index(self, post):
        return post.hidden_at is None

    def prepare_title(self, post):
        return post.title

    def prepare_body(self, post):
        return f"{post.summary}\n{post.body}"

    def prepare_organisation_id(self, post):
        return post.author.organisation_id if post.author_id else None

    def prepare_site_id(self, post):
        # A personal post belongs to the community it was written on (None: the default one's
        # posts from before communities had their own, found on the default community).
        return post.community_id

    def prepare_author_id(self, post):
        return post.author_id

    def prepare_date(self, post):
        return post.published_at or post.created_at

    def prepare_scheduled_access(self, post):
        return scheduled_labels(post)


@register
class CommentDocument(SearchDocument):
    model = Comment
    type_name = "blog_comment"
    type_label = _("Comments")

    def get_queryset(self):
        return Comment.objects.select_related("post__author", "post__group", "author__organisation")

    def should_index(self, comment):
        return not comment.is_removed and comment.post.hidden_at is None

    def related_to(self, obj):
        if isinstance(obj, Post):
            return Comment.objects.filter(post_id=obj.pk)
        if isinstance(obj, Group):
            return Comment.objects.filter(post__group_id=obj.pk)
        if isinstance(obj, User):
            return Comment.objects.filter(post__author_id=obj.pk)
        return None

    def prepare_title(self, comment):
        return ""  # a comment has no title of its own

    def prepare_context(self, comment):
        # The post's title: what the comment is about, shown with it, ranked below what the
        # comment says (a post's comments must not outrank the post on its own title).
        return comment.post.title

    def prepare_body(self, comment):
        return comment.body

    def prepare_url(self, comment):
        return comment.get_absolute_url()

    def prepare_group_id(self, comment):
        return comment.post.group_id

    def prepare_site_id(self, comment):
        return comment.post.community_id

    def prepare_organisation_id(self, comment):
        return comment.author.organisation_id if comment.author else None

    def prepare_author_id(self, comment):
        return comment.author_id

    def prepare_date(self, comment):
        return comment.created_at

    def prepare_scheduled_access(self, comment):
        return scheduled_labels(comment.post)


@receiver(part_switched, dispatch_uid="blog_search_part_switched")
def blog_switched(sender, group, part, **kwargs):
    """The group's blog switched off or on: its posts and their comments leave search or come
    back."""
    if part == "blog":
        posts = Post.objects.filter(group_id=group.pk).values_list("pk", flat=True)
        comments = Comment.objects.filter(post__group_id=group.pk).values_list("pk", flat=True)
        queue_ids(PostDocument.type_name, list(posts))
        queue_ids(CommentDocument.type_name, list(comments))
