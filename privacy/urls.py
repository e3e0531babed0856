from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.start_export, name="start_export"),
    path("export/<id:pk>/", views.export_detail, name="export"),
    path("export/<id:pk>/status/", views.export_status, name="export_status"),
    path("export/<id:pk>/download/", views.download, name="download"),
    path("delete/", views.delete_account, name="delete"),
]
