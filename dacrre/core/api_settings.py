"""API rate limit and pagination, apart from dacrre.core.api: DRF imports these while it loads its
views, so this module must not import rest_framework.views."""

import logging
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache.backends.locmem import LocMemCache
from redis.exceptions import RedisError
from rest_framework.pagination import PageNumberPagination
from rest_framework.throttling import UserRateThrottle

if TYPE_CHECKING:
    from rest_framework.request import Request
    from rest_framework.views import APIView

logger = logging.getLogger(__name__)

# Errors of a cache that cannot be reached (Redis down, a socket timeout).
CACHE_ERRORS: tuple[type[Exception], ...] = (RedisError, OSError)

# Where requests are counted while the shared cache is down: this process's memory. Each web process
# then allows API_RATE_LIMIT on its own, a looser limit, but partners keep working.
_memory_counts = LocMemCache("dacrre-api-throttle", {"OPTIONS": {"MAX_ENTRIES": 10_000}})


class AccountRateThrottle(UserRateThrottle):
    """Requests per account (each agency's API token is an account), from API_RATE_LIMIT, read on
    every request so that operations can change it without a code change. Counted in the cache
    (Redis in production); when the cache cannot be reached, counted in the process's memory with a
    warning in the log, never a server error."""

    scope = "account"

    def get_rate(self) -> str | None:
        return settings.API_RATE_LIMIT

    def allow_request(self, request: "Request", view: "APIView") -> bool:
        try:
            return super().allow_request(request, view)
        except CACHE_ERRORS as exc:
            logger.warning("API rate limit: the cache is unreachable (%s); counting in this process's memory", exc)
            self.cache = _memory_counts
            return super().allow_request(request, view)


class Pagination(PageNumberPagination):
    """50 a page by default; a client may ask for up to 200 with ?page_size=."""

    page_size_query_param = "page_size"
    max_page_size = 200
