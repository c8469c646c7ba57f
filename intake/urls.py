from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("open/", views.open_case, name="open"),
    path("cases/<uuid:case_id>/victims/new/", views.add_victim, name="add_victim"),
    path("cases/<uuid:case_id>/children/new/", views.add_child, name="add_child"),
]
