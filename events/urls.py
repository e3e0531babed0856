"""Events under /events/: the agendas and the fixed paths first, then one event's pages."""

from django.urls import path

from . import agenda_views, calendar_views, guest_views, organiser_views, views

app_name = "events"

urlpatterns = [
    path("", agenda_views.community_agenda, name="agenda"),
    path("month/", agenda_views.month, name="month"),
    path("mine/", agenda_views.my_agenda, name="mine"),
    path("new/", views.new_community_event, name="new"),
    path("calendar/", calendar_views.my_calendar, name="calendar"),
    path("calendar/<str:token>.ics", calendar_views.personal_feed, name="personal_feed"),
    path("guest/<str:token>/", guest_views.guest_confirm, name="guest_confirm"),
    path("guest/<str:token>/cancel/", guest_views.guest_cancel, name="guest_cancel"),
    path("<slug:slug>/", views.event_page, name="event"),
    path("<slug:slug>/event.ics", calendar_views.event_ics, name="ics"),
    path("<slug:slug>/edit/", views.edit_event, name="edit"),
    path("<slug:slug>/cancel/", views.cancel_event, name="cancel"),
    path("<slug:slug>/delete/", views.delete_event, name="delete"),
    path("<slug:slug>/answer/", views.answer, name="answer"),
    path("<slug:slug>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/occurrence/", views.change_occurrence, name="occurrence"),
    path("<slug:slug>/guest/", guest_views.guest_signup, name="guest_signup"),
    path("<slug:slug>/meeting/", organiser_views.meeting, name="meeting"),
    path("<slug:slug>/attendees/", organiser_views.attendees, name="attendees"),
    path("<slug:slug>/attendees.csv", organiser_views.attendees_csv, name="attendees_csv"),
    path(
        "<slug:slug>/attendees/<id:attendance_id>/remove/",
        organiser_views.remove_attendee,
        name="remove_attendee",
    ),
    path("<slug:slug>/message/", organiser_views.message, name="message"),
]
