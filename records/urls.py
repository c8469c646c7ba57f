from django.urls import path

from . import views

app_name = "records"

urlpatterns = [
    path("reviews/", views.reviews, name="reviews"),
    path("reviews/<uuid:public_id>/", views.review, name="review"),
    path("reviews/<uuid:public_id>/dispose/", views.dispose, name="dispose"),
    path("disposals/", views.disposals, name="disposals"),
    path("disposals/<uuid:public_id>/", views.disposal, name="disposal"),
    path("subject-access/", views.subject_access, name="subject_access"),
    path("subject-access/people/<uuid:public_id>/", views.subject_access_person, name="subject_access_person"),
    path("subject-access/<uuid:public_id>/", views.subject_access_request, name="subject_access_request"),
    path("subject-access/<uuid:public_id>/download/", views.subject_access_download, name="subject_access_download"),
]
