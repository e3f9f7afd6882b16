from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchmakerConfig(AppConfig):
    name = "matchmaker"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the projects/investors change hooks)

        name_third_party_admin()


# django-celery-results ships no Chinese: the operator's admin showed "CELERY RESULTS"
# and "Task results" among Chinese headings. Our names for its app and models.
THIRD_PARTY_NAMES = {
    "django_celery_results": (
        _("Background task results"),
        {
            "taskresult": (_("task result"), _("task results")),
            "groupresult": (_("task group result"), _("task group results")),
        },
    ),
}


def name_third_party_admin() -> None:
    from django.apps import apps

    for label, (app_name, models) in THIRD_PARTY_NAMES.items():
        if not apps.is_installed(label):
            continue
        config = apps.get_app_config(label)
        config.verbose_name = app_name
        for model_name, (singular, plural) in models.items():
            meta = config.get_model(model_name)._meta
            meta.verbose_name, meta.verbose_name_plural = singular, plural
