"""Events under /events/: the agendas and the fixed paths first, then one event's pages."""

from django.urls import path

from . import agenda_views, views

app_name = "events"

urlpatterns = [
    path("", agenda_views.community_agenda, name="agenda"),
    path("month/", agenda_views.month, name="month"),
    path("mine/", agenda_views.my_agenda, name="mine"),
    path("new/", views.new_community_event, name="new"),
    path("<slug:slug>/", views.event_page, name="event"),
    path("<slug:slug>/edit/", views.edit_event, name="edit"),
    path("<slug:slug>/cancel/", views.cancel_event, name="cancel"),
    path("<slug:slug>/delete/", views.delete_event, name="delete"),
    path("<slug:slug>/answer/", views.answer, name="answer"),
    path("<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/occurrence/", views.change_occurrence, name="occurrence"),
]
