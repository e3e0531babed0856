from django.urls import path

from . import admin_views

app_name = "moderation_admin"

urlpatterns = [
    path("", admin_views.QueueView.as_view(), name="queue"),
    path("<id:pk>/", admin_views.ReportView.as_view(), name="report"),
    path("people/<id:pk>/suspend/", admin_views.SuspendView.as_view(), name="suspend"),
    path(
        "people/<id:pk>/lift-suspension/",
        admin_views.LiftSuspensionView.as_view(),
        name="lift_suspension",
    ),
]
