from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("actions/", views.agency_actions, name="actions"),
    path("actions/<uuid:public_id>/complete/", views.action_complete, name="action_complete"),
    path("items/<uuid:public_id>/<slug:change>/", views.agenda_item_change, name="item_change"),
    path("<uuid:public_id>/", views.meeting_detail, name="detail"),
    path("<uuid:public_id>/conclude/", views.meeting_conclude, name="conclude"),
    path("<uuid:public_id>/overview/", views.panel_overview_page, name="overview"),
    path("<uuid:public_id>/<slug:change>/", views.meeting_change, name="change"),
]
