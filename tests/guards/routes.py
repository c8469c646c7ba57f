"""What each URL pattern of the project answers, read from its view (decorators unwrapped)."""

import inspect
import re

from django.urls import URLPattern

from tests.permissions.test_matrix import _all_named_patterns

POST_IN_SOURCE = re.compile(
    r"require_POST|require_http_methods\([^)]*POST|request\.method\s*==\s*[\"']POST[\"']|request\.POST"
)
POST_ONLY_IN_SOURCE = re.compile(r"@require_POST|require_http_methods\(\s*\[\s*[\"']POST[\"']\s*\]\s*\)")
THIRD_PARTY = ("django.", "simple_history.", "django_otp.", "guardian.", "rest_framework.", "drf_spectacular.")


def _source(pattern: URLPattern) -> str:
    try:
        return inspect.getsource(inspect.unwrap(pattern.callback))
    except (OSError, TypeError):
        return ""


def _view_class(pattern: URLPattern) -> type | None:
    return getattr(pattern.callback, "view_class", None) or getattr(pattern.callback, "cls", None)


def accepts_post(pattern: URLPattern) -> bool:
    """`require_POST`, `request.method == "POST"`, `request.POST`, a class-based view with a `post`
    method, or a DRF viewset route whose actions include one for POST (create or an @action)."""
    actions = getattr(pattern.callback, "actions", None)
    if actions is not None:  # a DRF viewset route: {method: action}
        return "post" in actions
    view_class = _view_class(pattern)
    if view_class is not None:
        return callable(getattr(view_class, "post", None))
    return bool(POST_IN_SOURCE.search(_source(pattern)))


def accepts_get(pattern: URLPattern) -> bool:
    actions = getattr(pattern.callback, "actions", None)
    if actions is not None:
        return "get" in actions
    view_class = _view_class(pattern)
    if view_class is not None:
        return callable(getattr(view_class, "get", None)) and "get" in getattr(view_class, "http_method_names", ["get"])
    return not POST_ONLY_IN_SOURCE.search(_source(pattern))


def is_project_view(name: str, pattern: URLPattern) -> bool:
    """Every route outside the Django admin is the project's. In the admin, only views the project
    wrote (people's reverse-merge): the ModelAdmin machinery is Django's and simple-history's."""
    if not name.startswith("admin:"):
        return True
    module = getattr(inspect.unwrap(pattern.callback), "__module__", "") or ""
    return not module.startswith(THIRD_PARTY)


def project_routes() -> list[tuple[str, URLPattern]]:
    return [(name, pattern) for name, pattern in _all_named_patterns() if is_project_view(name, pattern)]


def post_url_names() -> list[str]:
    return sorted(name for name, pattern in project_routes() if accepts_post(pattern))


def page_url_names() -> list[str]:
    """Routes a GET can open (the admin's own apart)."""
    return sorted(name for name, pattern in project_routes() if accepts_get(pattern))


def slug_choices(pattern: URLPattern) -> set[str]:
    """The values a view tells apart in a slug of its URL (`change == "attendance"`,
    `action in ("decline", "withdraw")`): each is a different form."""
    from django.urls.converters import SlugConverter

    source = _source(pattern)
    found: set[str] = set()
    for name, converter in getattr(pattern.pattern, "converters", {}).items():
        if not isinstance(converter, SlugConverter):
            continue
        found |= set(re.findall(rf"\b{name}\s*==\s*[\"']([\w-]+)[\"']", source))
        for group in re.findall(rf"\b{name}\s+in\s+[(\[{{]([^)\]}}]*)[)\]}}]", source):
            found |= set(re.findall(r"[\"']([\w-]+)[\"']", group))
    return found
