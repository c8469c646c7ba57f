from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("", views.team, name="team"),
    path("people/<uuid:public_id>/", views.holder, name="holder"),
    path("closures/", views.closures, name="closures"),
    path("cases/<uuid:case_id>/close/", views.closure_request, name="closure_request"),
]
