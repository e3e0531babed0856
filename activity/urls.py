from django.urls import path

from . import digest_views, views

app_name = "activity"

urlpatterns = [
    path("following/", views.following, name="following"),
    path("following/<str:item_key>/<id:pk>/", views.follow, name="follow"),
    path("saved/", views.saved, name="saved"),
    path("saved/<str:item_key>/<id:pk>/", views.save, name="save"),
    # The content digest (digest.py): its setting, and the one-click unsubscribe link.
    path("following/digest/", digest_views.digest_setting, name="digest_setting"),
    path(
        "following/digest/unsubscribe/<str:token>/",
        digest_views.unsubscribe,
        name="digest_unsubscribe",
    ),
]
