from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("me/edit/", views.edit_profile, name="edit_profile"),
    path("mention-suggestions/", views.mention_suggestions, name="mention_suggestions"),
    path("<id:pk>/", views.profile, name="profile"),
]
