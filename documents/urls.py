from django.urls import path

from . import views

app_name = "documents"

urlpatterns = [
    path("add/<slug:target_kind>/<uuid:target_id>/", views.document_new, name="new"),
    path("<uuid:public_id>/", views.document_detail, name="detail"),
    path("<uuid:public_id>/preview/", views.document_preview, name="preview"),
    path("<uuid:public_id>/download/", views.document_download, name="download"),
]
