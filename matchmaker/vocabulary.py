"""The shared vocabulary codes of ../shared/DOMAIN.md.

This is the one module of `matchmaker` that `projects` and `investors` may import: a leaf
with no models, so both sides speak the same codes without depending on each other.
The order of each list is meaningful (stages run concept → commercial; bit positions in
the scoring engine follow these orders).
"""

import functools
import unicodedata

from django import forms as django_forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from rest_framework import serializers

from matchmaker import money


class StateConflict(ValidationError):
    """A refusal because of where an object stands in its lifecycle (submit a project that
    is not a draft, decline a closed match), not because of what the request said. Web
    pages show it like any validation error; the API answers 409 Conflict."""


class Segment(models.TextChoices):
    LAUNCH = "launch", _("Launch vehicles and launch services")
    SATELLITE_MANUFACTURING = "satellite_manufacturing", _("Satellite manufacturing")
    COMPONENTS = "components", _("Components and subsystems")
    CONSTELLATION_SERVICES = "constellation_services", _("Constellation operation and services")
    GROUND_TERMINALS = "ground_terminals", _("Ground segment and user terminals")
    EARTH_OBSERVATION = "earth_observation", _("Earth observation and data services")
    TESTING_INTEGRATION = "testing_integration", _("Testing, integration and shared platforms")
    APPLICATIONS = "applications", _("Downstream applications")


class Stage(models.TextChoices):
    CONCEPT = "concept", _("Concept")
    RND = "rnd", _("Research and development")
    PROTOTYPE = "prototype", _("Prototype")
    QUALIFICATION = "qualification", _("Qualification")
    FIRST_FLIGHT = "first_flight", _("First flight / first unit")
    PRODUCTION_RAMP = "production_ramp", _("Production ramp-up")
    COMMERCIAL = "commercial", _("Commercial operation")


STAGE_ORDER = {code: index for index, code in enumerate(Stage.values)}


class Instrument(models.TextChoices):
    EQUITY = "equity", _("Equity")
    CREDIT = "credit", _("Credit")
    RISK_COVER = "risk_cover", _("Risk cover")


class Exposure(models.TextChoices):
    LAUNCH_FAILURE = "launch_failure", _("Launch failure")
    IN_ORBIT_FAILURE = "in_orbit_failure", _("In-orbit failure")
    THIRD_PARTY_LIABILITY = "third_party_liability", _("Third-party liability")
    SUPPLY_CHAIN = "supply_chain", _("Supply-chain concentration")
    FIRST_OF_KIND = "first_of_kind", _("Technology (first of its kind)")
    SCHEDULE_SLIP = "schedule_slip", _("Schedule slip")
    REGULATORY = "regulatory", _("Regulatory (spectrum, orbital filings)")


class InstitutionType(models.TextChoices):
    BANK = "bank", _("Commercial or policy bank")
    INSURER = "insurer", _("Insurer")
    VC_FUND = "vc_fund", _("VC / PE fund")
    GUIDANCE_FUND = "guidance_fund", _("Government guidance fund")
    GUARANTOR = "guarantor", _("Guarantee company")


class Collateral(models.TextChoices):
    EQUIPMENT = "equipment", _("Equipment")
    IP = "ip", _("Intellectual property")
    RECEIVABLES = "receivables", _("Receivables")
    REAL_ESTATE = "real_estate", _("Real estate")
    NONE = "none", _("None")


class OrganizationKind(models.TextChoices):
    FIRM = "firm", _("Space firm")
    INSTITUTION = "institution", _("Financial institution")


class Region(models.TextChoices):
    """Where a project is located; offerings list the regions they may serve."""

    SONGJIANG = "songjiang", _("Shanghai · Songjiang")
    PUDONG = "pudong", _("Shanghai · Pudong")
    LINGANG = "lingang", _("Shanghai · Lingang")
    MINHANG = "minhang", _("Shanghai · Minhang")
    JIADING = "jiading", _("Shanghai · Jiading")
    OTHER_SHANGHAI = "other_shanghai", _("Shanghai · other district")
    OTHER_CHINA = "other_china", _("Outside Shanghai")


SHANGHAI_REGIONS = frozenset(Region.values) - {Region.OTHER_CHINA}


