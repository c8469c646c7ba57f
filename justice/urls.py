from django.urls import path

from . import views

app_name = "justice"

urlpatterns = [
    path("nfa-reviews/", views.nfa_queue, name="nfa_queue"),
    path("cases/<uuid:case_id>/", views.case_outcomes, name="case"),
    path("cases/<uuid:case_id>/crimes/<uuid:incident_id>/record/", views.outcome_new, name="record"),
    path("cases/<uuid:case_id>/nfa/<uuid:public_id>/", views.nfa_review, name="nfa_review"),
    path("cases/<uuid:case_id>/victim-update/", views.victim_update, name="victim_update"),
]
