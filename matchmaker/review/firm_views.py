"""The firm's side of the review: introductions it received or asked for, asking a whole
package for introductions, and who at which institution looked at its project."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from matchmaker.matching.selectors import packages_of_project
from matchmaker.review.introduction_views import answer, undo_refusal_of
from matchmaker.review.introductions import package_introductions_request, refusal_undoable
from matchmaker.review.selectors import access_log_of_project, introductions_of_firm_member
from projects.permissions import firm_member_required, own_project


@firm_member_required
def introductions(request):
    items = list(
        introductions_of_firm_member(request.user).select_related(
            "match__project", "match__offering__institution", "requested_by", "answered_by"
        )
    )
    for introduction in items:
        introduction.can_undo_refusal = refusal_undoable(
            introduction=introduction, user=request.user
        )
    return render(request, "firm/introductions.html", {"introductions": items})


@require_POST
@firm_member_required
def answer_introduction(request, pk: int, accept: bool):
    """The firm answers what an institution asked."""
    answer(request, pk, accept)
    return redirect("firm:introductions")


@require_POST
@firm_member_required
def undo_refusal(request, pk: int):
    undo_refusal_of(request, pk)
    return redirect("firm:introductions")


@require_POST
@firm_member_required
def ask_package(request, pk: int, rank: int):
    """Ask every member of a package for an introduction at once; each answers on its own."""
    project = own_project(request, pk)
    package = get_object_or_404(packages_of_project(project), rank=rank)
    asked = package_introductions_request(package=package, by=request.user, firm=request.firm)
    messages.success(
        request,
        _("Asked %(count)s institutions for an introduction; each accepts or refuses on its own.")
        % {"count": asked},
    )
    return redirect("projects:detail", pk=pk)


@firm_member_required
def access_log(request, pk: int):
    project = own_project(request, pk)
    page = Paginator(access_log_of_project(project), 50).get_page(request.GET.get("page"))
    return render(request, "firm/access_log.html", {"project": project, "page": page})
