from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("open-cases/", views.open_cases, name="open_cases"),
    path("refresh/", views.refresh_scores, name="refresh"),
    path("tasking/", views.tasking, name="tasking"),
    path("tasking/<uuid:public_id>/", views.tasking_detail, name="tasking_detail"),
]
