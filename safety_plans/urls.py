from django.urls import path

from . import views

app_name = "safety_plans"

urlpatterns = [
    path("children/", views.children, name="children"),
    path("<uuid:victim_id>/", views.safety_plan, name="plan"),
    path("<uuid:victim_id>/versions/", views.versions, name="versions"),
    path("<uuid:victim_id>/versions/<int:number>/", views.version_detail, name="version"),
]
