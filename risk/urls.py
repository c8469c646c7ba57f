from django.urls import path

from . import views

app_name = "risk"

urlpatterns = [
    path("new/", views.assessment_new, name="new"),
    path("compare/", views.assessment_compare, name="compare"),
    path("marac-referral/", views.marac_referral, name="marac_referral"),
    path("<uuid:public_id>/", views.assessment_detail, name="detail"),
]
