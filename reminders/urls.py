from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    path("<uuid:public_id>/dismiss/", views.dismiss, name="dismiss"),
]
