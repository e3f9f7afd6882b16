"""The institution's daily work on matches: the list, one match, decisions, the pipeline,
answering firms' introduction requests, and documents after an accepted introduction.

Every id-taking view starts from `review.selectors` (another tenant's match is a 404);
decisions go through `review.services`.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from investors.models import OfferingStatus
from investors.permissions import institution_member_required
from investors.selectors import offerings_visible_to
from matchmaker.dealroom import revisit
from matchmaker.dealroom.forms import NotNowDeclineForm
from matchmaker.dealroom.selectors import (
    document_shared_for_match,
    documents_shown_for_match,
    room_of_match,
)
from matchmaker.matching import selectors as matching_selectors
from matchmaker.matching.explain import explain
from matchmaker.models import IntroductionState, Match, MatchStatus
from matchmaker.programme.matches import programme_notes
from matchmaker.review import learning, suggestions
from matchmaker.review import services as review
from matchmaker.review.access import access_record_download, access_record_view
from matchmaker.review.cards import group_cards
from matchmaker.review.filters import MatchFilter
from matchmaker.review.forms import (
    DeclineForm,
    IntroductionForm,
    MoveForm,
    SavedViewForm,
    SuggestionAnswerForm,
)
from matchmaker.review.introduction_views import answer, undo_refusal_of
from matchmaker.review.introductions import introduction_request, refusal_undoable
from matchmaker.review.kept_projects import card_projects
from matchmaker.review.list_table import ListFromTable
from matchmaker.review.saved_views import saved_view_delete, saved_view_save
from matchmaker.review.selectors import (
    LIST_CACHE_SECONDS,
    CardMatch,
    ProjectGroup,
    contacts_visible,
    groups_of,
    institution_match,
    introductions_to_answer,
    learned_weights_of,
    list_ids_key,
    match_list_versions,
    matches_of_institution_member,
    offering_names,
    project_page,
    saved_views_of,
    saved_views_shown,
)
from matchmaker.review.services import IllegalMove

DECISIONS = {MatchStatus.SHORTLISTED, MatchStatus.DECLINED, MatchStatus.INTRO_REQUESTED}
SUGGESTION_ACTIONS = [
    ("institution:suggestion_accept", gettext_lazy("Apply to the offering")),
    ("institution:suggestion_dismiss", gettext_lazy("Dismiss")),
]


@institution_member_required
def match_list(request):
    match_filter = MatchFilter(
        request.GET,
        queryset=Match.objects.none(),  # the list's own: `filtered`, read when needed
        offerings=offerings_visible_to(request.user),
    )

    def filtered():
        match_filter.queryset = matches_of_institution_member(request.user)
        return match_filter.qs

    filters_query = QueryDict(mutable=True)
    for name, values in request.GET.lists():
        if name in MatchFilter.base_filters:
            filters_query.setlist(name, values)
    valid = match_filter.is_valid()
    sort = match_filter.form.cleaned_data.get("sort") if valid else None
    versions = match_list_versions(request.institution)
    version = versions.list
    # the list's project keys, shared by its pages (filters as understood; none kept
    # for filters that were not)
    ids_key = list_ids_key("page", version, match_filter.form.cleaned_data) if valid else ""
    context = {
        "filter": match_filter,
        # read only when the cached list is stale (see the template's cache fragment)
        "page": SimpleLazyObject(
            lambda: _page_of_cards(
                # built only when the list's ids or the page's cards are not cached
                SimpleLazyObject(filtered),
                sort or "-score",
                request.GET.get("page"),
                ids_key,
                # the list's keys and cards from the institution's matches held in
                # memory, for the filters it holds (`list_table`)
                ListFromTable(
                    request.institution, version, match_filter.form.cleaned_data, sort or "-score"
                )
                if valid
                else None,
                versions.projects,
            )
        ),
        "list_version": version,
        # the filter form shows the offerings alone: kept through re-scores and decisions
        "offerings_version": versions.offerings,
        # the filter form, shared by the list's pages and page sizes: only its own fields
        "filters_query": filters_query.urlencode(),
        # the list's page links and its cached page: the filters and the page alone (a
        # page size, which this page does not take, is not another list)
        "pagination_query": filters_query,
        "page_asked": request.GET.get("page", ""),
        "list_cache_seconds": LIST_CACHE_SECONDS,
        "saved_views": saved_views_shown(request.user),
        "here": request.get_full_path(),
        # why an empty list is empty, when it is not the filters: asked only when the
        # list is empty (the cached list's key holds what decides it: the institution's
        # verification, and its offerings through `list_version`)
        "empty_reason": SimpleLazyObject(lambda: _empty_reason(request)),
        # where declining happens, what the declines suggest (outside the cached list)
        "suggestions": suggestions.suggestions_of_list(
            offerings_visible_to(request.user), versions.decisions
        ),
        "suggestion_actions": SUGGESTION_ACTIONS,
    }
    return render(request, "institution/match_list.html", context)


def _page_of_cards(
    matches,
    sort: str,
    page_number,
    ids_key: str,
    table: ListFromTable | None,
    projects_version: str,
):
    """A page of the list: its project keys (`project_page`, the list's keys kept under
    `ids_key` for its other pages) and its project cards as one piece of HTML
    (`page.cards`, which the template's cache keeps with the rest of the page). The keys
    and the cards' matches come from the institution's matches in memory (`table`) where
    it holds the filters, with the projects' facts the process keeps (`card_projects`,
    under `projects_version`); else from `matches`."""
    page = project_page(
        matches,
        sort,
        page_number,
        cache_key=ids_key,
        read_keys=table.project_keys if table else None,
    )
    by_project = (
        table.card_matches_by_project(page.object_list, offering_names(table.institution))
        if table
        else None
    )
    if by_project is None:
        groups = groups_of(list(page.object_list), matches)
    else:
        groups = _groups_from_table(by_project, projects_version)
    page.cards = mark_safe("".join(group.card for group in _with_addresses(groups)))
    return page


def _groups_from_table(
    by_project: dict[int, list[CardMatch]], projects_version: str
) -> list[ProjectGroup]:
    """The page's projects, in order, each with its matches from the institution's table
    and its facts kept in the process (`card_projects`): nothing read when they are kept
    (reading the page's matches, projects and needs for each institution, filter and page
    was a third of a first-seen page, #26). A project gone since is left out, as
    `groups_of` leaves it."""
    shown = [project_id for project_id, matches in by_project.items() if matches]
    facts = card_projects(shown, projects_version)
    return [
        ProjectGroup(kept.project, by_project[project_id], kept.needs, kept.heads)
        for project_id, kept in facts.items()
    ]


def _with_addresses(groups: list[ProjectGroup]) -> list[ProjectGroup]:
    """Each match's page and shortlist addresses, reversed once for the whole list (a
    `{% url %}` per match and button was a tenth of an uncached list page), and each
    project's card (`cards.group_cards`)."""
    detail = reverse("institution:match_detail", args=[0]).replace("/0/", "/%d/")
    shortlist = reverse("institution:shortlist", args=[0]).replace("/0/", "/%d/")
    for group in groups:
        for match in group.matches:
            match.detail_url = detail % match.pk
            match.shortlist_url = shortlist % match.pk
    group_cards(groups)
    return groups


