"""Sections of the perpetrator's page contributed by other apps (offender management...), as the
case page has its panels (cases/panels.py): an app registers a function in its `panels.py`, and
the page shows each panel that returns one. Each function must use a fixed number of queries."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

from dacrre.accounts.models import User

from .models import Perpetrator


@dataclass
class PerpetratorPanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelFunction = Callable[[User, Perpetrator], PerpetratorPanel | None]
_registry: list[tuple[int, PanelFunction]] = []


def register_perpetrator_panel(order: int) -> Callable[[PanelFunction], PanelFunction]:
    def decorator(function: PanelFunction) -> PanelFunction:
        _registry.append((order, function))
        _registry.sort(key=lambda item: item[0])
        return function

    return decorator


def perpetrator_panels_for(user: User, perpetrator: Perpetrator) -> list[PerpetratorPanel]:
    autodiscover_modules("panels")
    return [panel for _, function in _registry if (panel := function(user, perpetrator)) is not None]
