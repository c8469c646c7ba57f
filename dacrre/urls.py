from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from cases.access import urls as case_access_urls
from dacrre.audit import urls as audit_urls
from dacrre.core.api import SwaggerView
from dacrre.shell.views import glossary, healthz, readyz

handler403 = "dacrre.core.error_pages.permission_denied"

admin.site.site_header = "dacrre administration"
admin.site.site_title = "dacrre administration"

urlpatterns = [
    path("", include("cases.urls")),
    path("cases/<uuid:case_id>/visits/", include("visits.urls")),
    path("cases/<uuid:case_id>/risk/", include("risk.urls")),
    path("cases/<uuid:case_id>/safety-plans/", include("safety_plans.urls")),
    path("cases/<uuid:case_id>/orders/", include("orders.urls")),
    path("cases/<uuid:case_id>/disclosures/", include("disclosures.urls")),
    path("cases/<uuid:case_id>/referrals/", include("referrals.case_urls")),
    path("cases/<uuid:case_id>/notes/", include("notes.urls")),
    path("cases/<uuid:case_id>/summary/", include("casefile.urls")),
    path("search/", include("search.urls")),
    path("referrals/", include("referrals.urls")),
    path("intake/", include("intake.urls")),
    path("meetings/", include("meetings.urls")),
    path("incidents/", include("incidents.urls")),
    path("scoring/", include("scoring.urls")),
    path("people/", include("people.urls")),
    path("tasks/", include("reminders.urls")),
    path("team/", include("oversight.urls")),
    path("reports/", include("reports.urls")),
    path("accounts/", include("dacrre.accounts.urls")),
    path("perpetrators/", include("perpetrators.urls")),
    path("perpetrators/<uuid:perpetrator_id>/", include("offender_management.urls")),
    path("victims/", include("victims.urls")),
    path("equipment/", include("equipment.urls")),
    path("justice/", include("justice.urls")),
    path("experience/", include("experience.urls")),
    path("documents/", include("documents.urls")),
    path("records/", include("records.urls")),
    path("audit/", include((audit_urls.urlpatterns + case_access_urls.auditor_urlpatterns, "audit"))),
    path("admin/", admin.site.urls),
    path("api/v1/", include("dacrre.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("glossary/", glossary, name="glossary"),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
]
