from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MatchmakerConfig(AppConfig):
    name = "matchmaker"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the projects/investors change hooks)

        name_third_party_admin()
        post_migrate.connect(written_areas_install, sender=self)
        post_migrate.connect(shared_cache_table, sender=self)


def written_areas_install(*, using: str, **_kwargs) -> None:
    """After every `migrate`, whichever tables it made or rebuilt: the areas' triggers
    (`written_areas`), which the reads kept per change rely on."""
    from matchmaker import written_areas

    written_areas.install(using)


def shared_cache_table(*, using: str, **_kwargs) -> None:
    """After every `migrate`: the table of the cache every web process counts its
    throttles in (`settings.SHARED_CACHE`), where that cache is the database's; made only
    when missing, so a deployment that moves from Redis back to the embedded default has
    it too."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)


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
    # django-axes (log-in locks) and django-otp's TOTP devices (two-factor sign-in).
    "axes": (
        _("Log-in locks"),
        {
            "accessattempt": (_("failed log-in attempt"), _("failed log-in attempts")),
            "accesslog": (_("log-in record"), _("log-in records")),
            "accessfailurelog": (_("failed log-in record"), _("failed log-in records")),
            "accessattemptexpiration": (
                _("expiry of a failed log-in attempt"),
                _("expiries of failed log-in attempts"),
            ),
        },
    ),
    "otp_totp": (
        _("Two-factor sign-in"),
        {"totpdevice": (_("authenticator device"), _("authenticator devices"))},
    ),
}


def name_third_party_admin() -> None:
    from django.apps import apps

    for label, (app_name, models) in THIRD_PARTY_NAMES.items():
        try:
            config = apps.get_app_config(label)
        except LookupError:  # not installed here
            continue
        config.verbose_name = app_name
        for model_name, (singular, plural) in models.items():
            try:
                meta = config.get_model(model_name)._meta
            except LookupError:  # a model this version of the library does not have
                continue
            meta.verbose_name, meta.verbose_name_plural = singular, plural
