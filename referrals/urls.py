from django.urls import path

from . import views

app_name = "referrals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    # Directly under the inbox: templates/referrals/_table.html builds these links from the inbox's.
    path("<uuid:public_id>/", views.referral_detail, name="detail"),
    path("<uuid:public_id>/summary/", views.referral_summary, name="summary"),
    path("<uuid:public_id>/<slug:action>/", views.referral_action, name="action"),
]
