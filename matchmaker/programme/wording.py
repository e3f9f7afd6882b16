"""The programme in words, in the reader's language: what a tool carries for a match, the
net cost a firm bears and the loss a financier keeps."""

from django.utils.translation import gettext as _

from matchmaker.money import listing, rmb
from matchmaker.programme import rules
from matchmaker.programme.models import Enrolment, Tool, ToolKind


def rate(bp: int) -> str:
    """Basis points as a percentage: 420 → "4.2 %"."""
    return f"{bp / 100:.2f}".rstrip("0").rstrip(".") + " %"


def what_it_carries(tool: Tool) -> str:
    share = rate(tool.rate_bp)
    if tool.kind == ToolKind.RISK_POOL:
        return _("%(share)s of losses in the %(low)s–%(high)s band covered") % {
            "share": share,
            "low": rate(tool.loss_band_low_bp or 0),
            "high": rate(tool.loss_band_high_bp or 0),
        }
    if tool.kind == ToolKind.INTEREST_SUBSIDY:
        return _("the programme pays %(share)s of the interest") % {"share": share}
    if tool.kind == ToolKind.PREMIUM_SUBSIDY:
        return _("the programme pays %(share)s of the premium or guarantee fee") % {"share": share}
    if tool.kind == ToolKind.LAUNCH_INSURANCE_SUBSIDY:
        return _("the programme pays %(share)s of the launch and in-orbit premium") % {
            "share": share
        }
    return _(
        "the programme pays %(share)s of the premium, the rate counted at most %(ceiling)s"
    ) % {
        "share": share,
        "ceiling": rate(tool.rate_ceiling_bp or 10_000),
    }


def covered_terms(enrolment: Enrolment) -> list[str]:
    terms = []
    if enrolment.covered_trl_min is not None:
        terms.append(_("TRL %(trl)s") % {"trl": enrolment.covered_trl_min})
    if enrolment.covered_pre_revenue:
        terms.append(_("pre-revenue firms"))
    if enrolment.covered_ticket_max is not None:
        terms.append(_("tickets up to %(amount)s") % {"amount": rmb(enrolment.covered_ticket_max)})
    return terms


def cover_sentence(enrolment: Enrolment) -> str:
    """“Enrolled in the risk-compensation pool: 50 % of losses in the 3–5 % band
    covered; Bank X accepts TRL 6 with it.”"""
    sentence = _("Enrolled in %(tool)s: %(what)s.") % {
        "tool": enrolment.tool.name,
        "what": what_it_carries(enrolment.tool),
    }
    terms = covered_terms(enrolment)
    if terms:
        sentence = _(
            "Enrolled in %(tool)s: %(what)s; %(institution)s accepts %(terms)s with it."
        ) % {
            "tool": enrolment.tool.name,
            "what": what_it_carries(enrolment.tool),
            "institution": enrolment.offering.institution.name,
            "terms": listing(terms),
        }
    return sentence


def net_cost(enrolment: Enrolment) -> str:
    """“Rate 4.2 % → 2.1 % after the interest subsidy”, when the rate is known."""
    tool = enrolment.tool
    if enrolment.indicative_rate_bp is None or not tool.pays_entitlements:
        return ""
    net = rules.net_rate_bp(tool, enrolment.indicative_rate_bp)
    return _("Your cost: %(rate)s → %(net)s after %(tool)s.") % {
        "rate": rate(enrolment.indicative_rate_bp),
        "net": rate(net),
        "tool": tool.name,
    }


def covered_loss(enrolment: Enrolment) -> str:
    """What the financier keeps of a loss on a loan under the pool."""
    tool = enrolment.tool
    if tool.kind != ToolKind.RISK_POOL:
        return ""
    return _(
        "Your covered loss: the pool carries %(share)s of losses between %(low)s and %(high)s "
        "of your enrolled portfolio."
    ) % {
        "share": rate(tool.rate_bp),
        "low": rate(tool.loss_band_low_bp or 0),
        "high": rate(tool.loss_band_high_bp or 0),
    }


def why_not(code: str | None) -> str:
    """A tool's refusal or not-applying reason, in words."""
    return {
        None: _("Applies"),
        "": _("Applies"),
        "segment": _("Not for this segment"),
        "lists": _("The firm is not on a list this tool requires"),
        "bad_credit": _("Excluded: serious bad-credit record"),
        "policy_guarantee": _("Excluded: the loan already carries a policy guarantee"),
        "document": _("A required document was not attested"),
        "window": _("Outside the tool's window"),
        "budget": _("The year's budget is spent"),
        "firm_cap": _("The firm's yearly cap is reached"),
        "nothing_due": _("Nothing is due on these terms"),
    }.get(code, code or "")


def limited_by(code: str) -> str:
    return {
        "": "",
        "per_deal": _("capped per deal"),
        "per_unit": _("capped per launch or satellite"),
        "per_firm_year": _("capped per firm per year"),
        "budget": _("cut to the budget left"),
    }.get(code, code)
