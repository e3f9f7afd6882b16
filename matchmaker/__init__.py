"""Project package: settings, URLs and the Celery app, plus the matching domain."""

from matchmaker.celery import app as celery_app

__all__ = ("celery_app",)
