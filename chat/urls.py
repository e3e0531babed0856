from django.urls import path

from . import views

app_name = "chat"

urlpatterns = [
    path("", views.conversation_list, name="list"),
    path("new/", views.new_direct, name="new_direct"),
    path("group/<slug:slug>/", views.group_room, name="group_room"),
    path("group/<slug:slug>/call/", views.group_call, name="group_call"),
    path("<id:room_id>/", views.room, name="room"),
    path("<id:room_id>/send/", views.post, name="post"),
    path("<id:room_id>/history/", views.history, name="history"),
]