class Province(models.TextChoices):
    """Where a firm is registered and where a project's work happens, at province level:
    state and municipal funds tie money to local presence, export-credit agencies to
    national content. The Shanghai district is `Region`."""

    SHANGHAI = "shanghai", _("Shanghai")
    BEIJING = "beijing", _("Beijing")
    JIANGSU = "jiangsu", _("Jiangsu")
    ZHEJIANG = "zhejiang", _("Zhejiang")
    GUANGDONG = "guangdong", _("Guangdong")
    HUBEI = "hubei", _("Hubei")
    SICHUAN = "sichuan", _("Sichuan")
    SHAANXI = "shaanxi", _("Shaanxi")
    SHANDONG = "shandong", _("Shandong")
    JILIN = "jilin", _("Jilin")
    OTHER = "other", _("Another province of China")
    ABROAD = "abroad", _("Outside China")


CHINA_PROVINCES = tuple(code for code in Province.values if code != Province.ABROAD)


class Country(models.TextChoices):
    """#25: ISO 3166-1 alpha-2 codes, for a firm outside China: state lenders abroad tie
    money to a country (a national development bank to its own, the EIB to the EU's
    members), export-credit agencies to their country's exporters. The 249 codes and their
    short names as Debian's iso-codes 4.15 lists them; the Chinese names are its zh_CN
    translations."""

    AD = "AD", _("Andorra")
    AE = "AE", _("United Arab Emirates")
    AF = "AF", _("Afghanistan")
    AG = "AG", _("Antigua and Barbuda")
    AI = "AI", _("Anguilla")
    AL = "AL", _("Albania")
    AM = "AM", _("Armenia")
    AO = "AO", _("Angola")
    AQ = "AQ", _("Antarctica")
    AR = "AR", _("Argentina")
    AS = "AS", _("American Samoa")
    AT = "AT", _("Austria")
    AU = "AU", _("Australia")
    AW = "AW", _("Aruba")
    AX = "AX", _("Åland Islands")
    AZ = "AZ", _("Azerbaijan")
    BA = "BA", _("Bosnia and Herzegovina")
    BB = "BB", _("Barbados")
    BD = "BD", _("Bangladesh")
    BE = "BE", _("Belgium")
    BF = "BF", _("Burkina Faso")
    BG = "BG", _("Bulgaria")
    BH = "BH", _("Bahrain")
    BI = "BI", _("Burundi")
    BJ = "BJ", _("Benin")
    BL = "BL", _("Saint Barthélemy")
    BM = "BM", _("Bermuda")
    BN = "BN", _("Brunei Darussalam")
    BO = "BO", _("Bolivia, Plurinational State of")
    BQ = "BQ", _("Bonaire, Sint Eustatius and Saba")
    BR = "BR", _("Brazil")
    BS = "BS", _("Bahamas")
    BT = "BT", _("Bhutan")
    BV = "BV", _("Bouvet Island")
    BW = "BW", _("Botswana")
    BY = "BY", _("Belarus")
    BZ = "BZ", _("Belize")
    CA = "CA", _("Canada")
    CC = "CC", _("Cocos (Keeling) Islands")
    CD = "CD", _("Congo, The Democratic Republic of the")
    CF = "CF", _("Central African Republic")
    CG = "CG", _("Congo")
    CH = "CH", _("Switzerland")
    CI = "CI", _("Côte d'Ivoire")
    CK = "CK", _("Cook Islands")
    CL = "CL", _("Chile")
    CM = "CM", _("Cameroon")
    CN = "CN", _("China")
    CO = "CO", _("Colombia")
    CR = "CR", _("Costa Rica")
    CU = "CU", _("Cuba")
    CV = "CV", _("Cabo Verde")
    CW = "CW", _("Curaçao")
    CX = "CX", _("Christmas Island")
    CY = "CY", _("Cyprus")
    CZ = "CZ", _("Czechia")
    DE = "DE", _("Germany")
    DJ = "DJ", _("Djibouti")
    DK = "DK", _("Denmark")
    DM = "DM", _("Dominica")
    DO = "DO", _("Dominican Republic")
    DZ = "DZ", _("Algeria")
    EC = "EC", _("Ecuador")
    EE = "EE", _("Estonia")
    EG = "EG", _("Egypt")
    EH = "EH", _("Western Sahara")
    ER = "ER", _("Eritrea")
    ES = "ES", _("Spain")
    ET = "ET", _("Ethiopia")
    FI = "FI", _("Finland")
    FJ = "FJ", _("Fiji")
    FK = "FK", _("Falkland Islands (Malvinas)")
    FM = "FM", _("Micronesia, Federated States of")
    FO = "FO", _("Faroe Islands")
    FR = "FR", _("France")
    GA = "GA", _("Gabon")
    GB = "GB", _("United Kingdom")
    GD = "GD", _("Grenada")
    GE = "GE", _("Georgia")
    GF = "GF", _("French Guiana")
    GG = "GG", _("Guernsey")
    GH = "GH", _("Ghana")
    GI = "GI", _("Gibraltar")
    GL = "GL", _("Greenland")
    GM = "GM", _("Gambia")
    GN = "GN", _("Guinea")
    GP = "GP", _("Guadeloupe")
    GQ = "GQ", _("Equatorial Guinea")
    GR = "GR", _("Greece")
    GS = "GS", _("South Georgia and the South Sandwich Islands")
    GT = "GT", _("Guatemala")
    GU = "GU", _("Guam")
    GW = "GW", _("Guinea-Bissau")
    GY = "GY", _("Guyana")
    HK = "HK", _("Hong Kong")
    HM = "HM", _("Heard Island and McDonald Islands")
    HN = "HN", _("Honduras")
    HR = "HR", _("Croatia")
    HT = "HT", _("Haiti")
    HU = "HU", _("Hungary")
    ID = "ID", _("Indonesia")
    IE = "IE", _("Ireland")
    IL = "IL", _("Israel")
    IM = "IM", _("Isle of Man")
    IN = "IN", _("India")
    IO = "IO", _("British Indian Ocean Territory")
    IQ = "IQ", _("Iraq")
    IR = "IR", _("Iran, Islamic Republic of")
    IS = "IS", _("Iceland")
    IT = "IT", _("Italy")
    JE = "JE", _("Jersey")
    JM = "JM", _("Jamaica")
    JO = "JO", _("Jordan")
    JP = "JP", _("Japan")
    KE = "KE", _("Kenya")
    KG = "KG", _("Kyrgyzstan")
    KH = "KH", _("Cambodia")
    KI = "KI", _("Kiribati")
    KM = "KM", _("Comoros")
    KN = "KN", _("Saint Kitts and Nevis")
    KP = "KP", _("Korea, Democratic People's Republic of")
    KR = "KR", _("Korea, Republic of")
    KW = "KW", _("Kuwait")
    KY = "KY", _("Cayman Islands")
    KZ = "KZ", _("Kazakhstan")
    LA = "LA", _("Lao People's Democratic Republic")
    LB = "LB", _("Lebanon")
    LC = "LC", _("Saint Lucia")
    LI = "LI", _("Liechtenstein")
    LK = "LK", _("Sri Lanka")
    LR = "LR", _("Liberia")
    LS = "LS", _("Lesotho")
    LT = "LT", _("Lithuania")
    LU = "LU", _("Luxembourg")
    LV = "LV", _("Latvia")
    LY = "LY", _("Libya")
    MA = "MA", _("Morocco")
    MC = "MC", _("Monaco")
    MD = "MD", _("Moldova, Republic of")
    ME = "ME", _("Montenegro")
    MF = "MF", _("Saint Martin (French part)")
    MG = "MG", _("Madagascar")
    MH = "MH", _("Marshall Islands")
    MK = "MK", _("North Macedonia")
    ML = "ML", _("Mali")
    MM = "MM", _("Myanmar")
    MN = "MN", _("Mongolia")
    MO = "MO", _("Macao")
    MP = "MP", _("Northern Mariana Islands")
    MQ = "MQ", _("Martinique")
    MR = "MR", _("Mauritania")
    MS = "MS", _("Montserrat")
    MT = "MT", _("Malta")
    MU = "MU", _("Mauritius")
    MV = "MV", _("Maldives")
    MW = "MW", _("Malawi")
    MX = "MX", _("Mexico")
    MY = "MY", _("Malaysia")
    MZ = "MZ", _("Mozambique")
    NA = "NA", _("Namibia")
    NC = "NC", _("New Caledonia")
    NE = "NE", _("Niger")
    NF = "NF", _("Norfolk Island")
    NG = "NG", _("Nigeria")
    NI = "NI", _("Nicaragua")
    NL = "NL", _("Netherlands")
    NO = "NO", _("Norway")
    NP = "NP", _("Nepal")
    NR = "NR", _("Nauru")
    NU = "NU", _("Niue")
    NZ = "NZ", _("New Zealand")
    OM = "OM", _("Oman")
    PA = "PA", _("Panama")
    PE = "PE", _("Peru")
    PF = "PF", _("French Polynesia")
    PG = "PG", _("Papua New Guinea")
    PH = "PH", _("Philippines")
    PK = "PK", _("Pakistan")
    PL = "PL", _("Poland")
    PM = "PM", _("Saint Pierre and Miquelon")
    PN = "PN", _("Pitcairn")
    PR = "PR", _("Puerto Rico")
    PS = "PS", _("Palestine, State of")
    PT = "PT", _("Portugal")
    PW = "PW", _("Palau")
    PY = "PY", _("Paraguay")
    QA = "QA", _("Qatar")
    RE = "RE", _("Réunion")
    RO = "RO", _("Romania")
    RS = "RS", _("Serbia")
    RU = "RU", _("Russian Federation")
    RW = "RW", _("Rwanda")
    SA = "SA", _("Saudi Arabia")
    SB = "SB", _("Solomon Islands")
    SC = "SC", _("Seychelles")
    SD = "SD", _("Sudan")
    SE = "SE", _("Sweden")
    SG = "SG", _("Singapore")
    SH = "SH", _("Saint Helena, Ascension and Tristan da Cunha")
    SI = "SI", _("Slovenia")
    SJ = "SJ", _("Svalbard and Jan Mayen")
    SK = "SK", _("Slovakia")
    SL = "SL", _("Sierra Leone")
    SM = "SM", _("San Marino")
    SN = "SN", _("Senegal")
    SO = "SO", _("Somalia")
    SR = "SR", _("Suriname")
    SS = "SS", _("South Sudan")
    ST = "ST", _("Sao Tome and Principe")
    SV = "SV", _("El Salvador")
    SX = "SX", _("Sint Maarten (Dutch part)")
    SY = "SY", _("Syrian Arab Republic")
    SZ = "SZ", _("Eswatini")
    TC = "TC", _("Turks and Caicos Islands")
    TD = "TD", _("Chad")
    TF = "TF", _("French Southern Territories")
    TG = "TG", _("Togo")
    TH = "TH", _("Thailand")
    TJ = "TJ", _("Tajikistan")
    TK = "TK", _("Tokelau")
    TL = "TL", _("Timor-Leste")
    TM = "TM", _("Turkmenistan")
    TN = "TN", _("Tunisia")
    TO = "TO", _("Tonga")
    TR = "TR", _("Türkiye")
    TT = "TT", _("Trinidad and Tobago")
    TV = "TV", _("Tuvalu")
    TW = "TW", _("Taiwan, Province of China")
    TZ = "TZ", _("Tanzania, United Republic of")
    UA = "UA", _("Ukraine")
    UG = "UG", _("Uganda")
    UM = "UM", _("United States Minor Outlying Islands")
    US = "US", _("United States")
    UY = "UY", _("Uruguay")
    UZ = "UZ", _("Uzbekistan")
    VA = "VA", _("Holy See (Vatican City State)")
    VC = "VC", _("Saint Vincent and the Grenadines")
    VE = "VE", _("Venezuela, Bolivarian Republic of")
    VG = "VG", _("Virgin Islands, British")
    VI = "VI", _("Virgin Islands, U.S.")
    VN = "VN", _("Viet Nam")
    VU = "VU", _("Vanuatu")
    WF = "WF", _("Wallis and Futuna")
    WS = "WS", _("Samoa")
    YE = "YE", _("Yemen")
    YT = "YT", _("Mayotte")
    ZA = "ZA", _("South Africa")
    ZM = "ZM", _("Zambia")
    ZW = "ZW", _("Zimbabwe")


