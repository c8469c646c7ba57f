from django.urls import path

from . import views

app_name = "reminders"

urlpatterns = [
    path("", views.my_tasks, name="my_tasks"),
    # Directly under My tasks: templates/reminders/_task_table.html builds these links from its address.
    path("<uuid:public_id>/dismiss/", views.dismiss, name="dismiss"),
]
