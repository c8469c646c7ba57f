from django.urls import path

from . import views

app_name = "victims"

urlpatterns = [path("<uuid:public_id>/", views.victim_detail, name="detail")]
