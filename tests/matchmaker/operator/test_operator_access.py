"""The operator's pages are for the programme's staff: others get a plain "not allowed"
page, never the admin's log-in; signed-out visitors the site's own log-in."""

import pytest

pytestmark = pytest.mark.django_db

OPERATOR_PAGES = [
    "/operator/",
    "/operator/verification/",
    "/operator/weights/",
    "/operator/scoring/",
]


@pytest.mark.parametrize("url", OPERATOR_PAGES)
def test_a_bank_user_opening_an_operator_page_is_told_it_is_not_allowed(institution_client, url):
    response = institution_client.get(url)
    assert response.status_code == 403
    assert "Not allowed" in response.content.decode()
    assert "/admin/login/" not in response.content.decode()


@pytest.mark.parametrize("url", OPERATOR_PAGES)
def test_a_signed_out_visitor_is_sent_to_the_sites_log_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")


def test_staff_open_the_operator_pages(operator_client):
    assert operator_client.get("/operator/").status_code == 200
