"""What a person chose for themselves."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matchmaker.vocabulary import FastChoiceDisplay


class Profile(FastChoiceDisplay, models.Model):
    """What a person chose for themselves: the language pages, e-mails and notifications
    reach them in (empty: the browser's, or the deployment's default)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"), max_length=16, choices=settings.LANGUAGES, blank=True, default=""
    )

    def __str__(self) -> str:
        return f"Profile of {self.user}"
