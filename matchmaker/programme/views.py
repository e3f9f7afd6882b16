"""The programme's pages: the office's (tools, queues, the city's figures), the firm's
(the support its projects may get and what they got) and the financier's (enrolled
products, its deals' entitlements, its claims). Views only orchestrate: forms validate,
services write, selectors read and scope (another tenant's object is a 404)."""

import csv
import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from investors.permissions import institution_member_required
from investors.selectors import offerings_visible_to
from matchmaker.models import MatchStatus
from matchmaker.money import sentences
from matchmaker.operator.permissions import operator_required
from matchmaker.operator.selectors import bars
from matchmaker.programme import selectors, services, wording
from matchmaker.programme.forms import (
    ClaimForm,
    DealTermsForm,
    DecisionForm,
    EnrolmentForm,
    MembershipClaimForm,
    ObjectionForm,
    StandingForm,
    ToolForm,
)
from matchmaker.review.selectors import matches_of_institution_member
from matchmaker.vocabulary import StateConflict
from projects.permissions import firm_member_required


def _apply(request, action, done: str) -> bool:
    """Run a service; say what happened; a refused step is a message, never a 5xx."""
    try:
        action()
    except ValidationError as error:  # a StateConflict too
        messages.error(request, sentences(*error.messages))
        return False
    messages.success(request, done)
    return True


def _apply_form(request, form, action, done: str) -> None:
    """A small form posted from a list page: run the service on valid data, else say
    what is wrong (the page it came from shows the message)."""
    if form.is_valid():
        _apply(request, lambda: action(form.cleaned_data), done)
    else:
        messages.error(request, sentences(*(e for errors in form.errors.values() for e in errors)))


# The office ------------------------------------------------------------------------


@operator_required
def office(request):
    year = timezone.localdate().year
    figures = [selectors.tool_year_figures(tool, year) for tool in selectors.all_tools()]
    context = {
        "year": year,
        "figures": figures,
        "chart": _budget_chart(figures),
        "standing_form": StandingForm(),
        "flagged": selectors.flagged_firms(),
        **selectors.office_queues(),
    }
    return render(request, "programme/office.html", context)


def _budget_chart(figures: list[dict]) -> list[dict]:
    series = {
        "committed": _("Committed"),
        "published": _("Published"),
        "paid": _("Paid"),
        "left": _("Left"),
    }
    rows = [{"label": f["tool"].name, **{key: f[key] for key in series}} for f in figures]
    return bars(rows, series)


@operator_required
def tool_new(request):
    form = ToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            tool = services.tool_create(data=form.cleaned_data, by=request.user)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Tool saved."))
            return redirect("programme:tool_year", tool.pk, timezone.localdate().year)
    return render(request, "programme/tool_form.html", {"form": form}, status=_status(form))


@operator_required
def tool_edit(request, pk: int):
    tool = get_object_or_404(selectors.all_tools(), pk=pk)
    form = ToolForm(request.POST or None, instance=tool)
    if request.method == "POST" and form.is_valid():
        try:
            services.tool_update(
                tool=get_object_or_404(selectors.all_tools(), pk=pk),
                data=form.cleaned_data,
                by=request.user,
            )
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Tool saved."))
            return redirect("programme:tool_year", pk, timezone.localdate().year)
    context = {"form": form, "tool": tool}
    return render(request, "programme/tool_form.html", context, status=_status(form))


def _errors_into(form, error: ValidationError) -> None:
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


def _status(form) -> int:
    return 400 if form.is_bound and form.errors else 200


@operator_required
def tool_year(request, pk: int, year: int):
    tool = get_object_or_404(selectors.all_tools(), pk=pk)
    figures = selectors.tool_year_figures(tool, year)
    context = {"figures": figures, "tool": tool, "chart": _budget_chart([figures])}
    return render(request, "programme/tool_year.html", context)


CSV_COLUMNS = [
    (gettext_lazy("Tool"), "tool"),
    (gettext_lazy("Year"), "year"),
    (gettext_lazy("Budget"), "budget"),
    (gettext_lazy("Committed"), "committed"),
    (gettext_lazy("Published"), "published"),
    (gettext_lazy("Paid"), "paid"),
    (gettext_lazy("Left"), "left"),
    (gettext_lazy("Financing closed"), "financing"),
    (gettext_lazy("Financing per yuan"), "leverage"),
]


@operator_required
def tool_year_csv(request, pk: int, year: int):
    tool = get_object_or_404(selectors.all_tools(), pk=pk)
    f = selectors.tool_year_figures(tool, year)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{tool.code}-{year}.csv"'
    writer = csv.writer(response)
    writer.writerow([str(label) for label, _key in CSV_COLUMNS])
    writer.writerow(
        [tool.name, year, *(f[key] if f[key] is not None else "" for _l, key in CSV_COLUMNS[2:])]
    )
    return response


