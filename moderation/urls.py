from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("report/<slug:kind>/<int:object_id>/", views.report, name="report"),
    path("groups/<slug:group_slug>/reports/", views.group_reports, name="group_reports"),
    path(
        "groups/<slug:group_slug>/reports/<int:report_id>/",
        views.group_decide,
        name="group_decide",
    ),
]
