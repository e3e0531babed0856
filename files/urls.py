"""A group's file library, under /groups/<group_slug>/files/ (config/urls.py includes it before
the groups' own patterns)."""

from django.urls import path

from . import download_views, views

app_name = "files"

urlpatterns = [
    path("", views.library, name="library"),
    path("trash/", views.trash, name="trash"),
    path("trash/restore/", views.trash_restore, name="trash_restore"),
    path("trash/delete/", views.trash_delete, name="trash_delete"),
    path("pick.json", download_views.pick, name="pick"),
    path("folders/<id:folder_id>/", views.folder, name="folder"),
    path("folders/<id:folder_id>/upload/", views.upload, name="upload"),
    path("folders/<id:folder_id>/new/", views.new_folder, name="new_folder"),
    path("folders/<id:folder_id>/edit/", views.folder_edit, name="folder_edit"),
    path("folders/<id:folder_id>/move/", views.folder_move, name="folder_move"),
    path("folders/<id:folder_id>/delete/", views.folder_delete, name="folder_delete"),
    path("folders/<id:folder_id>/download.zip", download_views.folder_zip, name="zip"),
    path("<id:file_id>/", views.file_page, name="file"),
    path("<id:file_id>/edit/", views.file_edit, name="file_edit"),
    path("<id:file_id>/move/", views.file_move, name="move"),
    path("<id:file_id>/version/", views.new_version, name="new_version"),
    path(
        "<id:file_id>/versions/<id:number>/restore/",
        views.restore_version,
        name="restore_version",
    ),
    path("<id:file_id>/delete/", views.file_delete, name="delete"),
    path("<id:file_id>/download/<str:name>", download_views.download, name="download"),
    path("<id:file_id>/versions/<id:number>/<str:name>", download_views.version, name="version"),
    path("<id:file_id>/preview/<id:number>", download_views.preview, name="preview"),
]
