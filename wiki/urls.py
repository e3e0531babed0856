from django.urls import path

from . import views

app_name = "wiki"

# Actions live under "-/", which no page's web address can be, so any path below is a page.
urlpatterns = [
    path("", views.wiki_index, name="index"),
    path("-/new/", views.page_create, name="create"),
    path("-/titles/", views.page_titles, name="titles"),
    path("-/files/", views.attachment_upload, name="upload"),
    path("-/files/<uuid:key>/<str:name>", views.attachment_download, name="attachment"),
    path("-/<id:page_id>/edit/", views.page_edit, name="edit"),
    path("-/<id:page_id>/move/", views.page_move, name="move"),
    path("-/<id:page_id>/shift/", views.page_shift, name="shift"),
    path("-/<id:page_id>/delete/", views.page_delete, name="delete"),
    path("-/<id:page_id>/watch/", views.page_watch, name="watch"),
    path("-/<id:page_id>/history/", views.page_history, name="history"),
    path("-/<id:page_id>/history/<id:number>/", views.revision_view, name="revision"),
    path("-/<id:page_id>/history/<id:number>/restore/", views.page_restore, name="restore"),
    path("-/<id:page_id>/compare/", views.page_compare, name="compare"),
    path("-/<id:page_id>/export.<str:fmt>", views.page_export, name="export"),
    path("<path:page_path>/", views.page_view, name="page"),
]
