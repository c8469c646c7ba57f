"""The API's side of the application exception hierarchy: clear messages and the right status."""

from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http.response import HttpResponseBase
from drf_spectacular.views import SpectacularSwaggerView
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ApplicationError, status_of


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        code = status_of(exc)
        body = {"detail": exc.message}
        if exc.field:
            body["field"] = exc.field
        return Response(body, status=code)
    return drf_exception_handler(exc, context)


class SwaggerView(SpectacularSwaggerView):
    """The browsable documentation: for signed-in users and tokens, like the schema it shows. A
    browser that is not signed in is sent to the sign-in page and back, rather than shown JSON."""

    def handle_exception(self, exc: Exception) -> HttpResponseBase:  # type: ignore[override]
        if isinstance(exc, NotAuthenticated) and "HTTP_AUTHORIZATION" not in self.request.META:
            return redirect_to_login(self.request.get_full_path())
        return super().handle_exception(exc)


_ERROR = {"$ref": "#/components/schemas/Error"}
_ERROR_SCHEMAS = {
    "Error": {
        "type": "object",
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    # A rule refused the request ({"detail", "field"}) or fields are missing or invalid (DRF and
    # django-filter: each field's name with its messages).
    "ValidationError": {
        "type": "object",
        "properties": {"detail": {"type": "string"}, "field": {"type": "string"}},
        "additionalProperties": {"type": "array", "items": {"type": "string"}},
    },
}
_PAGING_PARAMETERS = {"page", "page_size"}
_METHODS = {"get", "post", "put", "patch", "delete"}


def _error_responses(path: str, method: str, operation: dict[str, Any]) -> dict[str, tuple[str, dict[str, Any]]]:
    """The error answers an operation can give, from what it is: which statuses apply where."""
    by_id = "{" in path
    query = {p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"}
    errors = {
        "401": ("No token or signed-in session, or an unknown or inactive one.", _ERROR),
        "429": ("Over the account's rate limit (API_RATE_LIMIT); the Retry-After header says when to retry.", _ERROR),
    }
    if by_id:
        errors["404"] = ("The record does not exist or is not visible to the account (the two are the same).", _ERROR)
    elif method == "get":
        errors["404"] = ("The page number is past the last page.", _ERROR)
    if method == "get" and query - _PAGING_PARAMETERS:
        errors["400"] = (
            "A filter's value is not one of its choices.",
            {"$ref": "#/components/schemas/ValidationError"},
        )
    if method != "get":
        errors["400"] = (
            "A field is missing or invalid, or a rule refuses it.",
            {"$ref": "#/components/schemas/ValidationError"},
        )
        errors["403"] = (
            "The account sees the record but may not do this (or a session without its CSRF token).",
            _ERROR,
        )
        errors["409"] = ("The record's status does not allow this.", _ERROR)
        errors["413"] = ("The request body is over the size limit.", _ERROR)
    return errors


def add_error_responses(result: dict[str, Any], generator: object, request: object, public: bool) -> dict[str, Any]:
    """drf-spectacular post-processing hook: every operation lists the error statuses it can answer,
    each with its JSON body, so that the schema and the answers agree (tests/quality/test_api_fuzz.py
    checks every status code and body against it)."""
    result.setdefault("components", {}).setdefault("schemas", {}).update(_ERROR_SCHEMAS)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in _METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, (description, body) in _error_responses(path, method, operation).items():
                response: dict[str, Any] = {
                    "description": description,
                    "content": {"application/json": {"schema": body}},
                }
                if code == "429":
                    response["headers"] = {
                        "Retry-After": {"schema": {"type": "integer"}, "description": "Seconds to wait."}
                    }
                responses.setdefault(code, response)
    return result


class BlankAsNullChoiceField(serializers.ChoiceField):
    """A choice that may not have been made (a model field with `blank=True`): `null` in the API,
    never `""`, which is not one of the choices the schema's enum lists."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_null", True)
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value: Any) -> Any:
        return None if value in ("", None) else super().to_representation(value)
