"""Two-factor sign-in (TOTP): required for the programme office and for members of an
institution whose flag the office sets; it cannot be skipped on the web or at the API."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from tests.factories import PASSWORD, FirmMemberFactory, InstitutionMemberFactory

pytestmark = pytest.mark.django_db

GUARDED_PAGES = [
    "/",
    "/institution/matches/",
    "/offerings/",
    "/notifications/",
    "/accounts/password_change/",
]


def code_for(device: TOTPDevice, drift: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, drift=drift):06d}"


@pytest.fixture
def strict_member():
    member = InstitutionMemberFactory()
    member.institution.two_factor_required = True
    member.institution.save()
    return member


def password_login(user) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def enrolled(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)


def test_every_page_sends_an_unverified_member_to_the_code(strict_member):
    enrolled(strict_member.user)
    client = password_login(strict_member.user)
    for page in GUARDED_PAGES:
        response = client.get(page)
        assert response.status_code == 302, page
        assert response["Location"].startswith(reverse("two_factor_verify")), page
    # The API through the same session is closed too.
    api = client.get("/api/v1/matches/")
    assert api.status_code == 403
    assert "authenticator" in api.json()["detail"]


def test_the_right_code_opens_the_pages_and_a_wrong_one_does_not(strict_member):
    device = enrolled(strict_member.user)
    client = password_login(strict_member.user)
    wrong = client.post(reverse("two_factor_verify"), {"otp": "000000"})
    assert wrong.status_code == 200
    assert "wrong or has expired" in wrong.content.decode()
    assert client.get("/institution/matches/").status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp makes the next try wait
    device.throttle_reset()  # as the second or so a person takes to retype does
    right = client.post(
        reverse("two_factor_verify"), {"otp": code_for(device), "next": "/institution/matches/"}
    )
    assert right.status_code == 302 and right["Location"] == "/institution/matches/"
    for page in GUARDED_PAGES:
        assert client.get(page).status_code == 200, page


def test_a_member_without_an_authenticator_enrols_first(strict_member):
    client = password_login(strict_member.user)
    response = client.get("/institution/matches/")
    assert response["Location"].startswith(reverse("two_factor_setup"))
    page = client.get(response["Location"])
    body = page.content.decode()
    uri = re.search(r'class="otp-uri">([^<]+)<', body).group(1).replace("&amp;", "&")
    assert uri.startswith("otpauth://totp/")
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    assert re.search(r'<img src="data:image/svg\+xml', body)
    device = TOTPDevice.objects.get(user=strict_member.user)
    assert device.confirmed is False
    import base64

    assert base64.b32decode(secret + "=" * (-len(secret) % 8)) == device.bin_key
    confirmed = client.post(
        reverse("two_factor_setup") + "?next=/offerings/",
        {"otp": code_for(device), "next": "/offerings/"},
    )
    assert confirmed["Location"] == "/offerings/"
    device.refresh_from_db()
    assert device.confirmed is True
    assert client.get("/offerings/").status_code == 200


def test_members_of_an_institution_that_does_not_require_it_sign_in_as_before():
    member = InstitutionMemberFactory()
    client = password_login(member.user)
    assert client.get("/institution/matches/").status_code == 200
    assert password_login(FirmMemberFactory().user).get("/projects/").status_code == 200


def test_the_programme_office_needs_a_second_factor(settings, django_user_model):
    settings.TWO_FACTOR_FOR_OFFICE = True
    operator = django_user_model.objects.create_user("office", password=PASSWORD, is_staff=True)
    client = password_login(operator)
    for page in ("/operator/", "/admin/"):
        assert client.get(page)["Location"].startswith(reverse("two_factor_setup")), page


def test_the_office_requires_it_per_institution_in_the_admin(operator_client):
    member = InstitutionMemberFactory()
    institution = member.institution
    changelist = reverse("admin:investors_institution_changelist")
    response = operator_client.post(
        changelist,
        {
            "form-TOTAL_FORMS": "1",
            "form-INITIAL_FORMS": "1",
            "form-0-id": str(institution.pk),
            "form-0-two_factor_required": "on",
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    institution.refresh_from_db()
    assert institution.two_factor_required is True


def token(api, user, **extra):
    return api.post(
        "/api/v1/auth/token/",
        {"username": user.username, "password": PASSWORD, **extra},
        format="json",
    )


def test_a_token_needs_the_code_when_the_second_factor_is_required(strict_member):
    api = APIClient()
    not_enrolled = token(api, strict_member.user)
    assert not_enrolled.status_code == 401
    assert "set up an authenticator" in not_enrolled.json()["detail"]
    device = enrolled(strict_member.user)
    assert token(api, strict_member.user).status_code == 401
    assert token(api, strict_member.user, otp="000000").status_code == 401
    device.refresh_from_db()
    device.throttle_reset()
    issued = token(api, strict_member.user, otp=code_for(device))
    assert issued.status_code == 200 and issued.json()["token"]


def test_a_token_for_a_member_without_the_requirement_needs_no_code():
    member = InstitutionMemberFactory()
    assert token(APIClient(), member.user).status_code == 200


def test_the_open_pages_are_reversed_once_not_on_every_request(strict_member, reversed_addresses):
    """Seven `reverse` calls a request found the pages a member who owes a code may see."""
    open_pages = {reverse(name) for name in ("metrics", "logout", "set_language", "health")}
    client = password_login(strict_member.user)
    client.get("/notifications/")
    reversed_addresses.clear()
    setup = client.get("/accounts/two-factor/setup/")
    guarded = client.get("/notifications/")
    assert setup.status_code == 200  # open: no redirect
    assert guarded.status_code == 302 and "/accounts/two-factor/setup/" in guarded["Location"]
    assert not open_pages & set(reversed_addresses)
