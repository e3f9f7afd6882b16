"""Firm-side pages: the project list and the five-step project form.

Views orchestrate: the permission helpers find the firm's own objects, forms validate,
`services` writes.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from matchmaker.vocabulary import Instrument

from . import services
from .filters import ProjectFilter
from .forms import BasicsForm, DocumentForm, MilestoneFormSet, NeedsForm, RisksForm
from .models import Project
from .permissions import firm_member_required, own_document, own_project
from .rules import implausible_amounts
from .selectors import project_with_details, projects_visible_to, with_match_counts

STEPS = [
    ("basics", gettext_lazy("Basics")),
    ("needs", gettext_lazy("Funding needs")),
    ("risks", gettext_lazy("Risks & milestones")),
    ("documents", gettext_lazy("Documents")),
    ("review", gettext_lazy("Review & submit")),
]
STEP_NAMES = [name for name, _label in STEPS]


def _posted(request):
    """(data, files) for a POST, else (None, None): an empty POST must still bind the form."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None


@firm_member_required
def project_list(request):
    projects = (
        with_match_counts(projects_visible_to(request.user))
        .prefetch_related("needs")
        .order_by("-updated_at", "-id")
    )
    project_filter = ProjectFilter(request.GET, queryset=projects)
    page = Paginator(project_filter.qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {"filter": project_filter, "page": page, "firm": request.firm},
    )


@firm_member_required
def project_detail(request, pk: int):
    project = get_object_or_404(project_with_details(projects_visible_to(request.user)), pk=pk)
    return render(request, "projects/project_detail.html", {"project": project})


@firm_member_required
def project_create(request):
    form = BasicsForm(_posted(request)[0])
    if request.method == "POST" and form.is_valid():
        project = services.project_create(
            firm=request.firm, by=request.user, fields=form.cleaned_data
        )
        messages.success(request, _("Draft saved. Next: your funding needs."))
        _warn(request, trl=project.trl, prior_funding=project.prior_funding)
        return redirect("projects:step", pk=project.pk, step="needs")
    return render(request, "projects/step_basics.html", _wizard_context(None, "basics", form=form))


@firm_member_required
def project_step(request, pk: int, step: str):
    project = own_project(request, pk)
    if step not in STEP_NAMES:
        return redirect("projects:step", pk=pk, step="basics")
    if not project.is_editable:
        messages.info(request, _("A withdrawn or funded project can no longer be edited."))
        return redirect("projects:detail", pk=pk)
    handler = STEP_HANDLERS[step]
    return handler(request, project)


def _wizard_context(project, step: str, **extra) -> dict:
    index = STEP_NAMES.index(step)
    return {
        "project": project,
        "steps": STEPS,
        "step": step,
        "step_index": index + 1,
        "step_count": len(STEPS),
        "progress": round(100 * (index + 1) / len(STEPS)),
        **extra,
    }


def _next(request, project: Project, step: str) -> HttpResponseRedirect:
    """Go on to the next step, or stay when the user chose to."""
    if "stay" in request.POST:
        messages.success(request, _("Saved."))
        return redirect("projects:step", pk=project.pk, step=step)
    next_step = STEP_NAMES[STEP_NAMES.index(step) + 1]
    return redirect("projects:step", pk=project.pk, step=next_step)


def _warn(request, **amounts) -> None:
    """Saved, but worth a second look: "a digit too many?"."""
    for warning in implausible_amounts(**amounts):
        messages.warning(request, warning)


def _basics(request, project: Project):
    form = BasicsForm(_posted(request)[0], instance=project)
    if request.method == "POST" and form.is_valid():
        services.project_update(project=project, by=request.user, fields=form.cleaned_data)
        _warn(request, trl=project.trl, prior_funding=form.cleaned_data.get("prior_funding"))
        return _next(request, project, "basics")
    return render(
        request, "projects/step_basics.html", _wizard_context(project, "basics", form=form)
    )


