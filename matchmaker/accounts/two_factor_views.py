"""The second-factor pages: set up an authenticator app, then enter its code."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django_otp import login as otp_login

from matchmaker.accounts import two_factor
from matchmaker.accounts.forms import OneTimeCodeForm


@login_required
def verify(request):
    device = two_factor.confirmed_device(request.user)
    if device is None:
        return redirect("two_factor_setup")
    form = OneTimeCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        otp_login(request, device)
        return redirect(two_factor.safe_next(request))
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": request.GET.get("next", "")},
    )


@login_required
def setup(request):
    """Enrolment: the secret (as text, an otpauth:// address and a QR code) and a code to
    confirm the app holds it. A user with an authenticator already only verifies."""
    if two_factor.confirmed_device(request.user) is not None:
        return redirect("two_factor_verify")
    device = two_factor.enrolment_device(request.user)
    form = OneTimeCodeForm(request.POST or None, device=device)
    if request.method == "POST" and form.is_valid():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        otp_login(request, device)
        messages.success(request, _("Two-factor sign-in is set up."))
        return redirect(two_factor.safe_next(request))
    uri = two_factor.provisioning_uri(device)
    return render(
        request,
        "registration/two_factor_setup.html",
        {
            "form": form,
            "secret": two_factor.secret_of(device),
            "uri": uri,
            "qr": two_factor.qr_data_uri(uri),
            "next": request.GET.get("next", ""),
        },
    )
