"""Two-factor sign-in: a time-based one-time code (TOTP, django-otp) after the password.

Who needs it (`second_factor_required`): the programme office's staff (unless
`TWO_FACTOR_FOR_OFFICE` is off) and every member of an institution whose
`two_factor_required` flag the office has set (admin → Institutions).

It cannot be skipped:
- on the web, `SecondFactorMiddleware` sends every page of a signed-in user who needs it
  and has not entered a code in this session to the enrolment page (no confirmed
  authenticator yet) or the verify page; the API reached with that session answers 403;
- at the API's token endpoint, a token is issued to such a user only with a valid `otp`
  code (`token_second_factor_error`).
django-otp's TOTP device throttles wrong codes itself (each failure doubles the wait).
"""

import base64
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from matchmaker.accounts.membership import organization_of
from matchmaker.addresses import addresses_of
from matchmaker.errors import is_api_request

DEVICE_NAME = "authenticator"


def second_factor_required(user) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_staff and settings.TWO_FACTOR_FOR_OFFICE:
        return True
    organization = organization_of(user)
    return bool(organization and getattr(organization.record, "two_factor_required", False))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def enrolment_device(user) -> TOTPDevice:
    """The user's unconfirmed authenticator (a new secret) until a code confirms it."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)


def provisioning_uri(device: TOTPDevice) -> str:
    """otpauth:// address an authenticator app reads (typed or from the QR code)."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    issuer = settings.OTP_TOTP_ISSUER
    label = f"{issuer}:{device.user.get_username()}"
    query = urlencode(
        {"secret": secret, "issuer": issuer, "digits": device.digits, "period": device.step}
    )
    return f"otpauth://totp/{label}?{query}".replace(" ", "%20")


def secret_of(device: TOTPDevice) -> str:
    """The secret in groups of four, for typing into an app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_data_uri(uri: str) -> str:
    return segno.make(uri, error="m").svg_data_uri(scale=4, border=2)


def token_second_factor_error(user, code: str) -> str | None:
    """Why a token may not be issued to this user with this code, or None."""
    if not second_factor_required(user):
        return None
    device = confirmed_device(user)
    if device is None:
        return _(
            "This user must sign in with a second factor: set up an authenticator app on "
            "the website first."
        )
    if not code:
        return _("This user signs in with a second factor: send the code from the app as otp.")
    if not device.verify_token(code.strip()):
        return _("The code from the authenticator app is wrong or has expired.")
    return None


def safe_next(request, default: str = "home") -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(default)


class SecondFactorMiddleware:
    """Nothing but the second-factor pages (and leaving) for a user who still owes a code."""

    OPEN_NAMES = ("two_factor_verify", "two_factor_setup", "logout", "set_language", "health")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and not user.is_verified()
            and not self.is_open(request.path)
            and second_factor_required(user)
        ):
            if is_api_request(request):
                return JsonResponse(
                    {"detail": _("Enter the code from your authenticator app on the website.")},
                    status=403,
                )
            name = "two_factor_verify" if confirmed_device(user) else "two_factor_setup"
            return redirect(f"{reverse(name)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    def is_open(self, path: str) -> bool:
        if path.startswith(settings.STATIC_URL):
            return True
        return path in addresses_of((*self.OPEN_NAMES, "metrics")).values()
