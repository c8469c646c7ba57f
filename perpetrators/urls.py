from django.urls import path

from . import views

app_name = "perpetrators"

urlpatterns = [path("<uuid:public_id>/", views.perpetrator_detail, name="detail")]
