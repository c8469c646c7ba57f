from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("open-cases/", views.open_cases, name="open_cases"),
]
