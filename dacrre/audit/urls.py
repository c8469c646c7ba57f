"""The access log's pages. The shell (dacrre/urls.py) puts them under /audit/ in the "audit"
namespace, with the break-glass reviews of case access (cases/access/urls.py)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.access_log, name="access_log"),
]
