from django.urls import path

from . import views

app_name = "activity"

urlpatterns = [
    path("following/", views.following, name="following"),
    path("following/<str:item_key>/<id:pk>/", views.follow, name="follow"),
    path("saved/", views.saved, name="saved"),
    path("saved/<str:item_key>/<id:pk>/", views.save, name="save"),
]
