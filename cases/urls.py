from django.urls import path

from . import operations_views, views

app_name = "cases"

urlpatterns = [
    path("", views.home, name="home"),
    path("caseload/", views.caseload, name="caseload"),
    path("cases/", views.case_list, name="list"),
    path("cases/break-glass/", views.break_glass, name="break_glass"),
    path("operations/", operations_views.operation_list, name="operations"),
    path("operations/new/", operations_views.operation_new, name="operation_new"),
    path("operations/<uuid:public_id>/", operations_views.operation_detail, name="operation_detail"),
    path("operations/<uuid:public_id>/edit/", operations_views.operation_edit, name="operation_edit"),
    path("operations/<uuid:public_id>/add-case/", operations_views.operation_add_case, name="operation_add_case"),
    path("operations/<uuid:public_id>/cadences/", views.operation_cadences, name="operation_cadences"),
    # Directly under the case list: templates/includes/case_table.html builds these links from the list's.
    path("cases/<uuid:public_id>/", views.case_detail, name="detail"),
    path("cases/<uuid:public_id>/status/", views.case_status, name="status"),
    path("cases/<uuid:public_id>/reopen/", views.case_reopen, name="reopen"),
]
