"""/blog/...: the list of posts, a post by its slug, and what is done with posts and comments.

The per-group and per-person blogs and the feeds are routed in config/urls.py and
blog/feed_urls.py. "new" is never a post's slug (blog/services.py), so /blog/new/ is the form.
"""

from django.urls import path

from . import views

app_name = "blog"

urlpatterns = [
    path("", views.post_list, name="list"),
    path("new/", views.post_create, name="create"),
    path("comments/<id:comment_id>/edit/", views.comment_edit, name="comment_edit"),
    path("comments/<id:comment_id>/delete/", views.comment_delete, name="comment_delete"),
    path("comments/<id:comment_id>/remove/", views.comment_remove, name="comment_remove"),
    path("comments/<id:comment_id>/like/", views.comment_like, name="comment_like"),
    path("comments/<id:comment_id>/likes/", views.comment_likes, name="comment_likes"),
    path("<slug:slug>/", views.post_detail, name="post"),
    path("<slug:slug>/edit/", views.post_edit, name="edit"),
    path("<slug:slug>/publish/", views.post_publish, name="publish"),
    path("<slug:slug>/unpublish/", views.post_unpublish, name="unpublish"),
    path("<slug:slug>/comments/", views.comment_add, name="comment"),
    path("<slug:slug>/like/", views.post_like, name="like"),
    path("<slug:slug>/likes/", views.post_likes, name="likes"),
]
