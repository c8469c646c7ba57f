"""Version 1 of the REST API. The schema is at /api/schema/ and the documentation at /api/docs/."""

from rest_framework.routers import DefaultRouter

from cases.api import CaseViewSet, PersonViewSet
from referrals.api import ReferralViewSet
from reminders.api import ReminderViewSet
from risk.api import RiskAssessmentViewSet
from safety_plans.api import SafetyPlanViewSet
from visits.api import VisitViewSet

# Path converters rather than regexes, so that ids are typed: a malformed one is 404, not an error.
router = DefaultRouter(use_regex_path=False)
router.include_format_suffixes = False  # one URL per resource (no `/cases.json` twins in the schema)
router.register("cases", CaseViewSet, basename="case")
router.register("people", PersonViewSet, basename="person")
router.register("visits", VisitViewSet, basename="visit")
router.register("risk-assessments", RiskAssessmentViewSet, basename="riskassessment")
router.register("safety-plans", SafetyPlanViewSet, basename="safetyplan")
router.register("tasks", ReminderViewSet, basename="task")
router.register("referrals", ReferralViewSet, basename="referral")

app_name = "api"
urlpatterns = router.urls
