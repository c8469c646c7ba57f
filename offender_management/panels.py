from dacrre.accounts.models import User
from perpetrators.models import Perpetrator
from perpetrators.panels import PerpetratorPanel, register_perpetrator_panel

from .rules import can_allocate_programme, can_record_intervention
from .selectors import offender_management_for


@register_perpetrator_panel(order=10)
def programmes_panel(user: User, perpetrator: Perpetrator) -> PerpetratorPanel:
    """Programme allocations and interventions, on the perpetrator's page."""
    return PerpetratorPanel(
        template="offender_management/_perpetrator_section.html",
        context={
            "perpetrator": perpetrator,
            "om": offender_management_for(perpetrator),
            "can_allocate": can_allocate_programme(user, perpetrator),
            "can_intervene": can_record_intervention(user, perpetrator),
        },
    )
