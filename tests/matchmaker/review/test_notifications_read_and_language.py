"""Notifications are read once listed, and say what they say in the reader's language of
the moment (the list and the e-mail), not in the language of the day they were written."""

import pytest
from django.core import mail
from django.urls import reverse

from matchmaker.models import Notification, NotificationKind, Profile
from matchmaker.review import notifications
from matchmaker.review import services as review
from tests.conftest import logged_in_client
from tests.factories import InstitutionMemberFactory, OfferingFactory
from tests.matchmaker.review.helpers import matched_pair

pytestmark = pytest.mark.django_db

ENGLISH = "shortlisted “"
CHINESE = "已将“"


def _unread_count(client) -> int:
    return client.get(reverse("notifications:list")).context["unread_notifications"]


def test_opening_the_list_marks_what_it_shows_as_read():
    pair = matched_pair()
    review.match_move(match=pair.match, to_status="shortlisted", by=pair.institution_user)
    client = logged_in_client(pair.firm_user)
    assert Notification.objects.filter(user=pair.firm_user, read_at__isnull=True).count() == 1
    first = client.get(reverse("notifications:list"))
    assert "new" in first.content.decode()  # the opening still shows what was new
    assert not Notification.objects.filter(user=pair.firm_user, read_at__isnull=True).exists()
    assert first.context["unread_notifications"] == 0  # the bell stops counting at once
    assert _unread_count(client) == 0


def test_a_notification_written_in_english_reads_in_chinese_after_a_switch():
    pair = matched_pair()
    Profile.objects.create(user=pair.firm_user, language="en")
    review.match_move(match=pair.match, to_status="shortlisted", by=pair.institution_user)
    client = logged_in_client(pair.firm_user)
    assert ENGLISH in client.get(reverse("notifications:list")).content.decode()
    Profile.objects.filter(user=pair.firm_user).update(language="zh-hans")
    page = client.get(reverse("notifications:list")).content.decode()
    assert CHINESE in page and ENGLISH not in page
    Profile.objects.filter(user=pair.firm_user).update(language="en")
    assert ENGLISH in client.get(reverse("notifications:list")).content.decode()


def test_the_email_is_in_the_language_the_recipient_reads_when_it_is_sent():
    pair = matched_pair()
    Profile.objects.create(user=pair.firm_user, language="en")
    review.match_move(match=pair.match, to_status="shortlisted", by=pair.institution_user)
    Profile.objects.filter(user=pair.firm_user).update(language="zh-hans")
    notification = Notification.objects.get(user=pair.firm_user)
    assert notifications.send_email(notification.pk)
    assert CHINESE in mail.outbox[0].body and ENGLISH not in mail.outbox[0].body
    assert mail.outbox[0].subject.startswith("【商业航天融资对接】")


def test_a_digest_lists_its_matches_with_the_readers_punctuation():
    member = InstitutionMemberFactory()
    OfferingFactory(institution=member.institution)
    pair_a, pair_b = matched_pair(), matched_pair()
    for pair in (pair_a, pair_b):  # the digest counts matches of the member's institution
        pair.match.offering.institution = member.institution
        pair.match.offering.save(update_fields=["institution"])
    Profile.objects.create(user=member.user, language="zh-hans")
    notification = notifications.send_daily_digest(member.user)
    assert notification is not None and notification.message_key == "digest"
    client = logged_in_client(member.user)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "、" in page and "分）" in page
    Profile.objects.filter(user=member.user).update(language="en")
    page = client.get(reverse("notifications:list")).content.decode()
    assert "new matches scored" in page and "、" not in page


def test_rows_from_before_message_keys_show_their_stored_text():
    pair = matched_pair()
    Notification.objects.create(
        user=pair.firm_user, kind=NotificationKind.SHORTLISTED, text="Old wording kept as is."
    )
    page = logged_in_client(pair.firm_user).get(reverse("notifications:list")).content.decode()
    assert "Old wording kept as is." in page