def _needs(request, project: Project):
    form = NeedsForm(_posted(request)[0], initial=NeedsForm.initial_for(project))
    if request.method == "POST" and form.is_valid():
        amounts = {code: form.cleaned_data[code] for code in Instrument.values}
        services.project_update(project=project, by=request.user, needs=amounts)
        _warn(request, needs=amounts)
        return _next(request, project, "needs")
    return render(request, "projects/step_needs.html", _wizard_context(project, "needs", form=form))


def _risks(request, project: Project):
    data = _posted(request)[0]
    form = RisksForm(data, instance=project)
    milestones = MilestoneFormSet(data, instance=project, prefix="milestones")
    if request.method == "POST" and form.is_valid() and milestones.is_valid():
        services.project_update(
            project=project,
            by=request.user,
            fields=form.cleaned_data,
            milestones=milestones.kept(),
        )
        return _next(request, project, "risks")
    context = _wizard_context(project, "risks", form=form, milestones=milestones)
    return render(request, "projects/step_risks.html", context)


def _documents(request, project: Project):
    form = DocumentForm(*_posted(request))
    if request.method == "POST" and "upload" in request.POST:
        if form.is_valid():
            document = services.document_add(
                project=project,
                by=request.user,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
            messages.success(request, _("Uploaded %(name)s.") % {"name": document.original_name})
            return redirect("projects:step", pk=project.pk, step="documents")
    elif request.method == "POST":
        return redirect("projects:step", pk=project.pk, step="review")
    context = _wizard_context(project, "documents", form=form, documents=project.documents.all())
    return render(request, "projects/step_documents.html", context)


def _review(request, project: Project):
    context = _wizard_context(
        project,
        "review",
        problems=services.submission_problems(project=project),
        needs=project.needs.all(),
        milestones=project.milestones.all(),
        documents=project.documents.all(),
    )
    return render(request, "projects/step_review.html", context)


STEP_HANDLERS = {
    "basics": _basics,
    "needs": _needs,
    "risks": _risks,
    "documents": _documents,
    "review": _review,
}


def _status_change(request, pk: int, change, success: str, failure_step: str | None = None):
    """Run one lifecycle service; its refusal is shown in words, never a 500."""
    project = own_project(request, pk)
    try:
        change(project=project, by=request.user)
    except ValidationError as error:
        for message in error.messages if failure_step else error.messages[:1]:
            messages.error(request, message)
        if failure_step:
            return redirect("projects:step", pk=pk, step=failure_step)
    else:
        messages.success(request, success)
    return redirect("projects:detail", pk=pk)


@require_POST
@firm_member_required
def project_submit(request, pk: int):
    return _status_change(
        request,
        pk,
        services.project_submit,
        _("Submitted. The matching engine is scoring your project; matches appear shortly.")
        if request.firm.verified
        else _(
            "Submitted. Nothing is matched until the programme office verifies your firm; "
            "you will be notified when it does."
        ),
        failure_step="review",
    )


@require_POST
@firm_member_required
def project_withdraw(request, pk: int):
    return _status_change(
        request,
        pk,
        services.project_withdraw,
        _(
            "The project was withdrawn; institutions no longer see it. You can put it back "
            "up for matching from this page at any time."
        ),
    )


@require_POST
@firm_member_required
def project_funded(request, pk: int):
    return _status_change(
        request,
        pk,
        services.project_mark_funded,
        _(
            "Congratulations! The project is marked as funded and leaves every match list. "
            "Marked by mistake? Undo it from this page within a day."
        ),
    )


@require_POST
@firm_member_required
def project_reopen(request, pk: int):
    return _status_change(
        request,
        pk,
        services.project_reopen,
        _("The project is back up for matching."),
    )


@firm_member_required
def document_download(request, pk: int, document_pk: int):
    document = own_document(request, pk, document_pk)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )


@require_POST
@firm_member_required
def document_delete(request, pk: int, document_pk: int):
    document = own_document(request, pk, document_pk)
    services.document_delete(document=document, by=request.user)
    messages.success(request, _("Deleted %(name)s.") % {"name": document.original_name})
    return redirect(reverse("projects:step", kwargs={"pk": pk, "step": "documents"}))
