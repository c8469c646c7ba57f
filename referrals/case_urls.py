from django.urls import path

from . import views

app_name = "case_referrals"

urlpatterns = [path("new/", views.referral_new, name="new")]
