from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakerConfig(AppConfig):
    name = "matchmaker"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the projects/investors change hooks)
