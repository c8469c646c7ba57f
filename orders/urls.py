from django.urls import path

from . import views

app_name = "orders"

urlpatterns = [
    path("new/", views.order_new, name="new"),
    path("<uuid:public_id>/", views.order_detail, name="detail"),
    path("<uuid:public_id>/edit/", views.order_edit, name="edit"),
]
