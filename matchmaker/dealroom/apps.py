from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealRoomConfig(AppConfig):
    """After the introduction: deal rooms, answers on time, and declines that come back."""

    name = "matchmaker.dealroom"
    label = "dealroom"
    verbose_name = _("Deal rooms")