COUNTRY_CODES = tuple(Country.values)
CHINA = "CN"


class RevenueStatus(models.TextChoices):
    """In order: loans follow revenue."""

    PRE_REVENUE = "pre_revenue", _("Pre-revenue")
    REVENUE = "revenue", _("Earning revenue")
    PROFITABLE = "profitable", _("Profitable")


class FlightRecord(models.TextChoices):
    """What has flown, separate from TRL, in order: before a first orbital flight firms
    raise only equity; loans, export credit and insurance follow flight heritage."""

    NOT_FLOWN = "not_flown", _("Nothing flown yet")
    EARLIER_PRODUCTS = "earlier_products", _("Not flown yet; the firm's earlier products have")
    FIRST_FLIGHT = "first_flight", _("First flight done")
    FLIGHT_PROVEN = "flight_proven", _("Several successful flights or units in orbit")


class RoundRole(models.TextChoices):
    """Which part of a round or a loan a project seeks: a lead (lead investor, arranger)
    or follow-on money (#25 widened it from equity rounds to loans)."""

    LEAD = "lead", _("A lead investor or arranger")
    FOLLOW = "follow", _("Follow-on investors or lenders")
    EITHER = "either", _("Either")


class OfferingRole(models.TextChoices):
    """What an equity offering does in a round."""

    LEAD = "lead", _("Leads rounds")
    FLEXIBLE = "flexible", _("Leads or co-invests")
    FOLLOW_ONLY = "follow_only", _("Follows a lead only")


