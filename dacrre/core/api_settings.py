"""API rate limit and pagination, apart from dacrre.core.api: DRF imports these while it loads its
views, so this module must not import rest_framework.views."""

from django.conf import settings
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import UserRateThrottle


class AccountRateThrottle(UserRateThrottle):
    """Requests per account (each agency's API token is an account), from API_RATE_LIMIT, read on
    every request so that operations can change it without a code change."""

    scope = "account"

    def get_rate(self) -> str | None:
        return settings.API_RATE_LIMIT


class Pagination(PageNumberPagination):
    """50 a page by default; a client may ask for up to 200 with ?page_size=."""

    page_size_query_param = "page_size"
    max_page_size = 200
