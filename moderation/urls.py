from django.urls import path

from . import views

app_name = "moderation"

urlpatterns = [
    path("report/<slug:kind>/<id:object_id>/", views.report, name="report"),
    path("groups/<slug:group_slug>/reports/", views.group_reports, name="group_reports"),
    path(
        "groups/<slug:group_slug>/reports/<id:report_id>/",
        views.group_decide,
        name="group_decide",
    ),
]
