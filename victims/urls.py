from django.urls import path

from . import details, views

app_name = "victims"

urlpatterns = [
    path("<uuid:public_id>/", views.victim_detail, name="detail"),
    path("<uuid:public_id>/contact-details/", details.victim_details, name="details"),
    path("children/<uuid:public_id>/school/", details.child_details, name="child_details"),
]
