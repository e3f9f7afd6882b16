"""Fictional demo data shaped like ../shared/DOMAIN.md (no real company names)."""

import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from investors.models import Institution, InstitutionMember, Offering, OfferingStatus
from matchmaker.programme.demo import seed_tools
from matchmaker.vocabulary import (
    PRODUCT_INSTRUMENT,
    SHANGHAI_REGIONS,
    STAGE_ORDER,
    Collateral,
    Exposure,
    FlightRecord,
    InstitutionType,
    Instrument,
    OfferingRole,
    ProductType,
    Province,
    Region,
    RevenueStatus,
    RiskAppetite,
    RoundRole,
    Segment,
    Stage,
)
from projects.models import Firm, FirmMember, FundingNeed, Milestone, Project, ProjectStatus

DEMO_PASSWORD = "space-demo-2026"

FIRM_NAMES = [
    _("Songjiang Starlink-free Orbital Works"),
    _("Huangpu Phased Array Labs"),
    _("Lingang Launch Dynamics"),
    _("Qingxi Satellite Bus Co."),
    _("Jade Rabbit Terminals"),
    _("Mingyue Earth Imaging"),
    _("Dongfang Laser Crosslink"),
    _("Pujiang Ion Thrusters"),
    _("Wusong Solar Wing"),
    _("Sheshan Star Trackers"),
    _("Jiading Integration & Test"),
    _("Minhang Ground Stations"),
    _("Zhujiajiao Navigation Apps"),
    _("Chongming IoT Orbit"),
    _("Fengxian Composite Fairings"),
    _("Yangpu Constellation Services"),
    _("Baoshan Reusable Rockets"),
    _("Nanhui Microsat Factory"),
    _("Xuhui Spectrum Analytics"),
    _("Qiantan Smallsat Components"),
    _("Hongqiao Orbital Data"),
    _("Gucun Cryo Propulsion"),
]
INSTITUTIONS = [
    (_("Pudong Commercial Bank (demo)"), InstitutionType.BANK),
    (_("Yangtze Policy Development Bank (demo)"), InstitutionType.BANK),
    (_("Huaihai Technology Bank (demo)"), InstitutionType.BANK),
    (_("Orient Aerospace Insurance (demo)"), InstitutionType.INSURER),
    (_("Bund Marine & Space Re (demo)"), InstitutionType.INSURER),
    (_("Sunrise Property & Liability (demo)"), InstitutionType.INSURER),
    (_("Nebula Ventures (demo)"), InstitutionType.VC_FUND),
    (_("Perigee Growth Partners (demo)"), InstitutionType.VC_FUND),
    (_("Apogee Deep Tech Capital (demo)"), InstitutionType.VC_FUND),
    (_("Red Maple Pre-IPO Fund (demo)"), InstitutionType.VC_FUND),
    (_("Shanghai Future Industries Guidance Fund (demo)"), InstitutionType.GUIDANCE_FUND),
    (_("Songjiang District Satellite Fund (demo)"), InstitutionType.GUIDANCE_FUND),
    (_("Lingang Strategic Emerging Fund (demo)"), InstitutionType.GUIDANCE_FUND),
    (_("Huxin Credit Guarantee (demo)"), InstitutionType.GUARANTOR),
    (_("Pujiang SME Guarantee (demo)"), InstitutionType.GUARANTOR),
]
PRODUCTS = {
    InstitutionType.BANK: [
        ProductType.TERM_LOAN,
        ProductType.RND_LOAN,
        ProductType.EQUIPMENT_FINANCE,
        ProductType.IP_PLEDGE_LOAN,
    ],
    InstitutionType.INSURER: [
        ProductType.LAUNCH_INSURANCE,
        ProductType.IN_ORBIT_INSURANCE,
        ProductType.THIRD_PARTY_LIABILITY,
        ProductType.FIRST_OF_KIND_INSURANCE,
    ],
    InstitutionType.VC_FUND: [ProductType.EQUITY, ProductType.CONVERTIBLE_NOTE],
    InstitutionType.GUIDANCE_FUND: [ProductType.EQUITY, ProductType.CO_INVESTMENT],
    InstitutionType.GUARANTOR: [ProductType.CREDIT_GUARANTEE],
}
PROJECT_THEMES = {
    Segment.LAUNCH: [
        _("Methane reusable first stage"),
        _("Solid small launcher, batch production"),
    ],
    Segment.SATELLITE_MANUFACTURING: [
        _("LEO bus production line"),
        _("Pulsed satellite integration hall"),
    ],
    Segment.COMPONENTS: [
        _("Ka-band phased-array antenna"),
        _("Laser inter-satellite terminal"),
        _("Hall-effect thruster family"),
        _("Flexible solar array"),
    ],
    Segment.CONSTELLATION_SERVICES: [
        _("Broadband LEO shell, batch 2"),
        _("Maritime connectivity service"),
    ],
    Segment.GROUND_TERMINALS: [_("Flat-panel user terminal"), _("Gateway station network")],
    Segment.EARTH_OBSERVATION: [_("SAR imaging constellation"), _("Hyperspectral crop monitoring")],
    Segment.TESTING_INTEGRATION: [_("Shared thermal-vacuum test platform"), _("EMC test centre")],
    Segment.APPLICATIONS: [
        _("Precise-positioning service for logistics"),
        _("Satellite IoT for pipelines"),
    ],
}
DEMO_USERS = [
    ("operator", "operator@demo.invalid", None),
    ("firm", "firm@demo.invalid", "firm"),
    ("bank", "bank@demo.invalid", InstitutionType.BANK),
    ("insurer", "insurer@demo.invalid", InstitutionType.INSURER),
    ("fund", "fund@demo.invalid", InstitutionType.VC_FUND),
]
STAGE_TRL = {
    Stage.CONCEPT: (1, 3),
    Stage.RND: (2, 4),
    Stage.PROTOTYPE: (4, 6),
    Stage.QUALIFICATION: (5, 7),
    Stage.FIRST_FLIGHT: (6, 8),
    Stage.PRODUCTION_RAMP: (7, 9),
    Stage.COMMERCIAL: (8, 9),
}