class RiskAppetite(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ProductType(models.TextChoices):
    TERM_LOAN = "term_loan", _("Term loan")
    RND_LOAN = "rnd_loan", _("R&D loan")
    EQUIPMENT_FINANCE = "equipment_finance", _("Equipment finance")
    IP_PLEDGE_LOAN = "ip_pledge_loan", _("IP-pledge loan")
    SUPPLY_CHAIN_FINANCE = "supply_chain_finance", _("Supply-chain (receivables) finance")
    WORKING_CAPITAL = "working_capital", _("Working capital")
    LAUNCH_INSURANCE = "launch_insurance", _("Launch insurance")
    IN_ORBIT_INSURANCE = "in_orbit_insurance", _("In-orbit insurance")
    THIRD_PARTY_LIABILITY = "third_party_liability", _("Third-party liability insurance")
    FIRST_OF_KIND_INSURANCE = "first_of_kind_insurance", _("First-of-kind equipment insurance")
    COST_OVERRUN_COVER = "cost_overrun_cover", _("Cost-overrun / R&D cover")
    EQUITY = "equity", _("Equity investment")
    CONVERTIBLE_NOTE = "convertible_note", _("Convertible note")
    CO_INVESTMENT = "co_investment", _("Co-investment alongside a lead")
    CREDIT_GUARANTEE = "credit_guarantee", _("Credit guarantee")


PRODUCT_INSTRUMENT = {
    ProductType.TERM_LOAN: Instrument.CREDIT,
    ProductType.RND_LOAN: Instrument.CREDIT,
    ProductType.EQUIPMENT_FINANCE: Instrument.CREDIT,
    ProductType.IP_PLEDGE_LOAN: Instrument.CREDIT,
    ProductType.SUPPLY_CHAIN_FINANCE: Instrument.CREDIT,
    ProductType.WORKING_CAPITAL: Instrument.CREDIT,
    ProductType.CREDIT_GUARANTEE: Instrument.CREDIT,
    ProductType.LAUNCH_INSURANCE: Instrument.RISK_COVER,
    ProductType.IN_ORBIT_INSURANCE: Instrument.RISK_COVER,
    ProductType.THIRD_PARTY_LIABILITY: Instrument.RISK_COVER,
    ProductType.FIRST_OF_KIND_INSURANCE: Instrument.RISK_COVER,
    ProductType.COST_OVERRUN_COVER: Instrument.RISK_COVER,
    ProductType.EQUITY: Instrument.EQUITY,
    ProductType.CONVERTIBLE_NOTE: Instrument.EQUITY,
    ProductType.CO_INVESTMENT: Instrument.EQUITY,
}


@functools.cache
def _labels_of(field) -> dict:
    """A choice field's value → (lazy) label, built once per field."""
    return dict(field.flatchoices)


class FastChoiceDisplay:
    """``get_FOO_display()`` without rebuilding the field's choices on every call.

    Django's version hashes every lazy label of the field each time it is called (one
    translation lookup per choice); a list page calls it hundreds of times. Here the
    mapping is built once per field and only the label shown is translated."""

    def _get_FIELD_display(self, field):
        value = getattr(self, field.attname)
        try:
            return choice_label(field, value)
        except TypeError:  # an unhashable value: Django's own way
            return super()._get_FIELD_display(field)


def choice_label(field, value):
    """What ``get_FOO_display()`` says for this value of this choice field, in the active
    language (the value itself when it is not a choice); for values read without their
    model instance."""
    label = _labels_of(field).get(value, value)
    return str(label) if label is not None else label


def labels(choices: type[models.TextChoices], codes: list[str]) -> list[str]:
    """Human labels for a list of codes, skipping unknown ones."""
    mapping = dict(choices.choices)
    return [str(mapping[code]) for code in codes if code in mapping]


@deconstructible
class CodeListValidator:
    """Checks that a JSON list holds only known codes of one vocabulary, each once."""

    def __init__(self, choices_path: str):
        self.choices_path = choices_path

    def _choices(self) -> type[models.TextChoices]:
        return globals()[self.choices_path]

    def __call__(self, value: object) -> None:
        if not isinstance(value, list) or not all(isinstance(code, str) for code in value):
            raise ValidationError(_("Expected a list of codes."), code="not_a_code_list")
        unknown = sorted(set(value) - set(self._choices().values))
        if unknown:
            raise ValidationError(
                _("Unknown code(s): %(codes)s."),
                code="unknown_code",
                params={"codes": ", ".join(unknown)},
            )
        if len(set(value)) != len(value):
            raise ValidationError(_("Each code may appear only once."), code="duplicate")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, CodeListValidator) and other.choices_path == self.choices_path


