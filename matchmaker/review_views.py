"""Both sides' daily work on matches: lists, decisions, introductions, notifications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from investors.models import Offering
from investors.permissions import institution_member_required
from projects.models import Document, Project
from projects.permissions import firm_member_required

from . import notifications, review, selectors
from .explain import explain
from .filters import MatchFilter
from .forms import DeclineForm, IntroductionForm, MoveForm, NotificationPreferenceForm
from .models import AccessLog, EngineSettings, MatchStatus, Notification, NotificationPreference
from .permissions import (
    contacts_visible,
    institution_match,
    introductions_of_firm_member,
    introductions_to_answer,
    matches_of_institution_member,
)


@institution_member_required
def match_list(request):
    offerings = Offering.objects.filter(institution=request.institution)
    queryset = matches_of_institution_member(request.user).select_related("project", "offering")
    match_filter = MatchFilter(
        request.GET, queryset=queryset.prefetch_related("project__needs"), offerings=offerings
    )
    page = Paginator(match_filter.qs, 25).get_page(request.GET.get("page"))
    return render(request, "matchmaker/match_list.html", {"filter": match_filter, "page": page})


@institution_member_required
def match_detail(request, pk: int):
    match = institution_match(request.user, pk)
    AccessLog.objects.create(
        kind=AccessLog.Kind.VIEW,
        user=request.user,
        institution=request.institution,
        project=match.project,
    )
    visible = contacts_visible(match)
    allowed = review.allowed_moves(match)
    decisions = {MatchStatus.SHORTLISTED, MatchStatus.DECLINED, MatchStatus.INTRO_REQUESTED}
    context = {
        "match": match,
        "project": match.project,
        "components": explain(match, EngineSettings.current().weights),
        "contacts_visible": visible,
        "documents": match.project.documents.all() if visible else [],
        "pipeline_moves": [MatchStatus(s) for s in review.PIPELINE if s in allowed - decisions],
        "can_shortlist": MatchStatus.SHORTLISTED in allowed,
        "can_decline": MatchStatus.DECLINED in allowed,
        "can_request": MatchStatus.INTRO_REQUESTED in allowed,
        "undo": review.undoable_event(match, request.user),
        "events": match.events.select_related("user")[:20],
        "packages": selectors.packages_containing(match),
        "incoming": introductions_to_answer(request.user)
        .filter(match=match, state="requested")
        .first(),
        "decline_form": DeclineForm(),
        "introduction_form": IntroductionForm(),
    }
    return render(request, "matchmaker/match_detail.html", context)


@require_POST
@institution_member_required
def match_action(request, pk: int, action: str):
    match = institution_match(request.user, pk)
    try:
        if action == "shortlist":
            review.move(match, MatchStatus.SHORTLISTED, request.user)
            messages.success(request, _("Shortlisted."))
        elif action == "decline":
            form = DeclineForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            review.decline(
                match, request.user, form.cleaned_data["reason"], form.cleaned_data["note"]
            )
            messages.success(request, _("Declined. The firm only learns that you declined."))
        elif action == "request-intro":
            form = IntroductionForm(request.POST)
            if not form.is_valid():
                raise ValidationError([e for errors in form.errors.values() for e in errors])
            review.request_introduction(match, request.user, form.cleaned_data["message"])
            messages.success(
                request, _("Introduction requested. The firm decides whether to accept.")
            )
        elif action == "undo":
            review.undo(match, request.user)
            messages.success(request, _("Undone."))
        elif action == "move":
            form = MoveForm(request.POST)
            if not form.is_valid():
                raise ValidationError(_("Choose where to move the match."))
            review.move(match, form.cleaned_data["status"], request.user, form.cleaned_data["note"])
            messages.success(request, _("Moved."))
        else:
            return redirect("matches:detail", pk=pk)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
    return redirect("matches:detail", pk=pk)


@institution_member_required
def pipeline(request):
    matches = (
        matches_of_institution_member(request.user)
        .exclude(status__in=[MatchStatus.NEW, MatchStatus.DECLINED])
        .select_related("project", "offering")
        .order_by("-status_changed_at")
    )
    columns = [(status, MatchStatus(status).label, []) for status in review.PIPELINE[1:]]
    by_status = {status: items for status, _label, items in columns}
    for match in matches[:500]:
        by_status[match.status].append(match)
    return render(request, "matchmaker/pipeline.html", {"columns": columns})


@institution_member_required
def institution_document(request, pk: int, document_pk: int):
    match = institution_match(request.user, pk)
    if not contacts_visible(match):
        raise Http404
    document = get_object_or_404(Document, project=match.project, pk=document_pk)
    AccessLog.objects.create(
        kind=AccessLog.Kind.DOWNLOAD,
        user=request.user,
        institution=request.institution,
        project=match.project,
        document=document,
    )
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )


@firm_member_required
def introductions(request):
    items = introductions_of_firm_member(request.user).select_related(
        "match__project", "match__offering__institution", "requested_by"
    )
    return render(request, "matchmaker/introductions.html", {"introductions": items})


@require_POST
@login_required
def answer_introduction(request, pk: int, answer: str):
    """Either side answers what the other asked."""
    if answer not in {"accept", "refuse"}:
        raise Http404
    introduction = get_object_or_404(introductions_to_answer(request.user), pk=pk)
    try:
        review.answer_introduction(introduction, request.user, accept=answer == "accept")
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        if answer == "accept":
            messages.success(request, _("Accepted: you now see each other's contacts."))
        else:
            messages.success(request, _("Refused. The other side is told, without a reason."))
    if introduction.initiated_by == introduction.Side.FIRM:
        return redirect("matches:detail", pk=introduction.match_id)
    return redirect("matches:introductions")


@firm_member_required
def project_access_log(request, pk: int):
    project = get_object_or_404(Project.objects.filter(firm=request.firm), pk=pk)
    entries = AccessLog.objects.filter(project=project).select_related(
        "user", "institution", "document"
    )
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    return render(request, "matchmaker/access_log.html", {"project": project, "page": page})


@login_required
def notification_list(request):
    if request.method == "POST":
        notifications.mark_read(request.user)
        return redirect("matches:notifications")
    page = Paginator(Notification.objects.filter(user=request.user), 30).get_page(
        request.GET.get("page")
    )
    return render(request, "matchmaker/notifications.html", {"page": page})


@login_required
def notification_settings(request):
    preference = NotificationPreference.of(request.user)
    form = NotificationPreferenceForm(
        request.POST if request.method == "POST" else None, instance=preference
    )
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Saved."))
        return redirect("matches:notification_settings")
    return render(request, "matchmaker/notification_settings.html", {"form": form})
