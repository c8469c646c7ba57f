from django.urls import path

from . import views

app_name = "notes"

urlpatterns = [
    path("", views.note_list, name="list"),
    path("new/", views.note_new, name="new"),
    path("<uuid:public_id>/", views.note_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.note_edit, name="edit"),
]
