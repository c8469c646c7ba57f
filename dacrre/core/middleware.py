from collections.abc import Callable
from http.client import responses

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """Pages carry personal data: no browser or proxy may keep a copy. (Static files are served by
    whitenoise before this runs and keep their long cache.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, no_store=True, private=True)
        return response


class QueryCountHeaderMiddleware:
    """Adds `X-Query-Count`: the database queries the request made, middleware included. Only for the
    load benchmark (QUERY_COUNT_HEADER): it tells an observer how much work a page does."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counter):
            response = self.get_response(request)
        response["X-Query-Count"] = str(count)
        return response


API_PREFIX = "/api/"


def _is_json(response: HttpResponse) -> bool:
    return response.get("Content-Type", "").split(";")[0].strip().endswith("json")


class ApiJsonErrorsMiddleware:
    """Everything under /api/ answers errors in JSON, `{"detail": "..."}`, whatever raised them: a
    route or id the resolver does not know (404), a body over DATA_UPLOAD_MAX_MEMORY_SIZE (413), a
    server error (500) or any other error page Django would render as HTML. DRF's own errors are
    JSON already and pass through. Headers that tell a client what to do (Allow, WWW-Authenticate,
    Retry-After) are kept."""

    _KEPT_HEADERS = ("Allow", "WWW-Authenticate", "Retry-After")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith(API_PREFIX):
            return self.get_response(request)
        too_big = self._over_the_size_limit(request)
        if too_big is not None:
            return too_big
        response = self.get_response(request)
        if response.status_code < 400 or _is_json(response):
            return response
        return self._as_json(response)

    def _over_the_size_limit(self, request: HttpRequest) -> HttpResponse | None:
        # DRF reads a JSON body straight from the stream, past Django's own check: refuse it here,
        # before anything reads it, from the declared length.
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            return JsonResponse({"detail": "The Content-Length header is not a number."}, status=400)
        if limit is not None and length > limit:
            return JsonResponse(
                {"detail": f"The request body is too large: {length} bytes, at most {limit} are accepted."},
                status=413,
            )
        return None

    def _as_json(self, response: HttpResponse) -> HttpResponse:
        status = response.status_code
        detail = {
            400: "Bad request.",
            403: "You do not have permission to perform this action.",
            404: "Not found.",
            413: "The request body is too large.",
        }.get(status, "Server error." if status >= 500 else responses.get(status, "Error") + ".")
        converted = JsonResponse({"detail": detail}, status=status)
        for header in self._KEPT_HEADERS:
            if header in response:
                converted[header] = response[header]
        return converted