def _empty_reason(request) -> str:
    """ "unverified" or "no_active_offering" when nothing can be matched yet, else ""."""
    if not request.institution.verified:
        return "unverified"
    if not offerings_visible_to(request.user).filter(status=OfferingStatus.ACTIVE).exists():
        return "no_active_offering"
    return ""


@institution_member_required
def match_detail(request, pk: int):
    match = institution_match(request.user, pk)
    access_record_view(by=request.user, institution=request.institution, project=match.project)
    return _detail_page(request, match)


def _detail_page(request, match, bound_form=None, status: int = 200):
    """The match page; `bound_form` is a decision form that failed, shown open with its
    errors and what was typed."""
    visible = contacts_visible(match)
    allowed = review.allowed_moves(match=match)
    context = {
        "match": match,
        "project": match.project,
        "components": explain(match, matching_selectors.engine_weights()),
        "learned_note": learning.active_note(match.offering),
        "programme": programme_notes(match, "institution"),
        "contacts_visible": visible,
        "documents": documents_shown_for_match(match) if visible else [],
        "room": room_of_match(match) if visible else None,
        "pipeline_moves": [MatchStatus(s) for s in review.PIPELINE if s in allowed - DECISIONS],
        "can_shortlist": MatchStatus.SHORTLISTED in allowed,
        "can_decline": MatchStatus.DECLINED in allowed,
        "can_request": MatchStatus.INTRO_REQUESTED in allowed,
        "undo": review.undoable_event(match=match, user=request.user),
        "events": match.events.select_related("user")[:20],
        "packages": matching_selectors.packages_containing(match),
        "incoming": introductions_to_answer(request.user)
        .filter(match=match, state=IntroductionState.REQUESTED)
        .first(),
        "refused_today": next(
            (
                introduction
                for introduction in introductions_to_answer(request.user).filter(
                    match=match, state=IntroductionState.REFUSED
                )
                if refusal_undoable(introduction=introduction, user=request.user)
            ),
            None,
        ),
        "decline_form": NotNowDeclineForm(),
        "introduction_form": IntroductionForm(),
    }
    if bound_form is not None:
        name = "decline_form" if isinstance(bound_form, DeclineForm) else "introduction_form"
        context[name] = bound_form
    return render(request, "institution/match_detail.html", context, status=status)


