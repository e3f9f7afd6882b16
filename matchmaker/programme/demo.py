"""The programme's five tools with their published figures, for the demo world.

Figures and sources (see ../shared/PROGRAMME-FACTS.md, where each was read):
- Interest subsidy: up to 50 % of interest on technology and industrialisation loans,
  capped at RMB 15 M (Shanghai, 2025 commercial-space cluster measures),
  https://www.guandian.cn/article/20250424/482248.html
- Premium / guarantee-fee subsidy: 50 % of the premium or guarantee fee, no application
  (免申即享), a draft list for objection, the firm confirms within 3 working days, serious
  bad credit excludes (沪科〔2025〕212号),
  http://www.jxxwjzx.com/hqkjcx2/20260126/1c889544a1424da1857d870311354810.html
- Risk-compensation pool: banks enrol products, eligibility by list, loans with a policy
  guarantee excluded (https://shanghai.gov.cn/gwk/search/content/ba3242bd029149ef9f80dbf3f091543c);
  50 % of losses between 3 % and 5 % (earlier pilot, http://shtex.org.cn/info/info.asp?id=2945)
- Launch and in-orbit insurance subsidy: up to 50 % of premiums, RMB 5 M per launch or
  satellite, RMB 10 M per firm; launch approved or filed (Beijing 2025; applications were
  20 Jan – 31 Mar 2025), http://m.maxca.cn/view/74600.html
- First-of-kind insurance: 80 % of the premium, the rate counted at most 3 %, up to 3
  years, https://www.zhaozhengce.cn/Policy/Detail/21325

No source publishes a yearly budget for these lines: the budgets below are demo figures,
and the windows are the demo's current year so that every tool is open in a walk-through.
"""

from django.utils import timezone

from matchmaker.programme.models import Tool, ToolKind
from matchmaker.vocabulary import Segment

SPACE_MAKERS = [Segment.LAUNCH, Segment.SATELLITE_MANUFACTURING, Segment.CONSTELLATION_SERVICES]

TOOLS = [
    {
        "code": "sh-interest-subsidy",
        "name_en": "Shanghai interest subsidy",
        "name_zh": "上海贷款贴息",
        "kind": ToolKind.INTEREST_SUBSIDY,
        "rate_bp": 5000,
        "cap_per_firm_year": 15_000_000,
        "yearly_budget": 200_000_000,
        "legal_basis": "上海市商业航天产业集群发展若干措施（2025）",
        "legal_basis_url": "https://www.guandian.cn/article/20250424/482248.html",
    },
    {
        "code": "sh-premium-subsidy",
        "name_en": "Premium and guarantee-fee subsidy",
        "name_zh": "保费与担保费补贴",
        "kind": ToolKind.PREMIUM_SUBSIDY,
        "rate_bp": 5000,
        "yearly_budget": 50_000_000,
        "exclusions": ["bad_credit"],
        "confirm_working_days": 3,
        "legal_basis": "沪科〔2025〕212号",
        "legal_basis_url": (
            "http://www.jxxwjzx.com/hqkjcx2/20260126/1c889544a1424da1857d870311354810.html"
        ),
    },
    {
        "code": "sh-risk-pool",
        "name_en": "the risk-compensation pool",
        "name_zh": "信贷风险补偿资金池",
        "kind": ToolKind.RISK_POOL,
        "rate_bp": 5000,
        "loss_band_low_bp": 300,
        "loss_band_high_bp": 500,
        "yearly_budget": 300_000_000,
        "required_lists": ["programme", "high_tech", "specialised"],
        "exclusions": ["policy_guarantee"],
        "legal_basis": "上海市科技型中小企业信贷风险补偿",
        "legal_basis_url": (
            "https://shanghai.gov.cn/gwk/search/content/ba3242bd029149ef9f80dbf3f091543c"
        ),
    },
    {
        "code": "bj-launch-insurance",
        "name_en": "Launch and in-orbit insurance subsidy",
        "name_zh": "发射及在轨保险补贴",
        "kind": ToolKind.LAUNCH_INSURANCE_SUBSIDY,
        "rate_bp": 5000,
        "cap_per_unit": 5_000_000,
        "cap_per_firm_year": 10_000_000,
        "yearly_budget": 100_000_000,
        "eligible_segments": SPACE_MAKERS,
        "required_document": "launch_filing",
        "legal_basis": "北京市2025年高精尖产业发展资金（商业航天保险补贴）",
        "legal_basis_url": "http://m.maxca.cn/view/74600.html",
    },
    {
        "code": "first-of-kind-insurance",
        "name_en": "First-of-kind equipment insurance",
        "name_zh": "首台（套）重大技术装备保险补偿",
        "kind": ToolKind.FIRST_OF_KIND_INSURANCE,
        "rate_bp": 8000,
        "rate_ceiling_bp": 300,
        "years_max": 3,
        "yearly_budget": 100_000_000,
        "required_document": "catalogue_listing",
        "legal_basis": "首台（套）重大技术装备保险补偿机制",
        "legal_basis_url": "https://www.zhaozhengce.cn/Policy/Detail/21325",
    },
]


def seed_tools() -> int:
    """The five tools, once (by code); running it again changes nothing."""
    year = timezone.localdate().year
    window = {
        "window_start": timezone.localdate().replace(year=year, month=1, day=1),
        "window_end": timezone.localdate().replace(year=year, month=12, day=31),
    }
    for fields in TOOLS:
        Tool.objects.get_or_create(code=fields["code"], defaults={**fields, **window})
    return len(TOOLS)
