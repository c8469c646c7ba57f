from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.performance, name="performance"),
    path("pack/", views.pack, name="pack"),
]
