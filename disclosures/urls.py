from django.urls import path

from . import views

app_name = "disclosures"

urlpatterns = [
    path("new/", views.application_new, name="new"),
    path("<uuid:public_id>/", views.application_detail, name="detail"),
]
