"""The programme office's view of what happens after introductions: who opened which
confidential item (searchable, paginated, as CSV), requests left unanswered past the
programme's window, and each institution's response record."""

import csv

from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from matchmaker.dealroom import deadlines
from matchmaker.dealroom.forms import AuditFilterForm
from matchmaker.dealroom.selectors import access_log_search
from matchmaker.operator.permissions import operator_required


def _searched(request):
    form = AuditFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        entries = access_log_search(
            firm_id=data["firm"].pk if data["firm"] else None,
            institution_id=data["institution"].pk if data["institution"] else None,
            user_query=data["person"],
            since=data["since"],
            until=data["until"],
        )
    elif form.is_bound:
        entries = access_log_search().none()
    else:
        entries = access_log_search()
    return form, entries


@operator_required
def access_audit(request):
    form, entries = _searched(request)
    page = Paginator(entries, 50).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    return render(request, "dealroom/operator_access.html", context)


class _Echo:
    def write(self, value):
        return value


def _person(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


@operator_required
def access_audit_csv(request):
    """The same search as a CSV file (streamed: the record can be long)."""
    _form, entries = _searched(request)
    writer = csv.writer(_Echo())
    header = [
        _("When"),
        _("Firm"),
        _("Project"),
        _("Institution"),
        _("Person"),
        _("What"),
        _("Item"),
    ]

    def rows():
        yield "\ufeff" + writer.writerow(header)
        for entry in entries.iterator(chunk_size=2000):
            yield writer.writerow(
                [
                    timezone.localtime(entry.at).isoformat(timespec="seconds"),
                    entry.project.firm.name,
                    entry.project.title,
                    entry.institution.name,
                    _person(entry.user),
                    entry.get_kind_display(),
                    entry.what,
                ]
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="access-log.csv"'
    return response


@operator_required
def answers(request):
    """Overdue introduction requests and each institution's response record."""
    show_firms = request.GET.get("who") == "all"
    overdue = list(deadlines.overdue(institutions_answer=None if show_firms else True)[:500])
    window = deadlines.window_days()
    for introduction in overdue:
        introduction.deadline = deadlines.respond_by(introduction, window)
        introduction.waiting_on_institution = introduction.initiated_by == "firm"
    context = {
        "overdue": overdue,
        "window": window,
        "show_firms": show_firms,
        "records": deadlines.responsiveness(),
    }
    return render(request, "dealroom/operator_answers.html", context)
