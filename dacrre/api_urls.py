"""Version 1 of the REST API. The schema is at /api/schema/ and the documentation at /api/docs/."""

from rest_framework.routers import DefaultRouter

from referrals.api import ReferralViewSet

router = DefaultRouter()
router.register("referrals", ReferralViewSet, basename="referral")

app_name = "api"
urlpatterns = router.urls
