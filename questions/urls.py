"""Questions under /questions/: the community's list, asking on the community, similar questions,
and every question's forms and buttons (a group's question's page is under its group:
group_urls.py)."""

from django.urls import path

from . import views

app_name = "questions"

urlpatterns = [
    path("", views.community_list, name="list"),
    path("new/", views.ask, name="ask"),
    path("similar.json", views.similar, name="similar"),
    path("<id:question_id>/", views.question_page, name="question"),
    path("<id:question_id>/edit/", views.edit_question, name="edit"),
    path("<id:question_id>/answer/", views.post_answer, name="answer"),
    path("<id:question_id>/best/", views.best_answer, name="best"),
    path("<id:question_id>/reopen/", views.reopen, name="reopen"),
    path("answers/<id:answer_id>/edit/", views.edit_answer, name="edit_answer"),
    path("answers/<id:answer_id>/vote/", views.vote, name="vote"),
]
