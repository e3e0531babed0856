"""A group's events, under /groups/<group_slug>/ (config/urls.py includes this before groups)."""

from django.urls import path

from . import views

urlpatterns = [
    path("events/new/", views.new_group_event, name="group_event_new"),
]