def code_list_field(choices: type[models.TextChoices], verbose_name, **kwargs) -> models.JSONField:
    """A JSON list of codes from one vocabulary (multi-select), validated on clean."""
    kwargs.setdefault("default", list)
    kwargs.setdefault("blank", True)
    return models.JSONField(
        verbose_name, validators=[CodeListValidator(choices.__name__)], **kwargs
    )


class Criterion(models.TextChoices):
    """The fit criteria the engine scores, each 0–1, in this order."""

    SEGMENT = "segment", _("Segment")
    STAGE = "stage", _("Stage")
    TRL = "trl", _("Technology readiness")
    TICKET = "ticket", _("Ticket size and round role")
    TENOR = "tenor", _("Tenor vs. time to revenue")
    RISK = "risk", _("Risk and track record")
    GEOGRAPHY = "geography", _("Geography / local presence")
    COLLATERAL = "collateral", _("Collateral")


MAX_WEIGHT = 10


@deconstructible
class WeightsValidator:
    """Optional per-offering weights: known criteria only, each a number from 0 to 10."""

    def __call__(self, value: object) -> None:
        if not isinstance(value, dict):
            raise ValidationError(_("Weights must be a mapping of criterion to number."))
        unknown = sorted(set(value) - set(Criterion.values))
        if unknown:
            raise ValidationError(
                _("Unknown criterion: %(names)s."), params={"names": ", ".join(unknown)}
            )
        for name, weight in value.items():
            if isinstance(weight, bool) or not isinstance(weight, int | float):
                raise ValidationError(
                    _("The weight of %(name)s must be a number."), params={"name": name}
                )
            if not 0 <= weight <= MAX_WEIGHT:
                raise ValidationError(
                    _("The weight of %(name)s must lie between 0 and %(max)s."),
                    params={"name": name, "max": MAX_WEIGHT},
                )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, WeightsValidator)


