"""A group's questions, under /groups/<group_slug>/questions/ (config/urls.py includes it before
the groups' own patterns); the forms and buttons of a question are under /questions/ (urls.py)."""

from django.urls import path

from . import views

app_name = "group_questions"

urlpatterns = [
    path("", views.group_list, name="list"),
    path("new/", views.group_ask, name="ask"),
    path("<id:question_id>/", views.group_question_page, name="question"),
]
