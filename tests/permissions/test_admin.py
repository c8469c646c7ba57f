"""The Django admin, as a superuser: it manages agencies, users and settings. It never shows victims'
or children's confidential details, never shows or edits who holds a case, a case's victims and
children, grants or break-glass rows, and what person data it still shows (a merge of two records) is
read-only and logged.

Issue: the admin showed and edited victims' confidential details and the case holders (making
yourself a case holder there opened everything), and its reads wrote no access-log row."""

from typing import cast

import pytest
from django.contrib import admin
from django.urls import reverse

from cases.access.models import BreakGlassAccess, CaseAccessGrant, CaseGroupObjectPermission
from dacrre.accounts.models import Agency, Role
from dacrre.audit.models import AccessAction, AccessLog
from people.merging import duplicate_merge
from people.models import DuplicateCandidate, PersonMerge
from tests.factories import (
    CaseChildFactory,
    CaseFactory,
    CaseVictimFactory,
    ChildConfidentialFactory,
    PersonFactory,
    UserFactory,
    VictimConfidentialFactory,
    VictimFactory,
    VictimSideAgencyFactory,
    grant_case_to,
)
from victims.models import ChildConfidential, VictimConfidential

SECRETS = ["17 Nightingale Crescent", "ZZ9 9ZZ", "07700 900777", "code word bluebell", "Larkspur Primary"]

NEVER_IN_THE_ADMIN = {
    "victims.VictimConfidential",
    "victims.ChildConfidential",
    "victims.Victim",
    "victims.Child",
    "cases.Case",  # its holders
    "cases.CaseVictim",
    "cases.CaseChild",
    "permissions.CaseAccessGrant",
    "permissions.CaseGroupObjectPermission",
    "permissions.BreakGlassAccess",
    "audit.AccessLog",
    "auth.Group",  # role and agency groups: code-defined roles, per-case grants
}


@pytest.fixture
def full_world(db):
    officer = UserFactory()
    case = CaseFactory(area=officer.area, spoc=officer)
    victim = VictimFactory(confidential=None)
    VictimConfidentialFactory(
        victim=victim,
        address="17 Nightingale Crescent",
        postcode="ZZ9 9ZZ",
        phone="07700 900777",
        safe_contact_arrangements="code word bluebell",
    )
    CaseVictimFactory(case=case, victim=victim)
    ChildConfidentialFactory(child=CaseChildFactory(case=case).child, school="Larkspur Primary")
    grant_case_to(case, VictimSideAgencyFactory(), shares_victim_contact=True)
    supervisor = UserFactory(area=officer.area, role=Role.SUPERVISOR)
    from django.utils import timezone

    BreakGlassAccess.objects.create(user=supervisor, case=case, reason="urgent", expires_at=timezone.now())
    # A merge: the admin keeps reversing merges, so it shows the two people's names.
    first, second = sorted([PersonFactory(), PersonFactory()], key=lambda person: person.pk)
    pair = DuplicateCandidate.objects.create(
        first=first, second=second, reason="same", agency=cast(Agency, officer.agency)
    )
    duplicate_merge(actor=supervisor, candidate=pair, keep=first, reason="Same PNC record")
    return case, victim


def test_nothing_confidential_nor_case_holding_is_registered() -> None:
    registered = {model._meta.label for model in admin.site._registry}
    assert registered.isdisjoint(NEVER_IN_THE_ADMIN), registered & NEVER_IN_THE_ADMIN


def test_every_admin_page_as_a_superuser_shows_no_confidential_value(login, full_world) -> None:
    case, _ = full_world
    superuser = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = login(superuser)
    pages = 0
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = client.get(reverse("admin:{}_{}_changelist".format(*info)))
        assert changelist.status_code == 200, model
        texts = [changelist.content.decode()]
        for obj in model_admin.get_queryset(changelist.wsgi_request)[:5]:
            change = client.get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            assert change.status_code == 200, (model, obj.pk)
            texts.append(change.content.decode())
            pages += 1
        for text in texts:
            for secret in SECRETS:
                assert secret not in text, (model, secret)
            assert case.spoc.username not in text or model._meta.label == "accounts.User", model
    assert pages >= 5
    # The pages the admin does not have: confidential details, cases and their holders.
    for path in ("victims/victimconfidential/", "victims/victim/", "cases/case/", f"cases/case/{case.pk}/change/"):
        assert client.get(f"/admin/{path}").status_code == 404, path
    assert VictimConfidential.objects.exists() and ChildConfidential.objects.exists()
    assert CaseAccessGrant.objects.exists() and CaseGroupObjectPermission.objects.exists()


def test_the_case_holders_cannot_be_changed_in_the_admin(login, full_world) -> None:
    case, _ = full_world
    superuser = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = login(superuser)
    response = client.post(f"/admin/cases/case/{case.pk}/change/", {"spoc": superuser.pk, "idva": superuser.pk})
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.spoc != superuser and case.idva is None
    assert client.get(f"/cases/{case.public_id}/").status_code == 404  # and an administrator sees no case


def test_admin_reads_of_people_are_logged_with_each_person(login, full_world) -> None:
    merge = PersonMerge.objects.select_related("kept", "merged").get()
    superuser = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True)
    client = login(superuser)
    assert client.get("/admin/people/personmerge/").status_code == 200
    assert client.get(f"/admin/people/personmerge/{merge.pk}/change/").status_code == 200
    logged = AccessLog.objects.filter(user=superuser)
    assert logged.filter(action=AccessAction.LIST, object_type="admin person merges").count() == 1
    assert logged.filter(action=AccessAction.VIEW, object_type="admin person merge").count() == 1
    for person in (merge.kept, merge.merged):
        shown = logged.filter(object_type="person shown", person_id=str(person.public_id))
        assert set(shown.values_list("action", flat=True)) == {AccessAction.LIST, AccessAction.VIEW}
    # Read-only: nothing to add, change or delete.
    assert client.get("/admin/people/personmerge/add/").status_code == 403
    assert client.post(f"/admin/people/personmerge/{merge.pk}/delete/", {"post": "yes"}).status_code == 403
