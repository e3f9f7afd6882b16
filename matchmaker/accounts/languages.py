"""Which language a person reads: chosen with the header's switcher, saved on their
profile and in Django's language cookie; a first visit follows Accept-Language."""

from django.conf import settings
from django.utils import translation

from matchmaker.models import Profile

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


def saved_language(user) -> str:
    """The language the user chose with the switch, or "" if none."""
    if not getattr(user, "pk", None):
        return ""
    if not hasattr(user, "_saved_language"):
        user._saved_language = (
            Profile.objects.filter(user=user).values_list("language", flat=True).first() or ""
        )
    return user._saved_language


def language_remember(user, language: str) -> None:
    """What `saved_language` would find, read already with the user (`memberships_read`)."""
    user._saved_language = language


def language_of(user) -> str:
    """The language to write to this user in (e-mails, notifications)."""
    return saved_language(user) or settings.LANGUAGE_CODE


def language_save(*, user, language: str) -> None:
    if language not in LANGUAGE_CODES:
        raise ValueError(f"Unknown language {language!r}")
    if getattr(user, "is_authenticated", False):
        Profile.objects.update_or_create(user=user, defaults={"language": language})
        language_remember(user, language)


class ProfileLanguageMiddleware:
    """A signed-in user's saved language wins over cookie and browser, on every device."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            chosen = saved_language(request.user)
            if chosen:
                translation.activate(chosen)
                request.LANGUAGE_CODE = chosen
        return self.get_response(request)
