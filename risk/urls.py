from django.urls import path

from . import stalking_views, views

app_name = "risk"

urlpatterns = [
    path("new/", views.assessment_new, name="new"),
    path("compare/", views.assessment_compare, name="compare"),
    path("marac-referral/", views.marac_referral, name="marac_referral"),
    path("<uuid:public_id>/", views.assessment_detail, name="detail"),
    path("stalking/new/", stalking_views.screening_new, name="stalking_new"),
    path("stalking/<uuid:public_id>/", stalking_views.screening_detail, name="stalking_detail"),
    path("stalking/<uuid:public_id>/referral/", stalking_views.pathway_referral, name="stalking_referral"),
]