def _decide(request, pk: int, form_class, decision, success: str, undo_tag: str = ""):
    """Validate the posted form (if any), run one review service, say how it went."""
    match = institution_match(request.user, pk)
    form = form_class(request.POST) if form_class else None
    shown_on_page = form_class in (DeclineForm, NotNowDeclineForm, IntroductionForm)
    if form is not None and not form.is_valid():
        if shown_on_page:
            return _detail_page(request, match, bound_form=form, status=400)
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        return redirect("institution:match_detail", pk=pk)
    try:
        decision(match, form.cleaned_data if form is not None else {})
    except IllegalMove as refusal:
        for text in refusal.messages:
            messages.error(request, text)
    except ValidationError as error:
        if not shown_on_page:
            raise
        form.add_error(None, error)
        return _detail_page(request, match, bound_form=form, status=400)
    else:
        # `undo_tag` puts the undo button inside this confirmation (base.html)
        messages.success(request, success, extra_tags=undo_tag)
    return redirect(_back_to(request) or reverse("institution:match_detail", args=[pk]))


def _back_to(request) -> str | None:
    """Where a decision taken from the match list returns: the list as it was filtered."""
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


@require_POST
@institution_member_required
def save_view(request):
    form = SavedViewForm(request.POST)
    if form.is_valid():
        saved_view_save(by=request.user, **form.cleaned_data)
        messages.success(request, _("Filters saved as “%(name)s”.") % form.cleaned_data)
        query = form.cleaned_data["query"]
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
        query = ""
    return redirect(reverse("institution:match_list") + (f"?{query}" if query else ""))


@require_POST
@institution_member_required
def delete_view(request, pk: int):
    view = get_object_or_404(saved_views_of(request.user), pk=pk)
    saved_view_delete(view=view, by=request.user)
    messages.success(request, _("Saved filters “%(name)s” deleted.") % {"name": view.name})
    return redirect("institution:match_list")


@require_POST
@institution_member_required
def shortlist(request, pk: int):
    return _decide(
        request,
        pk,
        None,
        lambda match, _data: review.match_move(
            match=match, to_status=MatchStatus.SHORTLISTED, by=request.user
        ),
        _("Shortlisted."),
    )


@require_POST
@institution_member_required
def decline(request, pk: int):
    return _decide(
        request,
        pk,
        NotNowDeclineForm,
        lambda match, data: revisit.match_decline_not_now(
            match=match,
            reason=data["reason"],
            note=data["note"],
            kind=data["revisit_kind"],
            trl=data["revisit_trl"],
            on_date=data["revisit_date"],
            by=request.user,
        ),
        _(
            "Declined. The firm only learns that you declined. You can undo this until the "
            "end of today."
        ),
        undo_tag=f"undo-match undo-match-{pk}",
    )


@require_POST
@institution_member_required
def request_introduction(request, pk: int):
    return _decide(
        request,
        pk,
        IntroductionForm,
        lambda match, data: introduction_request(
            match=match, by=request.user, message=data["message"]
        ),
        _("Introduction requested. The firm decides whether to accept."),
    )


@require_POST
@institution_member_required
def undo(request, pk: int):
    return _decide(
        request,
        pk,
        None,
        lambda match, _data: review.match_undo(match=match, by=request.user),
        _("Undone."),
    )


@require_POST
@institution_member_required
def move(request, pk: int):
    if request.POST.get("status") == MatchStatus.CLOSED_WON:  # the terms are asked first
        return redirect("programme:deal_close", pk)
    return _decide(
        request,
        pk,
        MoveForm,
        lambda match, data: review.match_move(
            match=match, to_status=data["status"], by=request.user, note=data["note"]
        ),
        _("Moved."),
    )


