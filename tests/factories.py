import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from investors.models import Institution, InstitutionMember, Offering, OfferingStatus
from matchmaker.vocabulary import (
    SHANGHAI_REGIONS,
    InstitutionType,
    Instrument,
    Province,
    Region,
    Segment,
    Stage,
)
from projects.models import Firm, FirmMember, FundingNeed, Project, ProjectStatus

PASSWORD = "correct-horse-battery-staple"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.test")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class FirmFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Firm

    name = factory.Sequence(lambda n: f"Orbital Firm {n}")
    contact_name = "Li Na"
    contact_email = factory.Sequence(lambda n: f"contact{n}@firm.test")
    contact_phone = "+86 21 5555 0000"
    verified = True
    verified_at = factory.LazyFunction(timezone.now)


class FirmMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FirmMember

    user = factory.SubFactory(UserFactory)
    firm = factory.SubFactory(FirmFactory)


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    firm = factory.SubFactory(FirmFactory)
    title = factory.Sequence(lambda n: f"Phased-array antenna line {n}")
    summary = "Ka-band phased-array antennas for LEO user terminals."
    segment = Segment.COMPONENTS
    stage = Stage.QUALIFICATION
    trl = 6
    months_to_revenue = 24
    months_to_break_even = 48
    exposures = factory.LazyFunction(lambda: ["launch_failure", "supply_chain"])
    collateral = factory.LazyFunction(lambda: ["equipment"])
    region = Region.SONGJIANG
    province = factory.LazyAttribute(
        lambda project: Province.SHANGHAI if project.region in SHANGHAI_REGIONS else Province.OTHER
    )
    registered_province = factory.SelfAttribute("province")
    status = ProjectStatus.SUBMITTED
    submitted_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def needs(obj, create, extracted, **kwargs):
        """needs={"equity": 50_000_000}; default: equity 50M and credit 20M."""
        if not create:
            return
        amounts = (
            extracted
            if extracted is not None
            else {
                Instrument.EQUITY: 50_000_000,
                Instrument.CREDIT: 20_000_000,
            }
        )
        for instrument, amount in amounts.items():
            FundingNeed.objects.create(project=obj, instrument=instrument, amount=amount)


class InstitutionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Institution

    name = factory.Sequence(lambda n: f"Test Capital {n}")
    institution_type = InstitutionType.VC_FUND
    contact_name = "Wang Wei"
    contact_email = factory.Sequence(lambda n: f"rm{n}@institution.test")
    contact_phone = "+86 21 6666 0000"
    verified = True
    verified_at = factory.LazyFunction(timezone.now)


class InstitutionMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InstitutionMember

    user = factory.SubFactory(UserFactory)
    institution = factory.SubFactory(InstitutionFactory)


class OfferingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Offering

    institution = factory.SubFactory(InstitutionFactory)
    name = factory.Sequence(lambda n: f"Growth equity {n}")
    instrument = Instrument.EQUITY
    ticket_min = 10_000_000
    ticket_max = 200_000_000
    capacity_total = 1_000_000_000
    capacity_left = 1_000_000_000
    max_tenor_months = 96
    segments = factory.LazyFunction(list)
    stages = factory.LazyFunction(list)
    trl_min = 4
    trl_max = 8
    status = OfferingStatus.ACTIVE


class LaunchCoverFactory(OfferingFactory):
    """An insurer's line on launch failure, large enough that its line share decides."""

    name = factory.Sequence(lambda n: f"Launch line {n}")
    instrument = Instrument.RISK_COVER
    product_type = "launch_insurance"
    exposures_covered = factory.LazyFunction(lambda: ["launch_failure"])
    ticket_max = 1_000_000_000


class ToolFactory(factory.django.DjangoModelFactory):
    """A programme tool open all of this year and next, with a budget of RMB 100 M."""

    class Meta:
        model = "programme.Tool"

    code = factory.Sequence(lambda n: f"tool-{n}")
    name_en = factory.Sequence(lambda n: f"Risk pool {n}")
    name_zh = factory.Sequence(lambda n: f"风险补偿资金池{n}")
    kind = "risk_pool"
    rate_bp = 5000
    loss_band_low_bp = 300
    loss_band_high_bp = 500
    yearly_budget = 100_000_000
    window_start = factory.LazyFunction(lambda: timezone.localdate().replace(month=1, day=1))
    window_end = factory.LazyFunction(
        lambda: timezone.localdate().replace(year=timezone.localdate().year + 1, month=12, day=31)
    )
    legal_basis = "Shanghai credit risk-compensation measures"
    legal_basis_url = "https://shanghai.gov.cn/"
