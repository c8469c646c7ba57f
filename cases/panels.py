"""Sections of the case page contributed by other apps (visits, risk, safety plans, orders...).

An app registers a function in its `panels.py`; the case page shows each panel that returns one.
Each function must use a fixed number of queries, whatever the number of records.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import autodiscover_modules

from dacrre.accounts.models import User

from .models import Case, CaseStatus


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
    """The panels for this user. On a closed case, which is read only, every panel's `can_*` flag is
    off, so no panel offers a change that would be refused."""
    autodiscover_modules("panels")
    panels = [panel for _, function in _registry if (panel := function(user, case)) is not None]
    if case.status == CaseStatus.CLOSED:
        for panel in panels:
            panel.context.update({key: False for key in panel.context if key.startswith("can_")})
    return panels
