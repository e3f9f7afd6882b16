from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammeConfig(AppConfig):
    """The programme's own tools: subsidies, the risk pool, entitlements and claims."""

    name = "matchmaker.programme"
    label = "programme"
    verbose_name = _("Programme tools")
    default_auto_field = "django.db.models.BigAutoField"
