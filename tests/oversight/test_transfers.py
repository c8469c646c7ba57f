"""Transferring a case to another area or another force: asked by the owning force's supervisor,
accepted or declined by the receiving supervisor; on acceptance the case changes hands, its holders
are cleared, and the sending force keeps read access for TRANSFER_READ_ACCESS_DAYS, on the access log."""

import datetime
import html

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseStatus, ChronologyKind
from cases.selectors import cases_visible_to
from dacrre.accounts.models import Role, Scope
from dacrre.audit.models import AccessLog
from dacrre.core.exceptions import InvalidTransitionError, PermissionDeniedError
from oversight.models import CaseTransfer, TransferStatus
from oversight.transfers import transfer_decide, transfer_request
from tests.factories import AreaFactory, CaseFactory, UserFactory

pytestmark = pytest.mark.django_db


def _page(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def world():
    north = AreaFactory(name="North")
    south = AreaFactory(agency=north.agency, name="South")
    elsewhere = AreaFactory(name="Central")  # another force
    officer = UserFactory(area=north, scope=Scope.AREA)
    sender = UserFactory(area=north, role=Role.SUPERVISOR, scope=Scope.AGENCY, first_name="Sid", last_name="Sender")
    receiver = UserFactory(area=elsewhere, role=Role.SUPERVISOR, scope=Scope.AGENCY, first_name="Rae", last_name="Rx")
    case = CaseFactory(area=north, spoc=officer, stalking_officer=UserFactory(area=north))
    return case, officer, sender, receiver, south, elsewhere


def test_a_transfer_to_another_force_is_asked_accepted_and_leaves_read_access(client, login, world, settings) -> None:
    settings.TRANSFER_READ_ACCESS_DAYS = 90
    case, officer, sender, receiver, _south, elsewhere = world
    login(sender)
    url = reverse("oversight:transfer_request", args=[case.public_id])
    assert url in _page(client.get(reverse("cases:detail", args=[case.public_id])))
    response = client.post(url, {"to_area": elsewhere.pk, "reason": "The family moved to Central."}, follow=True)
    assert "Transfer requested" in _page(response) and "awaiting a decision" in _page(response)
    transfer = CaseTransfer.objects.get(case=case, status=TransferStatus.PENDING)

    login(receiver)
    queue = _page(client.get(reverse("oversight:transfers")))
    assert case.reference in queue and "The family moved to Central." in queue
    response = client.post(
        reverse("oversight:transfers"), {"transfer": str(transfer.public_id), f"t{transfer.pk}-decision": "accept"}
    )
    assert response["Location"] == reverse("oversight:staff", args=[case.public_id])
    case.refresh_from_db()
    assert (case.owning_agency, case.area) == (elsewhere.agency, elsewhere)
    assert case.spoc is None and case.offender_manager is None and case.idva is None
    assert case.stalking_officer is None and case.stalking_idva is None
    assert case.chronology.filter(kind=ChronologyKind.TRANSFER, summary__contains="keeps read access").exists()
    assert AccessLog.objects.filter(
        action="disclose", object_id=case.public_id, detail__contains="transferred"
    ).exists()
    # The sending force still reads the case, but no longer works on it.
    assert cases_visible_to(sender).filter(pk=case.pk).exists()
    login(officer)
    assert client.get(reverse("cases:detail", args=[case.public_id])).status_code in {200, 404}
    login(sender)
    assert client.get(reverse("cases:detail", args=[case.public_id])).status_code == 200
    assert client.get(reverse("cases:status", args=[case.public_id])).status_code == 403


def test_the_sending_forces_read_access_ends_after_the_period(world, settings) -> None:
    settings.TRANSFER_READ_ACCESS_DAYS = 90
    case, _officer, sender, receiver, _south, elsewhere = world
    transfer = transfer_request(actor=sender, case=case, to_area=elsewhere, reason="The family moved to Central.")
    transfer_decide(actor=receiver, transfer=transfer, accept=True)
    transfer.refresh_from_db()
    assert transfer.sender_access_until is not None
    assert abs(transfer.sender_access_until - (timezone.now() + datetime.timedelta(days=90))) < datetime.timedelta(
        minutes=1
    )
    assert cases_visible_to(sender).filter(pk=case.pk).exists()
    from cases.access.models import CaseGroupObjectPermission

    CaseGroupObjectPermission.objects.filter(content_object=case).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    assert not cases_visible_to(sender).filter(pk=case.pk).exists()


def test_a_transfer_within_the_force_moves_the_area(world) -> None:
    case, _officer, sender, _receiver, south, _elsewhere = world
    transfer = transfer_request(actor=sender, case=case, to_area=south, reason="The perpetrator lives in South now.")
    transfer_decide(actor=sender, transfer=transfer, accept=True)
    case.refresh_from_db()
    assert case.area == south and case.spoc is None
    transfer.refresh_from_db()
    assert transfer.sender_access_until is None


def test_a_declined_transfer_changes_nothing_and_needs_a_reason(world) -> None:
    case, officer, sender, receiver, _south, elsewhere = world
    transfer = transfer_request(actor=sender, case=case, to_area=elsewhere, reason="The family moved to Central.")
    with pytest.raises(Exception, match="Say why the transfer is declined"):
        transfer_decide(actor=receiver, transfer=transfer, accept=False)
    transfer_decide(actor=receiver, transfer=transfer, accept=False, note="Not in our force area.")
    case.refresh_from_db()
    assert case.area.name == "North" and case.spoc == officer
    with pytest.raises(InvalidTransitionError, match="already declined by Rae Rx"):
        transfer_decide(actor=receiver, transfer=transfer, accept=True)


def test_only_the_owning_supervisor_asks_and_only_the_receiver_decides(client, login, world) -> None:
    case, officer, sender, receiver, _south, elsewhere = world
    login(officer)
    assert client.get(reverse("oversight:transfer_request", args=[case.public_id])).status_code == 403
    assert client.get(reverse("oversight:transfers")).status_code == 403
    with pytest.raises(PermissionDeniedError):
        transfer_request(actor=officer, case=case, to_area=elsewhere, reason="The family moved to Central.")
    transfer = transfer_request(actor=sender, case=case, to_area=elsewhere, reason="The family moved to Central.")
    with pytest.raises(PermissionDeniedError):
        transfer_decide(actor=sender, transfer=transfer, accept=True)  # not the receiving force
    with pytest.raises(InvalidTransitionError, match="already awaiting a decision"):
        transfer_request(actor=sender, case=case, to_area=elsewhere, reason="Asking a second time now.")
    assert transfer.case.status != CaseStatus.CLOSED