def _decided(request, form_class=DecisionForm):
    form = form_class(request.POST)
    form.is_valid()
    return form.cleaned_data


def _step(visible, step, done, *, who=operator_required, back="programme:office"):
    """A view for a one-click step on a row of a list page (the office's queues by default):
    the row among those the person sees (else a 404), `step(row, decision, by)` run with
    the posted decision (`approve`, `reason`), `done` said (or why the step was refused),
    back to the page."""

    @require_POST
    @who
    def view(request, pk: int):
        row = get_object_or_404(visible(request.user), pk=pk)
        data = _decided(request)
        decision = {"approve": data.get("approve", False), "reason": data.get("reason", "")}
        _apply(request, lambda: step(row, decision, request.user), done)
        return redirect(back)

    return view


membership_decide = _step(
    selectors.memberships_visible_to,
    lambda membership, decision, by: services.membership_decide(
        membership=membership, confirm=decision["approve"], reason=decision["reason"], by=by
    ),
    gettext_lazy("Decided."),
)
enrolment_decide = _step(
    selectors.enrolments_visible_to,
    lambda enrolment, decision, by: services.enrolment_decide(
        enrolment=enrolment, by=by, **decision
    ),
    gettext_lazy("Decided."),
)
entitlement_publish = _step(
    selectors.entitlements_visible_to,
    lambda entitlement, _decision, by: services.entitlement_publish(entitlement=entitlement, by=by),
    gettext_lazy("Published on the draft list."),
)
entitlement_refuse = _step(
    selectors.entitlements_visible_to,
    lambda entitlement, decision, by: services.entitlement_refuse(
        entitlement=entitlement, reason=decision["reason"], by=by
    ),
    gettext_lazy("Refused; the budget is released."),
)
entitlement_pay = _step(
    selectors.entitlements_visible_to,
    lambda entitlement, _decision, by: services.entitlement_pay(entitlement=entitlement, by=by),
    gettext_lazy("Payment recorded."),
)
claim_decide = _step(
    selectors.claims_visible_to,
    lambda claim, decision, by: services.claim_decide(claim=claim, by=by, **decision),
    gettext_lazy("Decided."),
)


# The office upholds an objection (the entitlement is refused, its budget released) or
# dismisses it, with a reason either way.
objection_resolve = _step(
    selectors.objections_visible_to,
    lambda objection, decision, by: services.objection_resolve(
        objection=objection, uphold=decision["approve"], reason=decision["reason"], by=by
    ),
    gettext_lazy("Objection resolved."),
)


@require_POST
@operator_required
def standing_set(request):
    """The office records (or clears) a firm's serious bad-credit record."""
    _apply_form(
        request,
        StandingForm(request.POST),
        lambda data: services.standing_set(by=request.user, **data),
        _("Saved; the firm's projects are re-scored."),
    )
    return redirect("programme:office")


# The firm --------------------------------------------------------------------------


@firm_member_required
def firm_page(request):
    user = request.user
    context = {
        "support": [
            {**row, "tools": [(t, wording.why_not(code), code is None) for t, code in row["tools"]]}
            for row in selectors.firm_support(request.firm)
        ],
        "memberships": selectors.memberships_visible_to(user),
        "deals": selectors.deals_visible_to(user).prefetch_related("entitlements__tool"),
        "entitlements": selectors.entitlements_visible_to(user),
        "objections": selectors.objections_visible_to(user),
        "claim_form": MembershipClaimForm(),
    }
    return render(request, "programme/firm.html", context)


@require_POST
@firm_member_required
def membership_claim(request):
    _apply_form(
        request,
        MembershipClaimForm(request.POST),
        lambda data: services.membership_claim(firm=request.firm, by=request.user, **data),
        _("Claimed; the office will check it."),
    )
    return redirect("programme:firm")


deal_confirm = _step(
    selectors.deals_visible_to,
    lambda deal, _decision, by: services.deal_confirm(deal=deal, by=by),
    gettext_lazy("Terms confirmed; the programme's tools have been checked."),
    who=firm_member_required,
    back="programme:firm",
)
entitlement_confirm = _step(
    selectors.entitlements_visible_to,
    lambda entitlement, _decision, by: services.entitlement_confirm(entitlement=entitlement, by=by),
    gettext_lazy("Confirmed."),
    who=firm_member_required,
    back="programme:firm",
)


# The financier ---------------------------------------------------------------------


