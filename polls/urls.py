"""A group's polls, under /groups/<group_slug>/polls/ (config/urls.py includes it before the
groups' own patterns)."""

from django.urls import path

from . import views

app_name = "polls"

urlpatterns = [
    path("", views.poll_list, name="list"),
    path("new/", views.new_poll, name="new"),
    path("<id:poll_id>/", views.poll_page, name="poll"),
    path("<id:poll_id>/vote/", views.vote, name="vote"),
    path("<id:poll_id>/results.json", views.results_json, name="results"),
    path("<id:poll_id>/voters/", views.voters, name="voters"),
    path("<id:poll_id>/edit/", views.edit_poll, name="edit"),
    path("<id:poll_id>/close/", views.close_poll, name="close"),
]
