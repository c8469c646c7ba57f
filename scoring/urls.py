from django.urls import path

from . import views

app_name = "scoring"

urlpatterns = [
    path("", views.ranking, name="ranking"),
    path("open-cases/", views.open_cases, name="open_cases"),
    path("refresh/", views.refresh_scores, name="refresh"),
    path("tasking/", views.tasking, name="tasking"),
    path("tasking/<uuid:public_id>/", views.tasking_detail, name="tasking_detail"),
    path("tasking/<uuid:public_id>/inspectors/", views.tasking_inspectors, name="tasking_inspectors"),
    path("tasking/<uuid:public_id>/entries/<uuid:perpetrator_id>/", views.tasking_entry, name="tasking_entry"),
    path("tasking/mine/", views.my_tasking, name="my_tasking"),
    path("tasking/assignments/<uuid:public_id>/", views.tasking_result, name="tasking_result"),
]