MAX_AMOUNT_RMB = 10**13  # RMB 10 trillion: far above any project, below integer overflow.

# What a person may enter as one amount (a need, a ticket, a capacity, prior funding):
# RMB 100 billion, several times the largest space financing ever closed. The database's
# own limit (`MAX_AMOUNT_RMB`) stays a safety net far above it.
AMOUNT_CEILING_RMB = 100 * 10**9


def _ceiling_words() -> str:
    return str(_("At most %(limit)s: check the number of digits.")) % {
        "limit": money.rmb_in_words(AMOUNT_CEILING_RMB)
    }


# Lazy: each reader sees the limit in their language, in words ("不超过1,000亿元").
AMOUNT_CEILING_MESSAGE = lazy(_ceiling_words, str)()
AMOUNT_MINIMUM_MESSAGES = {
    0: _("Enter 0 or a positive amount, in whole RMB."),
    1: _("Enter a positive amount, in whole RMB."),
}


def rmb(amount) -> str:
    """`matchmaker.money.rmb` for the apps that may import only this module."""
    return money.rmb(amount)


def instrument_label(code: str) -> str:
    """“risk_cover” → “Risk cover”, in the reader's language (unknown codes as they are)."""
    return str(dict(Instrument.choices).get(code, code))


def amount_limits(field: django_forms.IntegerField, minimum: int = 1) -> None:
    """Give a form's amount field the person-sized limits and their plain words, in place
    of the column's range (whose message reads "… 9223372036854775807")."""
    field.min_value, field.max_value = minimum, AMOUNT_CEILING_RMB
    field.validators = [
        v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
    ]
    field.validators += [
        MinValueValidator(minimum, message=AMOUNT_MINIMUM_MESSAGES[minimum]),
        MaxValueValidator(AMOUNT_CEILING_RMB, message=AMOUNT_CEILING_MESSAGE),
    ]
    field.widget.attrs.update(min=minimum, max=AMOUNT_CEILING_RMB)