@institution_member_required
def financier_page(request, enrol_form=None, claim_form=None, status=200):
    user = request.user
    offerings = offerings_visible_to(user)
    context = {
        "enrolments": selectors.enrolments_visible_to(user).order_by("pk"),
        "deals": selectors.deals_visible_to(user).prefetch_related("entitlements__tool"),
        "claims": selectors.claims_visible_to(user).order_by("pk"),
        "enrol_form": enrol_form or EnrolmentForm(offerings=offerings),
        "claim_form": claim_form or ClaimForm(),
        "tools": selectors.all_tools(),
    }
    return render(request, "programme/financier.html", context, status=status)


@require_POST
@institution_member_required
def enrol(request):
    form = EnrolmentForm(request.POST, offerings=offerings_visible_to(request.user))
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items()}
        try:
            services.enrolment_request(by=request.user, **data)
        except StateConflict as error:
            form.add_error(None, error.messages)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Enrolment requested; the office will decide."))
            return redirect("programme:financier")
    return financier_page(request, enrol_form=form, status=400)


@require_POST
@institution_member_required
def enrolment_withdraw(request, pk: int):
    enrolment = get_object_or_404(selectors.enrolments_visible_to(request.user), pk=pk)
    _apply(
        request,
        lambda: services.enrolment_withdraw(enrolment=enrolment, by=request.user),
        _("Withdrawn."),
    )
    return redirect("programme:financier")


@require_POST
@institution_member_required
def claim_report(request):
    form = ClaimForm(request.POST)
    if form.is_valid():
        deal = get_object_or_404(
            selectors.deals_visible_to(request.user), pk=form.cleaned_data["deal"]
        )
        try:
            services.claim_report(
                deal=deal,
                outstanding=form.cleaned_data["outstanding"],
                recoveries=form.cleaned_data["recoveries"],
                by=request.user,
            )
        except ValidationError as error:
            form.add_error(None, error.messages)
        else:
            messages.success(request, _("Claim reported; the office will decide."))
            return redirect("programme:financier")
    return financier_page(request, claim_form=form, status=400)


@institution_member_required
def deal_close(request, pk: int):
    """Closing a match as won asks for the terms it closed on."""
    match = get_object_or_404(
        matches_of_institution_member(request.user).select_related("project", "offering"), pk=pk
    )
    form = DealTermsForm(request.POST or None, initial={"start_date": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            services.deal_close(match=match, terms=form.cleaned_data, by=request.user)
        except StateConflict as error:
            form.add_error(None, error.messages)
        except ValidationError as error:
            _errors_into(form, error)
        else:
            messages.success(request, _("Closed as won; the firm will confirm the terms."))
            return redirect("institution:match_detail", match.pk)
    can_close = match.status == MatchStatus.TERM_SHEET
    context = {"form": form, "match": match, "can_close": can_close}
    return render(request, "programme/deal_close.html", context, status=_status(form))


# The public draft list (公示) -------------------------------------------------------


def public_list(request):
    """The draft list open for public objection: no log-in; only the tool, the firm's
    name, the amount and the day objections close."""
    context = {"entries": selectors.public_draft_list()}
    return render(request, "programme/public_list.html", context)


def _objection_allowed(request) -> bool:
    # (counted by every web process together: `settings.SHARED_CACHE`)
    shared = caches[settings.SHARED_CACHE]
    key = f"programme:objections:{request.META.get('REMOTE_ADDR', '')}"
    shared.add(key, 0, timeout=3600)
    try:
        return shared.incr(key) <= services.OBJECTIONS_PER_HOUR
    except ValueError:  # expired between add and incr
        return True


def objection_lodge(request, pk: int):
    """Anyone objects to one published entry while its window is open; after it closes
    the page says so instead of taking the objection."""
    entitlement = get_object_or_404(selectors.ever_published(), pk=pk)
    today = timezone.localdate()
    window_open = selectors.objection_window_open(entitlement, today)
    form = ObjectionForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if not window_open:
            form.add_error(None, str(services.OBJECTION_WINDOW_CLOSED))
        elif not _objection_allowed(request):
            form.add_error(None, _("Too many objections from this address; try again in an hour."))
            status = 429
        elif form.is_valid():
            try:
                services.objection_lodge(
                    entitlement=entitlement, by=request.user, today=today, **form.cleaned_data
                )
            except ValidationError as error:
                if hasattr(error, "error_dict"):
                    _errors_into(form, error)
                else:
                    form.add_error(None, error.messages)
            else:
                messages.success(
                    request,
                    _("Objection received. The office will look into it before any payment."),
                )
                return redirect("programme:public_list")
    context = {"entry": entitlement, "form": form, "window_open": window_open}
    return render(request, "programme/objection_form.html", context, status=status)
