from django.urls import path

from . import views

app_name = "equipment"

urlpatterns = [
    path("", views.register, name="register"),
    path("new/", views.item_new, name="item_new"),
    path("funds/new/", views.fund_new, name="fund_new"),
    path("cases/<uuid:case_id>/issue/", views.issue_new, name="issue_new"),
    path("cases/<uuid:case_id>/<uuid:public_id>/", views.issue_detail, name="issue"),
    path("cases/<uuid:case_id>/<uuid:public_id>/return/", views.issue_return, name="return"),
]
