from django.urls import path

from . import views

app_name = "casefile"

urlpatterns = [path("", views.case_summary, name="summary")]
