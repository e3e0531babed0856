from django.urls import path

from . import admin_views

app_name = "moderation_admin"

urlpatterns = [
    path("", admin_views.QueueView.as_view(), name="queue"),
    path("<id:pk>/", admin_views.ReportView.as_view(), name="report"),
]
