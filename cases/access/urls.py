"""The auditors' pages of case access. The shell (dacrre/urls.py) puts them under /audit/, in the
"audit" namespace, beside the access log."""

from django.urls import path

from . import views

auditor_urlpatterns = [
    path("break-glass/", views.break_glass_reviews, name="break_glass_reviews"),
    path("break-glass/<uuid:public_id>/review/", views.break_glass_review_submit, name="break_glass_review"),
]
