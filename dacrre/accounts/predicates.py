"""Predicates: what a user may do, each defined once and asked the same way everywhere.

A predicate is a plain function `(user) -> bool` or `(user, obj) -> bool` in its app's `rules.py`,
registered under a name with `@predicate("app.action")`. The page that does the work guards with it
(calling the function, or `require(user, "app.action")`), the navigation and the pages that link
to the work ask it by the same name (`can(user, "app.action")`, and in templates
`{% if user|can:"app.action" %}` or `{% can "app.action" obj as may %}`), so a menu item, a button and
the page behind them never disagree.

Predicates decide what a user may *do* with what they can already see; what they can see is
decided by the selectors (`cases_visible_to`...).
"""

from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.utils.module_loading import autodiscover_modules

Predicate = Callable[..., bool]
P = TypeVar("P", bound=Predicate)

_registry: dict[str, Predicate] = {}
_discovered = False


def predicate(name: str) -> Callable[[P], P]:
    """Register the decorated function under `name` ("app.action"); the function is unchanged."""

    def decorator(function: P) -> P:
        registered = _registry.get(name)
        if registered is not None and registered is not function:
            raise ImproperlyConfigured(f"Two predicates are registered as {name!r}.")
        _registry[name] = function
        return function

    return decorator


def predicates() -> dict[str, Predicate]:
    """Every registered predicate, by name (each app's rules.py is imported first)."""
    global _discovered
    if not _discovered:
        autodiscover_modules("rules")
        _discovered = True
    return dict(_registry)


def predicate_named(name: str) -> Predicate:
    try:
        return predicates()[name]
    except KeyError:
        raise ImproperlyConfigured(f"No predicate is registered as {name!r}.") from None


def can(user: Any, name: str, *obj: Any) -> bool:
    """Whether `user` may do `name` (to `obj`, for the predicates that take one)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    return bool(predicate_named(name)(user, *obj))


def require(user: Any, name: str, *obj: Any, message: str = "") -> None:
    """The page's guard: 403 unless the predicate says yes."""
    if not can(user, name, *obj):
        raise PermissionDenied(message or "You cannot do this.")