@dataclass
class SeedReport:
    firms: int
    projects: int
    institutions: int
    offerings: int
    logins: list[tuple[str, str]]


def _random_needs(rng: random.Random, stage: str) -> dict[str, int]:
    late = STAGE_ORDER[stage] >= STAGE_ORDER[Stage.QUALIFICATION]
    needs = {Instrument.EQUITY: rng.choice([2, 5, 8, 15, 30, 60]) * 10_000_000}
    if late or rng.random() < 0.4:
        needs[Instrument.CREDIT] = rng.choice([1, 3, 5, 10, 20]) * 10_000_000
    if late or rng.random() < 0.3:
        needs[Instrument.RISK_COVER] = rng.choice([5, 10, 20, 40]) * 10_000_000
    return needs


def _seed_firms() -> list[Firm]:
    firms = []
    for index, name in enumerate(FIRM_NAMES):
        firm, _created = Firm.objects.get_or_create(
            name=str(name),
            defaults={
                "description": _("Fictional demo firm."),
                "contact_name": _("Contact %(number)s") % {"number": index + 1},
                "contact_email": f"contact{index + 1}@firm.demo.invalid",
                "contact_phone": f"+86 21 5555 {1000 + index}",
                "verified": index < 20,
                "verified_at": timezone.now() if index < 20 else None,
            },
        )
        firms.append(firm)
    return firms


