from django.urls import path

from . import views

app_name = "groups"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_create, name="create"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("<slug:slug>/", views.group_home, name="home"),
    path("<slug:slug>/edit/", views.group_edit, name="edit"),
    path("<slug:slug>/join/", views.group_join, name="join"),
    path("<slug:slug>/join/withdraw/", views.group_join_withdraw, name="join_withdraw"),
    path("<slug:slug>/leave/", views.group_leave, name="leave"),
    path("<slug:slug>/archive/", views.group_archive, name="archive"),
    path("<slug:slug>/members/", views.group_members, name="members"),
    path("<slug:slug>/members/<id:membership_id>/role/", views.member_role, name="member_role"),
    path(
        "<slug:slug>/members/<id:membership_id>/remove/", views.member_remove, name="member_remove"
    ),
    path("<slug:slug>/requests/", views.join_requests, name="requests"),
    path("<slug:slug>/requests/<id:request_id>/", views.join_request_decide, name="request_decide"),
    path("<slug:slug>/invitations/", views.invitations, name="invitations"),
    path(
        "<slug:slug>/invitations/<id:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("<slug:slug>/pins/", views.pin_add, name="pin_add"),
    path("<slug:slug>/pins/<id:pin_id>/remove/", views.pin_remove, name="pin_remove"),
]
