from django.urls import path

from . import views

app_name = "offender_management"

urlpatterns = [
    path("programmes/new/", views.allocate, name="allocate"),
    path("programmes/<uuid:public_id>/", views.programme, name="programme"),
    path("programmes/<uuid:public_id>/end/", views.end_allocation, name="end_allocation"),
    path("interventions/new/", views.record_intervention, name="record_intervention"),
]
