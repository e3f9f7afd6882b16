"""Log-in locks (django-axes): after `AXES_FAILURE_LIMIT` wrong passwords for one
username, that username cannot log in (web or API token) for `AXES_COOLOFF_TIME`, even
with the right password. The answer says so and when to try again, in the reader's
language: a page on the web, JSON under the API."""

from axes.backends import AxesStandaloneBackend
from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from matchmaker.errors import is_api_request


class LockoutBackend(AxesStandaloneBackend):
    """axes' check before every log-in that comes with a request. Authentication without
    one (a management command, the test client's `login`) is no log-in attempt."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_message() -> str:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return _(
        "Too many failed log-ins for this user name: it is locked for %(minutes)s minutes. "
        "Try again later, or reset the password."
    ) % {"minutes": minutes}


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE."""
    if is_api_request(request):
        return JsonResponse({"detail": lockout_message()}, status=429)
    return render(
        request, "registration/locked_out.html", {"message": lockout_message()}, status=429
    )
