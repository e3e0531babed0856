"""The blogs over HTTP: lists, posts, the post form, comments and likes.

Every visibility question goes to the access policy (blog/policies.py through meent/access.py);
every change goes through blog/services.py, whose ``BlogError`` becomes a form error or a message
on a 4xx page. Lists and post pages load in a fixed number of queries, however many posts,
comments and likes there are.

One module per concern: lists, posts, comments, likes; what they share in common."""

from .comments import comment_add, comment_delete, comment_edit, comment_remove
from .common import refuse, refuse_oversized
from .likes import comment_like, comment_likes, post_like, post_likes
from .lists import group_blog, person_blog, post_list
from .posts import post_create, post_detail, post_edit, post_publish, post_unpublish

__all__ = [
    "comment_add",
    "comment_delete",
    "comment_edit",
    "comment_like",
    "comment_likes",
    "comment_remove",
    "group_blog",
    "person_blog",
    "post_create",
    "post_detail",
    "post_edit",
    "post_like",
    "post_likes",
    "post_list",
    "post_publish",
    "post_unpublish",
    "refuse",
    "refuse_oversized",
]
