import datetime

from django.utils import timezone

from cases.access.rules import can_record_order
from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User

from .models import ProtectiveOrder

ENDING_SOON_DAYS = 14


@register_case_panel(order=40)
def orders_panel(user: User, case: Case) -> CasePanel:
    today = timezone.localdate()
    rows = []
    for order in ProtectiveOrder.objects.filter(case=case):
        days_left = (order.ends_on - today).days if order.ends_on else None
        rows.append(
            {
                "order": order,
                "ended": days_left is not None and days_left < 0,
                "ending_soon": days_left is not None and 0 <= days_left <= ENDING_SOON_DAYS,
                "days_left": days_left,
            }
        )
    return CasePanel(
        template="orders/_case_panel.html",
        context={
            "case": case,
            "rows": rows,
            "can_record": can_record_order(user, case),
            "soon": today + datetime.timedelta(days=ENDING_SOON_DAYS),
        },
    )
