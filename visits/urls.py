from django.urls import path

from . import views

app_name = "visits"

urlpatterns = [
    path("new/", views.visit_new, name="new"),
    path("plan/", views.visit_plan, name="plan"),
    path("<uuid:public_id>/", views.visit_detail, name="detail"),
    path("<uuid:public_id>/cancel/", views.visit_cancel, name="cancel"),
]
