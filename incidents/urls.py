from django.urls import path

from . import views

app_name = "incidents"

urlpatterns = [
    path("import/", views.import_upload, name="import"),
    path("import/guide/", views.import_guide, name="import_guide"),
    path("import/sample.csv", views.import_sample, name="import_sample"),
    path("import/<uuid:public_id>/", views.import_detail, name="import_detail"),
    path("import/<uuid:public_id>/progress/", views.import_progress, name="import_progress"),
    path("import/<uuid:public_id>/confirm/", views.import_confirm, name="import_confirm"),
    path("import/<uuid:public_id>/run-again/", views.import_run_again, name="import_run_again"),
]
