"""A group's discussions, under /groups/<group_slug>/discussions/ (config/urls.py)."""

from django.urls import path

from . import views

app_name = "discussions"

urlpatterns = [
    path("", views.discussion_list, name="list"),
    path("new/", views.new_discussion, name="new"),
    path("<id:discussion_id>/", views.thread, name="thread"),
    path("<id:discussion_id>/edit/", views.edit_discussion, name="edit"),
    path("<id:discussion_id>/reply/", views.reply, name="reply_post"),
    path("<id:discussion_id>/manage/", views.manage, name="manage"),
    path("<id:discussion_id>/replies/<id:reply_id>/", views.reply_link, name="reply"),
    path("<id:discussion_id>/replies/<id:reply_id>/edit/", views.edit_reply, name="edit_reply"),
]
