import pytest
from django.urls import reverse

from investors.models import OfferingStatus
from tests.factories import OfferingFactory

pytestmark = pytest.mark.django_db


def offering_urls(offering):
    return [
        ("get", reverse("investors:detail", args=[offering.pk])),
        ("get", reverse("investors:edit", args=[offering.pk])),
        ("post", reverse("investors:edit", args=[offering.pk])),
        ("post", reverse("investors:status", args=[offering.pk])),
    ]


def test_another_institution_gets_404_on_every_offering_url(institution_client):
    offering = OfferingFactory()
    for method, url in offering_urls(offering):
        response = getattr(institution_client, method)(
            url, {"status": "closed"} if method == "post" else {}
        )
        assert response.status_code == 404, url
    offering.refresh_from_db()
    assert offering.status == OfferingStatus.ACTIVE


def test_firm_members_cannot_open_offering_pages(firm_client):
    offering = OfferingFactory()
    for method, url in [("get", reverse("investors:list")), *offering_urls(offering)]:
        assert getattr(firm_client, method)(url).status_code == 403, url


def test_offering_list_shows_only_own_offerings(institution_client, institution_member):
    OfferingFactory(institution=institution_member.institution, name="Ours")
    OfferingFactory(name="Theirs")
    page = institution_client.get(reverse("investors:list")).content.decode()
    assert "Ours" in page
    assert "Theirs" not in page
