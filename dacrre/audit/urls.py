from django.urls import path

from . import views

app_name = "audit"

urlpatterns = [
    path("", views.access_log, name="access_log"),
    path("break-glass/", views.break_glass_reviews, name="break_glass_reviews"),
    path("break-glass/<uuid:public_id>/review/", views.break_glass_review_submit, name="break_glass_review"),
]
