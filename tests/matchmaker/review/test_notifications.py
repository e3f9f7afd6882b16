"""In-app notifications and e-mails: sent once, to the right people, as they chose."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from matchmaker.matching import scoring
from matchmaker.models import Match, Notification, NotificationPreference, Profile
from matchmaker.review import notifications
from matchmaker.review import services as review
from matchmaker.review.introductions import introduction_answer, introduction_request
from tests.conftest import logged_in_client
from tests.factories import (
    FirmMemberFactory,
    InstitutionMemberFactory,
    OfferingFactory,
    ProjectFactory,
)
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db


def test_an_introduction_request_notifies_every_firm_member_once(
    django_capture_on_commit_callbacks,
):
    pair = matched_pair()
    colleague = FirmMemberFactory(firm=pair.match.project.firm).user
    with django_capture_on_commit_callbacks(execute=True):
        introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    assert Notification.objects.filter(kind="intro_requested").count() == 2
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        [pair.firm_user.email, colleague.email]
    )
    for notification in Notification.objects.all():
        assert notifications.send_email(notification.pk) is False  # a retry sends nothing more
    assert len(mail.outbox) == 2


def test_accept_and_refuse_notify_the_institution(django_capture_on_commit_callbacks):
    pair = matched_pair()
    introduction = introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    with django_capture_on_commit_callbacks(execute=True):
        introduction_answer(introduction=introduction, by=pair.firm_user, accept=True)
    notification = Notification.objects.get(user=pair.institution_user)
    assert "accepted" in notification.text
    assert [message.to for message in mail.outbox] == [[pair.institution_user.email]]


def test_users_who_switched_emails_off_get_only_the_bell(django_capture_on_commit_callbacks):
    pair = matched_pair()
    NotificationPreference.objects.create(user=pair.firm_user, email_enabled=False)
    with django_capture_on_commit_callbacks(execute=True):
        introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    assert Notification.objects.filter(user=pair.firm_user).exists()
    assert mail.outbox == []


def test_daily_digest_lists_new_matches_above_the_threshold_once(
    django_capture_on_commit_callbacks,
):
    member = InstitutionMemberFactory()
    NotificationPreference.objects.create(user=member.user, digest_min_score=0)
    OfferingFactory(institution=member.institution)
    project = ProjectFactory(title="Digest-worthy antenna")
    scoring.score_project(project.pk)
    with django_capture_on_commit_callbacks(execute=True):
        assert notifications.send_daily_digests() == 1
        assert notifications.send_daily_digests() == 0
    assert "Digest-worthy antenna" in Notification.objects.get(user=member.user, kind="digest").text
    assert len(mail.outbox) == 1


def test_daily_digest_skips_matches_below_the_threshold():
    member = InstitutionMemberFactory()
    NotificationPreference.objects.create(user=member.user, digest_min_score=100)
    OfferingFactory(institution=member.institution)
    scoring.score_project(ProjectFactory().pk)
    assert Match.objects.exists()
    assert (
        notifications.send_daily_digest(member.user, timezone.now() + timedelta(seconds=1)) is None
    )
    assert not Notification.objects.exists()


def test_the_bell_counts_unread_and_the_list_marks_them_read():
    pair = matched_pair()
    introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    client = logged_in_client(pair.firm_user)
    assert '<span class="count">1</span>' in client.get(reverse("home")).content.decode()
    client.post(reverse("notifications:list"))
    assert '<span class="count">' not in client.get(reverse("home")).content.decode()


def test_each_user_sets_threshold_and_emails(firm_client, firm_member):
    firm_client.post(reverse("notifications:settings"), {"digest_min_score": "75"})
    preference = NotificationPreference.objects.get(user=firm_member.user)
    assert (preference.digest_min_score, preference.email_enabled) == (75, False)
    response = firm_client.post(reverse("notifications:settings"), {"digest_min_score": "150"})
    assert "less than or equal to 100" in response.content.decode()


def test_emails_link_to_the_site_with_an_absolute_address(
    settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://matchmaker.example.org/"
    pair = matched_pair()
    with django_capture_on_commit_callbacks(execute=True):
        introduction_request(match=pair.match, by=pair.institution_user, message="Hello")
    (message,) = mail.outbox
    assert "https://matchmaker.example.org/firm/introductions/" in message.body
    assert "\n/firm/" not in message.body


def test_each_recipient_reads_notifications_and_emails_in_their_own_language(
    django_capture_on_commit_callbacks,
):
    pair = matched_pair()
    colleague = FirmMemberFactory(firm=pair.match.project.firm).user
    Profile.objects.create(user=pair.firm_user, language="zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        introduction_request(match=pair.match, by=pair.institution_user, message="Hello")  # English
    chinese = Notification.objects.get(user=pair.firm_user)
    english = Notification.objects.get(user=colleague)
    assert "申请就" in chinese.text and "对接" in chinese.text
    assert "asks for an introduction" in english.text
    mails = {message.to[0]: message for message in mail.outbox}
    assert mails[pair.firm_user.email].subject.startswith("【商业航天融资对接】")
    assert mails[colleague.email].subject.startswith("[Space financing]")


def test_the_firm_hears_of_new_matches_once_a_day_per_project():
    from matchmaker import tasks

    member = FirmMemberFactory()
    project = ProjectFactory(firm=member.firm, title="Ka-band terminal")
    OfferingFactory.create_batch(2)
    tasks.score_project(project.pk)
    notice = Notification.objects.get(user=member.user, kind="new_matches")
    assert notice.text == "New matched offerings for “Ka-band terminal”: 2."
    OfferingFactory()  # published later the same day: scored, no second notice
    assert Notification.objects.filter(user=member.user, kind="new_matches").count() == 1


def test_a_rescore_that_finds_nothing_new_tells_the_firm_nothing():
    from matchmaker import tasks

    member = FirmMemberFactory()
    project = ProjectFactory(firm=member.firm)
    tasks.score_project(project.pk)  # no offering yet
    assert not Notification.objects.filter(user=member.user).exists()


def test_the_firm_hears_when_an_institution_shortlists_its_project():
    pair = matched_pair(title="Laser terminal")
    review.match_move(match=pair.match, to_status="shortlisted", by=pair.institution_user)
    notice = Notification.objects.get(user=pair.firm_user, kind="shortlisted")
    institution = pair.match.offering.institution.name
    assert notice.text == f"{institution} shortlisted “Laser terminal”."


def test_the_firm_never_hears_of_a_decline():
    pair = matched_pair()
    review.match_decline(match=pair.match, by=pair.institution_user, reason="stage_too_early")
    assert not Notification.objects.filter(user=pair.firm_user).exists()