def _seed_projects(firms: list[Firm]) -> None:
    """Each project draws from its own seeded generator, so a re-run recreates nothing."""
    segments, stages = list(Segment), list(Stage)
    for index in range(44):
        rng = random.Random(f"project-{index}")
        firm = firms[index % len(firms)]
        segment = segments[index % len(segments)]
        stage = stages[(index * 3) % len(stages)]
        title = f"{rng.choice(PROJECT_THEMES[segment])} #{index + 1}"
        if Project.objects.filter(firm=firm, title=title).exists():
            continue
        revenue = (
            rng.choice([12, 24, 36, 60, 84, 120])
            if STAGE_ORDER[stage] < 5
            else rng.choice([0, 6, 12])
        )
        project = Project.objects.create(
            firm=firm,
            title=title,
            summary=_("Demo project: %(title)s for the %(segment)s market.")
            % {"title": title.lower(), "segment": str(segment.label).lower()},
            segment=segment,
            stage=stage,
            trl=rng.randint(*STAGE_TRL[stage]),
            months_to_revenue=revenue,
            months_to_break_even=revenue + rng.choice([12, 24, 36]),
            exposures=rng.sample(Exposure.values, k=rng.randint(1, 4)),
            collateral=rng.sample(
                [c for c in Collateral.values if c != Collateral.NONE], k=rng.randint(1, 2)
            ),
            region=(region := rng.choice(Region.values[:5] * 3 + Region.values[5:])),
            **_status_fields(random.Random(f"project-status-{index}"), stage, region),
            prior_funding=rng.choice([0, 5, 20, 80]) * 1_000_000,
            status=ProjectStatus.DRAFT if index % 11 == 10 else ProjectStatus.SUBMITTED,
            submitted_at=None if index % 11 == 10 else timezone.now(),
        )
        for instrument, amount in _random_needs(rng, stage).items():
            FundingNeed.objects.create(project=project, instrument=instrument, amount=amount)
        today = timezone.localdate()
        Milestone.objects.create(
            project=project,
            title=_("Next major milestone"),
            due_date=today.replace(year=today.year + 1),
        )


def _status_fields(rng: random.Random, stage: str, region: str) -> dict:
    """Flight record, revenue, round sought and places that fit the stage and district."""
    province = (
        Province.SHANGHAI
        if region in SHANGHAI_REGIONS
        else rng.choice([Province.BEIJING, Province.JIANGSU, Province.GUANGDONG, Province.HUBEI])
    )
    flown = STAGE_ORDER[stage] >= STAGE_ORDER[Stage.FIRST_FLIGHT]
    earning = STAGE_ORDER[stage] >= STAGE_ORDER[Stage.PRODUCTION_RAMP]
    flights = rng.choice([1, 2, 5, 12]) if flown else 0
    if flown:
        record = FlightRecord.FIRST_FLIGHT if flights == 1 else FlightRecord.FLIGHT_PROVEN
    else:
        record = rng.choice([FlightRecord.NOT_FLOWN, FlightRecord.EARLIER_PRODUCTS])
    revenue_status = (
        rng.choice([RevenueStatus.REVENUE, RevenueStatus.PROFITABLE])
        if earning
        else RevenueStatus.PRE_REVENUE
    )
    return {
        "flight_record": record,
        "successful_flights": flights,
        "revenue_status": revenue_status,
        "last_year_revenue": rng.choice([30, 120, 600]) * 1_000_000 if earning else 0,
        "round_role": rng.choice(RoundRole.values),
        "province": province,
        "registered_province": province if rng.random() < 0.8 else Province.BEIJING,
    }


def _track_record_fields(rng: random.Random, institution_type: str, instrument: str) -> dict:
    """What each kind of financier asks for, as their published mandates say: lenders want
    revenue and a flown product, insurers share risks in panels, funds lead or follow and
    guidance funds invest locally (see the README's evaluation section)."""
    if instrument == Instrument.CREDIT:
        return {
            "min_revenue_status": RevenueStatus.REVENUE,
            "min_flight_record": rng.choice([FlightRecord.NOT_FLOWN, FlightRecord.FIRST_FLIGHT]),
        }
    if instrument == Instrument.RISK_COVER:
        return {
            "min_flight_record": rng.choice([FlightRecord.NOT_FLOWN, FlightRecord.FIRST_FLIGHT]),
            "line_share": rng.choice([15, 25, 40]),
        }
    if institution_type == InstitutionType.GUIDANCE_FUND:
        return {"presence": [Province.SHANGHAI], "round_role": OfferingRole.FLEXIBLE}
    return {"round_role": rng.choice([OfferingRole.LEAD, OfferingRole.FLEXIBLE])}


