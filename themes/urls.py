from django.urls import path

from themes import views

app_name = "themes"
urlpatterns = [
    path("<id:site_id>/<str:digest>.css", views.theme_css, name="css"),
]
