from django.urls import path

from . import views

app_name = "experience"

urlpatterns = [
    path("thresholds/", views.thresholds, name="thresholds"),
    path("cases/<uuid:case_id>/victims/<uuid:victim_id>/survey/", views.survey_new, name="survey"),
]
