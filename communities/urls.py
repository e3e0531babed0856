from django.urls import path

from . import views

app_name = "communities"
urlpatterns = [
    path("", views.CommunityListView.as_view(), name="index"),
    path("add/", views.CommunityCreateView.as_view(), name="add"),
]