@institution_member_required
def pipeline(request):
    matches = (
        matches_of_institution_member(request.user)
        .exclude(status__in=[MatchStatus.NEW, MatchStatus.DECLINED])
        .select_related("project__firm", "offering", "introduction")
        .prefetch_related("project__needs")
        .order_by("-status_changed_at")
    )
    columns = [(status, MatchStatus(status).label, []) for status in review.PIPELINE[1:]]
    by_status = {status: items for status, _label, items in columns}
    for match in matches[:500]:
        match.firm_visible = contacts_visible(match)
        match.need = next(
            (
                n.amount
                for n in match.project.needs.all()
                if n.instrument == match.offering.instrument
            ),
            None,
        )
        allowed = review.allowed_moves(match=match) - DECISIONS
        match.board_moves = [MatchStatus(s) for s in review.PIPELINE if s in allowed]
        by_status[match.status].append(match)
    context = {
        "columns": columns,
        "here": request.get_full_path(),
        "suggestions": suggestions.suggestions_for(offerings_visible_to(request.user)),
        "learned": [
            (learned, learning.describe(learned))
            for learned in learned_weights_of(request.user).select_related("offering")
        ],
        "suggestion_actions": SUGGESTION_ACTIONS,
    }
    return render(request, "institution/pipeline.html", context)


@institution_member_required
def document(request, pk: int, document_pk: int):
    match = institution_match(request.user, pk)
    if not contacts_visible(match):
        raise Http404
    # Only what the firm consented to show in the deal room, and has not withdrawn.
    project_document = document_shared_for_match(match, document_pk)
    if project_document is None:
        raise Http404
    access_record_download(
        by=request.user, institution=request.institution, document=project_document
    )
    return FileResponse(
        project_document.file.open("rb"),
        as_attachment=True,
        filename=project_document.original_name,
    )


@require_POST
@institution_member_required
def answer_introduction(request, pk: int, accept: bool):
    """The institution answers what a firm asked (for instance a whole package)."""
    introduction = answer(request, pk, accept)
    return redirect("institution:match_detail", pk=introduction.match_id)


@require_POST
@institution_member_required
def undo_refusal(request, pk: int):
    """Take back today's refusal of what a firm asked."""
    introduction = undo_refusal_of(request, pk)
    return redirect("institution:match_detail", pk=introduction.match_id)


@require_POST
@institution_member_required
def answer_suggestion(request, accept: bool):
    """Accept (the offering changes and is re-scored) or dismiss a suggestion."""
    form = SuggestionAnswerForm(request.POST)
    if not form.is_valid():
        raise Http404
    offerings = offerings_visible_to(request.user)
    get_object_or_404(offerings, pk=form.cleaned_data["offering"])
    answer_one = suggestions.suggestion_accept if accept else suggestions.suggestion_dismiss
    try:
        answer_one(
            offerings=offerings,
            offering_id=form.cleaned_data["offering"],
            kind=form.cleaned_data["kind"],
            value=form.cleaned_data["value"],
            by=request.user,
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(
            request,
            _("Done: the offering is changed and re-scored.")
            if accept
            else _("Dismissed: this suggestion will not come back."),
        )
    return redirect(_back_to(request) or reverse("institution:pipeline"))


@require_POST
@institution_member_required
def learning_switch(request, pk: int, active: bool):
    """Turn what the offering's decisions taught off (or back on); it is re-scored."""
    learned = get_object_or_404(learned_weights_of(request.user), pk=pk)
    learning.learned_weights_set_active(learned=learned, active=active, by=request.user)
    messages.success(
        request,
        _("Your decisions count again in this offering's scores; it is being re-scored.")
        if active
        else _("This offering is scored with its own weights again; it is being re-scored."),
    )
    return redirect(_back_to(request) or reverse("institution:pipeline"))


@institution_member_required
def offering_learning(request, pk: int):
    """On the offering's own page (loaded by htmx): what its decisions taught, and the
    suggestions drawn from them."""
    offering = get_object_or_404(offerings_visible_to(request.user), pk=pk)
    learned = learned_weights_of(request.user).filter(offering=offering).first()
    open_suggestions = suggestions.suggestions_for([offering])
    context = {
        "offering": offering,
        "learned": learned,
        "words": learning.describe(learned) if learned else "",
        "suggestions": open_suggestions,
        "suggestion_actions": SUGGESTION_ACTIONS,
        "here": reverse("investors:detail", args=[pk]),
    }
    return render(request, "institution/_offering_learning.html", context)
