"""A group's events, under /groups/<group_slug>/ (config/urls.py includes this before groups)."""

from django.urls import path

from . import agenda_views, calendar_views, views

urlpatterns = [
    path("agenda/", agenda_views.group_agenda, name="group_agenda"),
    path("events/new/", views.new_group_event, name="group_event_new"),
    path("agenda.ics", calendar_views.group_calendar, name="group_calendar"),
]
