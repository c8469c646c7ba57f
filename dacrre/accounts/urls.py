from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.SignInView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("second-factor/", views.second_factor, name="second_factor"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("keep-alive/", views.keep_alive, name="keep_alive"),
]
