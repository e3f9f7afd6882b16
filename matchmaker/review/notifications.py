"""In-app notifications and their e-mails: created once (a dedupe key), mailed once.

A notification that should be mailed is announced with `notification_to_mail` after
commit; `matchmaker.signals` connects that to the Celery task, so this module never
imports the task wiring.
"""

from datetime import timedelta
from urllib.parse import urljoin

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from investors.selectors import institution_members
from matchmaker.accounts.languages import language_of
from matchmaker.audit import audit_record
from matchmaker.matching.selectors import matches_created_since
from matchmaker.models import (
    AuditAction,
    Introduction,
    IntroductionState,
    Match,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from matchmaker.review.notification_texts import text_of
from projects.models import ProjectStatus
from projects.selectors import firm_members

# Sent after commit with kwargs notification_id, for a notification its user wants mailed.
notification_to_mail = Signal()

ANSWER_KINDS = {
    IntroductionState.ACCEPTED: NotificationKind.INTRO_ACCEPTED,
    IntroductionState.REFUSED: NotificationKind.INTRO_REFUSED,
}


def notify(
    user,
    kind: str,
    message_key: str,
    params: dict | None = None,
    url: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> Notification | None:
    """Record an in-app notification and, after commit, mail it if the user wants e-mails.

    What it says is kept as ``message_key`` (see `notification_texts.MESSAGES`) and its
    ``params``, so it reads in the reader's language whenever it is shown or mailed; the
    text in the recipient's language at this moment is stored too (the admin, and a
    fallback should the key ever disappear)."""
    params = params or {}
    with translation.override(language_of(user)):
        text = text_of(message_key, params)
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user,
                kind=kind,
                message_key=message_key,
                params=params,
                text=text[:300],
                url=url,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return None  # already notified about this
    if email and NotificationPreference.of(user).email_enabled and user.email:
        transaction.on_commit(
            lambda: notification_to_mail.send(sender=Notification, notification_id=notification.pk)
        )
    return notification


def shown_text(notification: Notification) -> str:
    """The notification in the active language (the stored text for rows from before
    notifications kept their message key)."""
    return text_of(notification.message_key, notification.params, fallback=notification.text)


def absolute_url(path: str) -> str:
    """A link a mail client can open: the site's address in front of an in-app path."""
    return urljoin(settings.SITE_URL.rstrip("/") + "/", path.lstrip("/")) if path else ""


def send_email(notification_id: int) -> bool:
    """Mail one notification; a second call for the same one sends nothing."""
    claimed = Notification.objects.filter(pk=notification_id, emailed_at__isnull=True).update(
        emailed_at=timezone.now()
    )
    if not claimed:
        return False
    notification = Notification.objects.select_related("user").get(pk=notification_id)
    with translation.override(language_of(notification.user)):
        text = shown_text(notification)
        subject = _("[Space financing] %(text)s") % {"text": text[:120]}
    try:
        send_mail(
            subject=subject,
            message=f"{text}\n\n{absolute_url(notification.url)}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=[notification.user.email],
        )
    except Exception:
        Notification.objects.filter(pk=notification_id).update(emailed_at=None)
        raise
    return True


def notify_introduction_requested(introduction: Introduction) -> None:
    match = introduction.match
    institution = match.offering.institution
    for user in firm_members(match.project.firm):
        notify(
            user,
            NotificationKind.INTRO_REQUESTED,
            "intro_requested",
            {"institution": institution.name, "project": match.project.title},
            reverse("firm:introductions"),
            dedupe_key=f"intro-requested-{introduction.pk}-{introduction.requested_at:%Y%m%d%H%M%S%f}",
        )


def notify_introduction_asked_by_firm(introduction: Introduction) -> None:
    match = introduction.match
    for user in institution_members(match.offering.institution):
        notify(
            user,
            NotificationKind.INTRO_ASKED_BY_FIRM,
            "intro_asked_by_firm",
            {"project": match.project.title},
            reverse("institution:match_detail", args=[match.pk]),
            dedupe_key=f"intro-asked-{introduction.pk}-{introduction.requested_at:%Y%m%d%H%M%S%f}",
        )


def notify_introduction_answered(introduction: Introduction) -> None:
    """Tell the side that asked how the other side answered."""
    match = introduction.match
    if introduction.initiated_by == Introduction.Side.FIRM:
        answerer, recipients = match.offering.institution.name, firm_members(match.project.firm)
        url = reverse("firm:introductions")
    else:
        answerer = match.project.firm.name
        recipients = institution_members(match.offering.institution)
        url = reverse("institution:match_detail", args=[match.pk])
    message = ANSWER_KINDS[introduction.state]  # the message key is the kind's code
    for user in recipients:
        notify(
            user,
            ANSWER_KINDS[introduction.state],
            message,
            {"who": answerer, "project": match.project.title},
            url,
            dedupe_key=f"intro-{introduction.state}-{introduction.pk}",
        )


def _notify_verified(users, organization, message: str, url: str, side: str) -> None:
    for user in users:
        notify(
            user,
            NotificationKind.VERIFIED,
            message,
            {"name": organization.name},
            url,
            dedupe_key=f"verified-{side}-{organization.pk}",
        )


def notify_firm_verified(firm) -> None:
    _notify_verified(firm_members(firm), firm, "verified_firm", reverse("projects:list"), "firm")


def notify_institution_verified(institution) -> None:
    url = reverse("investors:list")
    _notify_verified(
        institution_members(institution), institution, "verified_institution", url, "institution"
    )


def notify_new_matches(project_ids, since) -> int:
    """Tell each project's firm how many offerings newly match it (once a day at most per
    project, so a busy day of new offerings is one notice, not many)."""
    fresh = (
        matches_created_since(project_ids, since)
        .values("project_id", "project__title", "project__firm_id")
        .annotate(count=Count("id"))
    )
    sent = 0
    for row in fresh:
        for user in firm_members(row["project__firm_id"]):
            sent += bool(
                notify(
                    user,
                    NotificationKind.NEW_MATCHES,
                    "new_matches",
                    {"project": row["project__title"], "count": row["count"]},
                    reverse("projects:detail", args=[row["project_id"]]),
                    dedupe_key=f"new-matches-{row['project_id']}-{timezone.localdate():%Y-%m-%d}",
                )
            )
    return sent


def notify_shortlisted(match: Match) -> None:
    """The firm learns an institution is interested (never who declined, nor why)."""
    for user in firm_members(match.project.firm):
        notify(
            user,
            NotificationKind.SHORTLISTED,
            "shortlisted",
            {"institution": match.offering.institution.name, "project": match.project.title},
            reverse("projects:detail", args=[match.project_id]),
            dedupe_key=f"shortlisted-{match.pk}",
        )


def send_daily_digest(user, now=None) -> Notification | None:
    """One notification (and e-mail) listing new matches above the user's threshold."""
    now = now or timezone.now()
    preference = NotificationPreference.of(user)
    since = preference.last_digest_at or now - timedelta(days=1)
    fresh = (
        Match.objects.filter(
            offering__institution__memberships__user=user,
            created_at__gt=since,
            created_at__lte=now,
            score__gte=preference.digest_min_score,
            eligible=True,
            project__status=ProjectStatus.SUBMITTED,
        )
        .select_related("project", "offering")
        .order_by("-score")
    )
    count = fresh.count()
    preference.last_digest_at = now
    preference.save(update_fields=["last_digest_at"])
    if not count:
        return None
    best = [[m.project.title, f"{m.score:.0f}"] for m in fresh[:5]]
    return notify(
        user,
        NotificationKind.DIGEST,
        "digest",
        {"count": count, "threshold": preference.digest_min_score, "best": best},
        reverse("institution:match_list"),
        dedupe_key=f"digest-{timezone.localdate(now):%Y-%m-%d}",
    )


def send_daily_digests() -> int:
    users = get_user_model().objects.filter(institution_membership__isnull=False, is_active=True)
    return sum(1 for user in users if send_daily_digest(user))


def notifications_mark_read(*, by, notification_ids=None) -> int:
    """Mark the person's unread notifications (or only those ids) read."""
    unread = Notification.objects.filter(user=by, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())


@transaction.atomic
def notification_preference_update(*, by, **changes) -> NotificationPreference:
    """Set one's own e-mail choice and digest threshold (only the fields given)."""
    preference = NotificationPreference.of(by)
    fields = [name for name in ("email_enabled", "digest_min_score") if name in changes]
    for name in fields:
        setattr(preference, name, changes[name])
    preference.full_clean()
    preference.save(update_fields=fields or None)
    audit_record(
        action=AuditAction.NOTIFICATION_PREFERENCE_UPDATED,
        by=by,
        target=f"user:{by.pk}",
        detail={name: changes[name] for name in fields},
    )
    return preference
