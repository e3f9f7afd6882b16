"""The Celery app; the worker and beat load it with ``-A matchmaker``."""

import os

from celery import Celery

from matchmaker import broker  # noqa: F401  (registers the embedded broker's URL prefix)

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "matchmaker.settings")

app = Celery("matchmaker")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
