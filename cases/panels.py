"""Sections of the case page contributed by other apps (visits, risk, safety plans, orders...).

An app registers a function in its `panels.py`; the case page shows each panel that returns one.
Each function must use a fixed number of queries, whatever the number of records.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

from dacrre.accounts.models import User

from .models import Case


@dataclass
class CasePanel:
    template: str
    context: dict[str, Any] = field(default_factory=dict)


PanelFunction = Callable[[User, Case], CasePanel | None]
_registry: list[tuple[int, PanelFunction]] = []


def register_case_panel(order: int) -> Callable[[PanelFunction], PanelFunction]:
    def decorator(function: PanelFunction) -> PanelFunction:
        _registry.append((order, function))
        _registry.sort(key=lambda item: item[0])
        return function

    return decorator


def case_panels_for(user: User, case: Case) -> list[CasePanel]:
    autodiscover_modules("panels")
    return [panel for _, function in _registry if (panel := function(user, case)) is not None]
