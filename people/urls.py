from django.urls import path

from . import views

# "directory": the admin's list of people is "people" already.
app_name = "directory"

urlpatterns = [
    path("", views.directory, name="index"),
]
