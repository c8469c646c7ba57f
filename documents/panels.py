from cases.models import Case
from cases.panels import CasePanel, register_case_panel
from dacrre.accounts.models import User

from .models import TargetKind
from .rules import can_add_document
from .selectors import documents_on_case, target_label


@register_case_panel(order=70)
def documents_panel(user: User, case: Case) -> CasePanel:
    documents = list(documents_on_case(user, case))
    rows = [
        (doc, "" if doc.target_kind == TargetKind.CASE else target_label(doc.target_kind, doc.target))
        for doc in documents
    ]
    return CasePanel(
        template="documents/_case_panel.html",
        context={"case": case, "rows": rows, "can_add": can_add_document(user, TargetKind.CASE, case, case)},
    )
