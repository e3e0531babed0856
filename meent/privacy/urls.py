from django.urls import path

from . import views

app_name = "privacy"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.start_export, name="start_export"),
    path("export/<int:pk>/", views.export_detail, name="export"),
    path("export/<int:pk>/status/", views.export_status, name="export_status"),
    path("export/<int:pk>/download/", views.download, name="download"),
    path("delete/", views.delete_account, name="delete"),
]
