"""The access log: who at an institution looked at a project or downloaded a file (what
the firm's "who looked" page reads)."""

from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from matchmaker.models import AccessLog

# A person reading a project for a while is one "view" in the firm's "who looked" list,
# not one per page load.
VIEW_LOG_WINDOW = timedelta(hours=1)


@transaction.atomic
def access_record_view(*, institution, project, by) -> bool:
    """Log that someone at an institution opened a project's page, once per window.

    Look-then-write runs under a lock on the person's own row (their only lock here), so
    two page loads at once cannot both find nothing and both write."""
    get_user_model().objects.select_for_update().filter(pk=by.pk).first()
    recent = AccessLog.objects.filter(
        kind=AccessLog.Kind.VIEW,
        user=by,
        project=project,
        at__gte=timezone.now() - VIEW_LOG_WINDOW,
    )
    if recent.exists():
        return False
    AccessLog.objects.create(
        kind=AccessLog.Kind.VIEW, user=by, institution=institution, project=project
    )
    return True


def access_record_download(*, institution, document, by) -> None:
    """Every download is logged: a file that left the platform is worth one line each."""
    AccessLog.objects.create(
        kind=AccessLog.Kind.DOWNLOAD,
        user=by,
        institution=institution,
        project_id=document.project_id,
        document=document,
    )