def _offering_fields(rng: random.Random, institution_type: str, product: str) -> dict:
    instrument = PRODUCT_INSTRUMENT[product]
    trl = {
        InstitutionType.BANK: (7, 9),
        InstitutionType.VC_FUND: (4, 8),
        InstitutionType.GUIDANCE_FUND: (2, 8),
        InstitutionType.INSURER: (5, 9),
        InstitutionType.GUARANTOR: (6, 9),
    }[institution_type]
    ticket_min = rng.choice([5, 10, 20]) * 1_000_000
    ticket_max = ticket_min * rng.choice([20, 50, 100])
    capacity = ticket_max * rng.choice([5, 10, 20])
    covered = {
        ProductType.LAUNCH_INSURANCE: [Exposure.LAUNCH_FAILURE, Exposure.THIRD_PARTY_LIABILITY],
        ProductType.IN_ORBIT_INSURANCE: [Exposure.IN_ORBIT_FAILURE],
        ProductType.THIRD_PARTY_LIABILITY: [Exposure.THIRD_PARTY_LIABILITY],
        ProductType.FIRST_OF_KIND_INSURANCE: [Exposure.FIRST_OF_KIND, Exposure.SCHEDULE_SLIP],
    }.get(product, [])
    return {
        "instrument": instrument,
        "ticket_min": ticket_min,
        "ticket_max": ticket_max,
        "capacity_total": capacity,
        "capacity_left": capacity,
        "max_tenor_months": {Instrument.EQUITY: 120, Instrument.CREDIT: 60}.get(instrument, 36),
        "segments": rng.sample(Segment.values, k=rng.randint(3, 8)),
        "stages": [],
        "trl_min": trl[0],
        "trl_max": trl[1],
        "risk_appetite": rng.choice(RiskAppetite.values),
        "exposures_covered": covered,
        "regions": [Region.SONGJIANG]
        if institution_type == InstitutionType.GUIDANCE_FUND and rng.random() < 0.4
        else [],
        "collateral_required": rng.sample(
            [Collateral.EQUIPMENT, Collateral.IP, Collateral.RECEIVABLES], k=2
        )
        if instrument == Instrument.CREDIT
        else [],
        "pricing_note": {
            Instrument.RISK_COVER: _("Premium 5–15 per cent of the insured value"),
            Instrument.CREDIT: _("LPR + 50–150 bp"),
        }.get(instrument, _("Valuation-based")),
        "status": OfferingStatus.ACTIVE,
        **_track_record_fields(random.Random(f"{rng.random()}"), institution_type, instrument),
    }


def _seed_institutions() -> int:
    offering_count = 0
    for index, (name, institution_type) in enumerate(INSTITUTIONS):
        institution, _created = Institution.objects.get_or_create(
            name=str(name),
            defaults={
                "institution_type": institution_type,
                "contact_name": _("Relationship manager %(number)s") % {"number": index + 1},
                "contact_email": f"rm{index + 1}@institution.demo.invalid",
                "contact_phone": f"+86 21 6666 {2000 + index}",
                "verified": True,
                "verified_at": timezone.now(),
            },
        )
        products = PRODUCTS[institution_type]
        for number in range(3 if index < 10 else 2):
            product = products[number % len(products)]
            offering_name = f"{ProductType(product).label} {number + 1}"
            if not Offering.objects.filter(institution=institution, name=offering_name).exists():
                rng = random.Random(f"offering-{index}-{number}")
                Offering.objects.create(
                    institution=institution,
                    name=offering_name,
                    product_type=product,
                    **_offering_fields(rng, institution_type, product),
                )
            offering_count += 1
    return offering_count


def _seed_users() -> list[tuple[str, str]]:
    user_model = get_user_model()
    logins = []
    for username, email, role in DEMO_USERS:
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"email": email}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = user.is_superuser = role is None
            user.save()
        if role == "firm":
            FirmMember.objects.get_or_create(
                user=user, defaults={"firm": Firm.objects.get(name=str(FIRM_NAMES[0]))}
            )
        elif role:
            institution = Institution.objects.filter(institution_type=role).order_by("name").first()
            InstitutionMember.objects.get_or_create(
                user=user, defaults={"institution": institution}
            )
        logins.append((username, role or "operator"))
    return logins


@transaction.atomic
def seed_demo() -> SeedReport:
    """Create the demo world once, its texts in the deployment's language
    (DJANGO_LANGUAGE_CODE); running it again changes nothing."""
    with translation.override(settings.LANGUAGE_CODE):
        return _seed_all()


def _seed_all() -> SeedReport:
    firms = _seed_firms()
    _seed_projects(firms)
    offerings = _seed_institutions()
    logins = _seed_users()
    seed_tools()
    return SeedReport(
        firms=len(firms),
        projects=Project.objects.filter(firm__in=firms).count(),
        institutions=len(INSTITUTIONS),
        offerings=offerings,
        logins=logins,
    )
