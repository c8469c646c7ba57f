"""factory_boy factories for every model. Related records are built through the same rules as services."""

import datetime
from typing import TYPE_CHECKING, Any, TypeVar

import factory
from django.contrib.auth.models import Group
from django.db.models import Model
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import Case, CaseChild, CaseVictim, ChronologyEntry, ChronologyKind, Operation
from dacrre.accounts.models import Agency, AgencyKind, AgencySide, Area, Role, User, default_scope_for
from dacrre.core.models import reference_next
from incidents.models import Incident, OffenceCategory
from people.models import Person
from perpetrators.models import Perpetrator
from reminders.models import Reminder, ReminderKind
from victims.models import Child, ChildConfidential, Victim, VictimConfidential

_Model = TypeVar("_Model", bound=Model)


class ModelFactory(factory.django.DjangoModelFactory[_Model]):
    """The base of every factory here: `SomeFactory(...)` is typed as the model it creates."""

    class Meta:
        abstract = True

    if TYPE_CHECKING:
        # factory_boy creates the model instead of the factory; tell the type checker so.
        def __new__(cls, **kwargs: Any) -> _Model: ...  # type: ignore[misc]


TEST_PASSWORD = "correct-horse-battery-staple"
TEST_TOTP_KEY = "3132333435363738393031323334353637383930"  # hex of the RFC 6238 test secret


def current_totp(user) -> str:
    """The code the user's test authenticator shows now. Replay protection and the wrong-code delay are
    reset, as if the user had waited for the next code: tests sign in many times within 30 seconds."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return f"{TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift).token():06d}"


class AgencyFactory(ModelFactory[Agency]):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = AgencyKind.POLICE
    side = AgencySide.BOTH
    group = factory.LazyAttribute(lambda o: Group.objects.create(name=f"agency:{o.name}"))


class PoliceAgencyFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"Police force {n}")


class ProbationAgencyFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"Probation {n}")
    kind = AgencyKind.PROBATION
    side = AgencySide.PERPETRATOR


class IdvaAgencyFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"IDVA service {n}")
    kind = AgencyKind.IDVA_SERVICE
    side = AgencySide.VICTIM


class AreaFactory(ModelFactory[Area]):
    class Meta:
        model = Area

    agency = factory.SubFactory(PoliceAgencyFactory)
    name = factory.Sequence(lambda n: f"Area {n}")


class UserFactory(ModelFactory[User]):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"User{n}")
    area = factory.SubFactory(AreaFactory)
    agency = factory.LazyAttribute(lambda o: o.area.agency if o.area else None)
    role = Role.OFFICER
    scope = factory.LazyAttribute(lambda o: default_scope_for(o.role))
    password = factory.django.Password(TEST_PASSWORD)

    @factory.post_generation
    def authenticator(self, create, extracted, **kwargs):
        """Every test user has an enrolled authenticator with a known key (pass authenticator=False for none)."""
        if create and extracted is not False:
            TOTPDevice.objects.create(user=self, name="Test authenticator", confirmed=True, key=TEST_TOTP_KEY)


class PersonFactory(ModelFactory[Person]):
    class Meta:
        model = Person

    given_name = factory.Sequence(lambda n: f"Given{n}")
    family_name = factory.Sequence(lambda n: f"Family{n}")
    date_of_birth = datetime.date(1985, 5, 17)
    police_identifier = factory.Sequence(lambda n: f"PID{n:06d}")


class PerpetratorFactory(ModelFactory[Perpetrator]):
    class Meta:
        model = Perpetrator

    person = factory.SubFactory(PersonFactory)


class VictimFactory(ModelFactory[Victim]):
    class Meta:
        model = Victim
        skip_postgeneration_save = True

    person = factory.SubFactory(PersonFactory)
    confidential = factory.RelatedFactory("tests.factories.VictimConfidentialFactory", factory_related_name="victim")


class VictimConfidentialFactory(ModelFactory[VictimConfidential]):
    class Meta:
        model = VictimConfidential

    victim = factory.SubFactory(VictimFactory, confidential=None)
    address = "1 Secret Lane\nHidden Town"
    postcode = "HT1 1AA"
    phone = "07700 900123"
    safe_contact_arrangements = "Safe number after 10am"


class ChildFactory(ModelFactory[Child]):
    class Meta:
        model = Child

    person = factory.SubFactory(PersonFactory, date_of_birth=datetime.date(2018, 1, 1), police_identifier=None)


class ChildConfidentialFactory(ModelFactory[ChildConfidential]):
    class Meta:
        model = ChildConfidential

    child = factory.SubFactory(ChildFactory)
    school = "Hidden Town Primary School"


class OperationFactory(ModelFactory[Operation]):
    class Meta:
        model = Operation

    name = factory.Sequence(lambda n: f"Operation {n}")
    lead_agency = factory.SubFactory(PoliceAgencyFactory)
    starts_on = datetime.date(2026, 1, 1)


class CaseFactory(ModelFactory[Case]):
    class Meta:
        model = Case

    reference = factory.LazyFunction(lambda: reference_next(prefix=Case.REFERENCE_PREFIX))
    area = factory.SubFactory(AreaFactory)
    owning_agency = factory.LazyAttribute(lambda o: o.area.agency)
    operation = factory.SubFactory(OperationFactory, lead_agency=factory.SelfAttribute("..owning_agency"))
    perpetrator = factory.SubFactory(PerpetratorFactory)


class CaseVictimFactory(ModelFactory[CaseVictim]):
    class Meta:
        model = CaseVictim

    case = factory.SubFactory(CaseFactory)
    victim = factory.SubFactory(VictimFactory)


class CaseChildFactory(ModelFactory[CaseChild]):
    class Meta:
        model = CaseChild

    case = factory.SubFactory(CaseFactory)
    child = factory.SubFactory(ChildFactory)


class ChronologyEntryFactory(ModelFactory[ChronologyEntry]):
    class Meta:
        model = ChronologyEntry

    case = factory.SubFactory(CaseFactory)
    kind = ChronologyKind.NOTE
    summary = "Note recorded."


class IncidentFactory(ModelFactory[Incident]):
    class Meta:
        model = Incident

    source_reference = factory.Sequence(lambda n: f"INC/{n:06d}")
    occurred_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=10))
    area = factory.SubFactory(AreaFactory)
    recording_agency = factory.LazyAttribute(lambda o: o.area.agency)
    offence_category = OffenceCategory.COMMON_ASSAULT
    perpetrator = factory.SubFactory(PerpetratorFactory)


class ReminderFactory(ModelFactory[Reminder]):
    class Meta:
        model = Reminder

    kind = ReminderKind.PERPETRATOR_VISIT_DUE
    case = factory.SubFactory(CaseFactory)
    subject_key = "perpetrator"
    due_on = factory.LazyFunction(timezone.localdate)


class VictimSideAgencyFactory(AgencyFactory):
    name = factory.Sequence(lambda n: f"Housing service {n}")
    kind = AgencyKind.HOUSING
    side = AgencySide.VICTIM


def grant_case_to(case, agency, *, shares_victim_contact=False, actor=None):
    """Grant an agency access to a case the way an accepted referral will."""
    import uuid

    from cases.access.models import GrantSource
    from cases.access.services import case_access_grant

    return case_access_grant(
        actor=actor,
        case=case,
        agency=agency,
        source_kind=GrantSource.REFERRAL,
        source_id=uuid.uuid4(),
        shares_victim_contact=shares_victim_contact,
    )
