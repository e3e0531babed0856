from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("me/edit/", views.edit_profile, name="edit_profile"),
    path("<int:pk>/", views.profile, name="profile"),
]