def code_list_serializer_field(choices: type[models.TextChoices], **kwargs):
    """The API's form of a code-list field: known codes of one vocabulary, each once."""
    kwargs.setdefault("required", False)
    return serializers.ListField(
        child=serializers.ChoiceField(choices=choices.choices),
        max_length=len(choices),
        validators=[CodeListValidator(choices.__name__)],
        **kwargs,
    )


def code_list_form_field(choices: type[models.TextChoices], label, **kwargs):
    """A checkbox group for a code-list model field (forms of both sides use it)."""
    from django import forms

    kwargs.setdefault("required", False)
    return forms.MultipleChoiceField(
        label=label, choices=choices.choices, widget=forms.CheckboxSelectMultiple, **kwargs
    )


# Text-direction overrides, embeddings and isolates: they can make "fdp.exe" read as
# "exe.pdf" or reorder a figure. Ordinary text never needs them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that take no space: text made only of these (and spaces) looks empty.
INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\u180e")


def normalise_text(value: str) -> str:
    """How user text is stored: Unicode NFC (one encoding per character), no surrounding
    spaces, so the same words always compare equal."""
    return unicodedata.normalize("NFC", value).strip()


@deconstructible
class PlainTextValidator:
    """User text with nothing hidden: no control characters (line breaks only where the
    field has several lines), no text-direction overrides, not only invisible characters."""

    def __init__(self, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value: object) -> None:
        if not isinstance(value, str):
            return
        allowed_controls = "\n\r\t" if self.multiline else ""
        for character in value:
            if unicodedata.category(character) == "Cc" and character not in allowed_controls:
                raise ValidationError(
                    _("Remove the control character U+%(code)04X from this text.")
                    % {"code": ord(character)},
                    code="control_character",
                )
            if character in BIDI_CONTROLS:
                raise ValidationError(
                    _(
                        "Remove the hidden text-direction character U+%(code)04X: it can "
                        "disguise what the text says."
                    )
                    % {"code": ord(character)},
                    code="bidi_control",
                )
        if value and all(character.isspace() or character in INVISIBLE for character in value):
            raise ValidationError(
                _("Enter visible text, not only blank or invisible characters."),
                code="invisible",
            )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline


class _NormalisedText:
    """Stores what people type normalised (see `normalise_text`), on the instance too."""

    def pre_save(self, model_instance, add):
        value = super().pre_save(model_instance, add)
        if isinstance(value, str):
            value = normalise_text(value)
            setattr(model_instance, self.attname, value)
        return value


class PlainCharField(_NormalisedText, models.CharField):
    """One line of user-typed text (a name, a title)."""

    default_validators = [PlainTextValidator()]


class PlainTextField(_NormalisedText, models.TextField):
    """Several lines of user-typed text (a summary, a message)."""

    default_validators = [PlainTextValidator(multiline=True)]


def plain_text_form_field(*, multiline: bool = False, **kwargs):
    """A form field for user text outside a model, checked as the model fields are."""
    from django import forms

    return forms.CharField(validators=[PlainTextValidator(multiline=multiline)], **kwargs)


