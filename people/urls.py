from django.urls import path

from . import views

app_name = "people"

urlpatterns = [
    path("duplicates/", views.duplicates, name="duplicates"),
    path("duplicates/<uuid:public_id>/", views.duplicate_detail, name="duplicate_detail"),
]
