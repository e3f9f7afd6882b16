"""Firm-side pages: the project list and the five-step project form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from matchmaker.vocabulary import Instrument

from . import lifecycle
from .filters import ProjectFilter
from .forms import BasicsForm, DocumentForm, MilestoneFormSet, NeedsForm, RisksForm
from .models import Document, Project
from .permissions import firm_member_required, own_project

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
    projects = Project.objects.filter(firm=request.firm).prefetch_related("needs")
    project_filter = ProjectFilter(request.GET, queryset=projects)
    page = Paginator(project_filter.qs, 20).get_page(request.GET.get("page"))
    return render(
        request,
        "projects/project_list.html",
        {"filter": project_filter, "page": page, "firm": request.firm},
    )


@firm_member_required
def project_detail(request, pk: int):
    project = get_object_or_404(
        Project.objects.filter(firm=request.firm).prefetch_related(
            "needs", "milestones", "documents"
        ),
        pk=pk,
    )
    return render(request, "projects/project_detail.html", {"project": project})


@firm_member_required
def project_create(request):
    form = BasicsForm(_posted(request)[0])
    if request.method == "POST" and form.is_valid():
        project = form.save(commit=False)
        project.firm = request.firm
        project.save()
        messages.success(request, _("Draft saved. Next: your funding needs."))
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


def _after_save(request, project: Project, step: str) -> HttpResponseRedirect:
    """Count the edit, then go on to the next step or stay when the user chose to."""
    lifecycle.record_revision(project)
    if "stay" in request.POST:
        messages.success(request, _("Saved."))
        return redirect("projects:step", pk=project.pk, step=step)
    next_step = STEP_NAMES[STEP_NAMES.index(step) + 1]
    return redirect("projects:step", pk=project.pk, step=next_step)


def _basics(request, project: Project):
    form = BasicsForm(_posted(request)[0], instance=project)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            return _after_save(request, project, "basics")
    return render(
        request, "projects/step_basics.html", _wizard_context(project, "basics", form=form)
    )


def _needs(request, project: Project):
    form = NeedsForm(_posted(request)[0], initial=NeedsForm.initial_for(project))
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            lifecycle.set_needs(
                project, {code: form.cleaned_data[code] for code in Instrument.values}
            )
            return _after_save(request, project, "needs")
    return render(request, "projects/step_needs.html", _wizard_context(project, "needs", form=form))


def _risks(request, project: Project):
    data = _posted(request)[0]
    form = RisksForm(data, instance=project)
    milestones = MilestoneFormSet(data, instance=project, prefix="milestones")
    if request.method == "POST" and form.is_valid() and milestones.is_valid():
        with transaction.atomic():
            form.save()
            milestones.save()
            return _after_save(request, project, "risks")
    context = _wizard_context(project, "risks", form=form, milestones=milestones)
    return render(request, "projects/step_risks.html", context)


def _documents(request, project: Project):
    form = DocumentForm(*_posted(request))
    if request.method == "POST" and "upload" in request.POST:
        if form.is_valid():
            document = form.save(commit=False)
            document.project = project
            document.original_name = form.cleaned_data["file"].name[:255]
            document.size = form.cleaned_data["file"].size
            document.uploaded_by = request.user
            document.save()
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
        problems=lifecycle.submission_problems(project),
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


@require_POST
@firm_member_required
def project_submit(request, pk: int):
    project = own_project(request, pk)
    try:
        lifecycle.submit(project)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("projects:step", pk=pk, step="review")
    messages.success(
        request,
        _("Submitted. The matching engine is scoring your project; matches appear shortly."),
    )
    return redirect("projects:detail", pk=pk)


@require_POST
@firm_member_required
def project_withdraw(request, pk: int):
    project = own_project(request, pk)
    try:
        lifecycle.withdraw(project)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("The project was withdrawn; institutions no longer see it."))
    return redirect("projects:detail", pk=pk)


@require_POST
@firm_member_required
def project_funded(request, pk: int):
    project = own_project(request, pk)
    try:
        lifecycle.mark_funded(project)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Congratulations! The project is marked as funded."))
    return redirect("projects:detail", pk=pk)


@firm_member_required
def document_download(request, pk: int, document_pk: int):
    project = own_project(request, pk)
    document = get_object_or_404(Document, project=project, pk=document_pk)
    return FileResponse(
        document.file.open("rb"), as_attachment=True, filename=document.original_name
    )


@require_POST
@firm_member_required
def document_delete(request, pk: int, document_pk: int):
    project = own_project(request, pk)
    document = get_object_or_404(Document, project=project, pk=document_pk)
    document.file.delete(save=False)
    document.delete()
    messages.success(request, _("Deleted %(name)s.") % {"name": document.original_name})
    return redirect(reverse("projects:step", kwargs={"pk": pk, "step": "documents"}))
