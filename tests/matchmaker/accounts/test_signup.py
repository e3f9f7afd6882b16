import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from investors.models import Institution
from projects.models import Firm
from tests.factories import PASSWORD, FirmFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRM_SIGNUP = {
    "kind": "firm",
    "organization_name": "Songjiang Microwave Works",
    "full_name": "Zhang San",
    "email": "zhang@microwave.test",
    "phone": "+86 21 5555 1234",
    "username": "zhang",
    "password1": "a-long-unusual-passphrase",
    "password2": "a-long-unusual-passphrase",
}


def test_a_firm_member_signs_up_into_an_unverified_firm(client):
    response = client.post(reverse("signup"), FIRM_SIGNUP, follow=True)
    firm = Firm.objects.get(name="Songjiang Microwave Works")
    assert not firm.verified
    assert firm.memberships.get().user.username == "zhang"
    assert firm.contact_email == "zhang@microwave.test"
    assert response.context["user"].is_authenticated
    assert "Awaiting verification" in response.content.decode()


def test_an_insurer_signs_up_with_its_institution_type(client):
    data = {**FIRM_SIGNUP, "kind": "institution", "institution_type": "insurer"}
    client.post(reverse("signup"), data)
    institution = Institution.objects.get()
    assert (institution.institution_type, institution.verified) == ("insurer", False)


def test_an_institution_must_say_which_type_it_is(client):
    response = client.post(reverse("signup"), {**FIRM_SIGNUP, "kind": "institution"})
    assert response.context["form"].errors["institution_type"]
    assert not get_user_model().objects.exists()


def test_a_taken_organisation_name_is_refused_and_the_form_keeps_its_values(client):
    FirmFactory(name="Songjiang Microwave Works")
    response = client.post(
        reverse("signup"), {**FIRM_SIGNUP, "organization_name": "songjiang microwave works"}
    )
    assert "already registered" in response.content.decode()
    assert 'value="zhang@microwave.test"' in response.content.decode()
    assert not get_user_model().objects.exists()


def test_log_in_and_log_out():
    from django.test import Client

    user = UserFactory()
    client = Client()
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    client.post(reverse("logout"))
    assert client.get(reverse("projects:list")).status_code == 302


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-phrase-9",
            "new_password2": "another-long-phrase-9",
        },
    )
    assert response.url == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("another-long-phrase-9")


def test_password_reset_sends_a_link_by_email(client):
    UserFactory(email="reset@example.test")
    client.post(reverse("password_reset"), {"email": "reset@example.test"})
    assert len(mail.outbox) == 1
    assert "/accounts/reset/" in mail.outbox[0].body