class StrictCharField(serializers.CharField):
    """Text in the API is a JSON string: a number is refused, not turned into text."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    """A boolean in the API is JSON true or false, not "yes", 1 or "on"."""

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    """A whole number in the API is a JSON number, not "12" or true."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class AmountField(StrictIntegerField):
    """An amount in whole RMB in the API: the web form's limits and words."""

    def __init__(self, minimum: int = 1, **kwargs):
        kwargs.setdefault("min_value", minimum)
        kwargs.setdefault("max_value", AMOUNT_CEILING_RMB)
        kwargs["error_messages"] = {
            "min_value": AMOUNT_MINIMUM_MESSAGES[minimum],
            "max_value": AMOUNT_CEILING_MESSAGE,
            **kwargs.get("error_messages", {}),
        }
        super().__init__(**kwargs)


class StrictFloatField(serializers.FloatField):
    """A number in the API is a JSON number, not "1.5" or true."""

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, int | float):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictModelSerializer(serializers.ModelSerializer):
    """A model serializer whose text and boolean fields take JSON types as they are."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        models.CharField: StrictCharField,
        models.TextField: StrictCharField,
        PlainCharField: StrictCharField,
        PlainTextField: StrictCharField,
        models.BooleanField: StrictBooleanField,
        models.IntegerField: StrictIntegerField,
        models.BigIntegerField: StrictIntegerField,
        models.SmallIntegerField: StrictIntegerField,
        models.PositiveIntegerField: StrictIntegerField,
        models.PositiveSmallIntegerField: StrictIntegerField,
        models.PositiveBigIntegerField: StrictIntegerField,
        models.FloatField: StrictFloatField,
    }


def plain_text_serializer_field(*, multiline: bool = False, **kwargs):
    """The API's form of `plain_text_form_field`."""
    return StrictCharField(validators=[PlainTextValidator(multiline=multiline)], **kwargs)


def browser_limits_from_model(form) -> None:
    """Give a model form's number inputs the same min/max the model's validators enforce
    (Django's integer form fields carry the column's range instead: TRL from 0, prior
    funding down to −9.2×10¹⁸), so the browser and the server refuse the same values."""
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is None:
        return
    model_fields = {field.name: field for field in model._meta.fields}
    for name, field in form.fields.items():
        if not isinstance(field, django_forms.IntegerField) or name not in model_fields:
            continue
        for validator in model_fields[name].validators:
            if isinstance(validator, MinValueValidator):
                field.min_value = validator.limit_value
                field.widget.attrs["min"] = field.min_value
            elif isinstance(validator, MaxValueValidator):
                field.max_value = validator.limit_value
                field.widget.attrs["max"] = field.max_value
        # the column's range validators go: the model's limits are the ones that hold
        field.validators = [
            v for v in field.validators if not isinstance(v, MinValueValidator | MaxValueValidator)
        ]
        if field.min_value is not None:
            field.validators.append(MinValueValidator(field.min_value))
        if field.max_value is not None:
            field.validators.append(MaxValueValidator(field.max_value))


def worded_empty_choices(form) -> None:
    """Selects open with "Choose…" in the reader's language, not Django's "---------"."""
    for field in form.fields.values():
        if isinstance(field, django_forms.ModelChoiceField):
            if field.empty_label and str(field.empty_label).startswith("---"):
                field.empty_label = _("Choose…")
            continue
        choices = getattr(field, "choices", None)
        if not isinstance(field, django_forms.ChoiceField) or not choices:
            continue
        choices = list(choices)
        if choices[0][0] in ("", None) and str(choices[0][1]).startswith("---"):
            field.choices = [("", _("Choose…")), *choices[1:]]


class GuidedFormMixin:
    """Model forms that guide: the model's number limits in the browser, worded empty
    choices. Fields named in `defaulted_fields` (facts added after the first version) are
    optional and take the model's default when left out, so a page opened before they
    existed still saves."""

    defaulted_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        browser_limits_from_model(self)
        worded_empty_choices(self)
        for name in self.defaulted_fields:
            self.fields[name].required = False

    def clean(self):
        cleaned = super().clean()
        for name in self.defaulted_fields:
            if name in cleaned and cleaned[name] in (None, ""):
                cleaned[name] = self._meta.model._meta.get_field(name).default
        return cleaned


# Django writes form labels as "Label:" with a translatable ":"; the Chinese catalogue
# gives it the full-width "：" a Chinese reader expects (marked here so it stays there).
LABEL_SUFFIX = gettext_noop(":")
