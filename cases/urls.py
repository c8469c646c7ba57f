from django.urls import path

from . import views

app_name = "cases"

urlpatterns = [
    path("", views.caseload, name="caseload"),
    path("cases/", views.case_list, name="list"),
    path("cases/break-glass/", views.break_glass, name="break_glass"),
    path("operations/<uuid:public_id>/cadences/", views.operation_cadences, name="operation_cadences"),
    path("cases/<uuid:public_id>/", views.case_detail, name="detail"),
]
