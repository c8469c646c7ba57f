from decimal import Decimal

from django import forms

from cases.models import Case
from dacrre.core import dates
from dacrre.core.forms import uk_date_field

from .models import EquipmentItem, EquipmentKind, Fund


class FundForm(forms.Form):
    name = forms.CharField(
        label="Name of the fund",
        max_length=200,
        help_text="For example, the perpetrator intervention fund",
        error_messages={"required": "Enter the name of the fund"},
    )


class ItemForm(forms.Form):
    kind = forms.ChoiceField(
        label="Item", choices=EquipmentKind.choices, error_messages={"required": "Choose what the item is"}
    )
    description = forms.CharField(label="Make and model (optional)", max_length=200, required=False)
    asset_number = forms.CharField(
        label="Serial or asset number", max_length=100, error_messages={"required": "Enter the serial or asset number"}
    )
    fund = forms.ChoiceField(label="Paid for by", error_messages={"required": "Choose the fund that paid for it"})
    cost = forms.DecimalField(
        label="Cost in pounds",
        min_value=Decimal("0"),
        max_value=Decimal("100000"),
        decimal_places=2,
        error_messages={
            "required": "Enter the cost",
            "invalid": "Enter the cost in pounds, like 129.99",
            "min_value": "The cost cannot be negative",
            "max_value": "Enter a cost of £100,000 or less",
            "max_decimal_places": "Enter the cost in pounds and pence, like 129.99",
        },
    )
    bought_on = uk_date_field("Date bought", bounds=dates.EQUIPMENT_BOUGHT)

    def __init__(self, *args: object, funds: list[Fund], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._funds = {str(fund.public_id): fund for fund in funds}
        self.fields["fund"].choices = [("", "Choose a fund")] + [(k, f.name) for k, f in self._funds.items()]  # type: ignore[attr-defined]

    def chosen_fund(self) -> Fund:
        return self._funds[self.cleaned_data["fund"]]


class IssueForm(forms.Form):
    item = forms.ChoiceField(label="Item in store", error_messages={"required": "Choose the item to issue"})
    victim = forms.ChoiceField(label="Issued to", error_messages={"required": "Choose the victim"})
    issued_on = uk_date_field("Date issued", bounds=dates.EQUIPMENT_ISSUED)
    installed_on = uk_date_field("Date installed (optional)", required=False, bounds=dates.EQUIPMENT_ISSUED)
    installed_at = forms.CharField(
        label="Where it is installed or kept (optional)",
        max_length=300,
        required=False,
        help_text="Seen only by those who may see the victim's address",
    )
    safety_measure = forms.ChoiceField(label="Safety plan measure it meets (optional)", required=False)

    def __init__(
        self, *args: object, case: Case, items: list[EquipmentItem], measures: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self._items = {str(item.public_id): item for item in items}
        self._victims = {str(v.public_id): v for v in case.victims.select_related("person")}
        self.fields["item"].choices = [("", "Choose an item")] + [(k, str(i)) for k, i in self._items.items()]  # type: ignore[attr-defined]
        self.fields["victim"].choices = [(k, v.person.full_name) for k, v in self._victims.items()]  # type: ignore[attr-defined]
        self.fields["safety_measure"].choices = [("", "None")] + measures  # type: ignore[attr-defined]

    def chosen(self) -> dict:
        data = self.cleaned_data
        return {
            "item": self._items[data["item"]],
            "victim": self._victims[data["victim"]],
            "issued_on": data["issued_on"],
            "installed_on": data["installed_on"],
            "installed_at": data["installed_at"],
            "safety_measure_id": int(data["safety_measure"]) if data["safety_measure"] else None,
        }


class ReturnForm(forms.Form):
    returned_on = uk_date_field("Date returned or removed", bounds=dates.EQUIPMENT_ISSUED)
    reason = forms.CharField(
        label="Why", max_length=300, error_messages={"required": "Enter why the item was returned or removed"}
    )
    condition = forms.CharField(label="Condition (optional)", max_length=200, required=False)
    write_off = forms.BooleanField(label="Lost, broken or not coming back: write it off", required=False)


class EvidenceForm(forms.Form):
    obtained_on = uk_date_field("Date obtained", bounds=dates.EQUIPMENT_ISSUED)
    description = forms.CharField(
        label="What it shows", widget=forms.Textarea, max_length=5000, error_messages={"required": "Describe it"}
    )
    incident = forms.ChoiceField(label="Incident it relates to (optional)", required=False)
    breach = forms.ChoiceField(label="Breach it relates to (optional)", required=False)

    def __init__(
        self, *args: object, incidents: list[tuple[str, str]], breaches: list[tuple[str, str]], **kwargs: object
    ) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.fields["incident"].choices = [("", "None")] + incidents  # type: ignore[attr-defined]
        self.fields["breach"].choices = [("", "None")] + breaches  # type: ignore[attr-defined]
