"""The demo world carries the programme's five tools with their published figures."""

import pytest

from matchmaker.devtools.demo import seed_demo
from matchmaker.programme.models import Tool, ToolKind

pytestmark = pytest.mark.django_db


def test_the_demo_carries_the_five_tools_with_the_published_figures():
    seed_demo()
    tools = {tool.kind: tool for tool in Tool.objects.all()}
    assert set(tools) == set(ToolKind.values)
    assert tools[ToolKind.INTEREST_SUBSIDY].cap_per_firm_year == 15_000_000
    pool = tools[ToolKind.RISK_POOL]
    assert (pool.rate_bp, pool.loss_band_low_bp, pool.loss_band_high_bp) == (5000, 300, 500)
    assert "policy_guarantee" in pool.exclusions
    launch = tools[ToolKind.LAUNCH_INSURANCE_SUBSIDY]
    assert (launch.cap_per_unit, launch.cap_per_firm_year) == (5_000_000, 10_000_000)
    first = tools[ToolKind.FIRST_OF_KIND_INSURANCE]
    assert (first.rate_bp, first.rate_ceiling_bp, first.years_max) == (8000, 300, 3)
    assert tools[ToolKind.PREMIUM_SUBSIDY].legal_basis == "沪科〔2025〕212号"
    assert all(tool.legal_basis_url.startswith("http") for tool in tools.values())
    seed_demo()
    assert Tool.objects.count() == 5
