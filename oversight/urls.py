from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("", views.team, name="team"),
    path("people/<uuid:public_id>/", views.holder, name="holder"),
    path("closures/", views.closures, name="closures"),
    path("cases/<uuid:case_id>/close/", views.closure_request, name="closure_request"),
    path("cases/<uuid:case_id>/staff/", views.staff, name="staff"),
    path("cases/<uuid:case_id>/transfer/", views.transfer_request, name="transfer_request"),
    path("transfers/", views.transfers_queue, name="transfers"),
]
