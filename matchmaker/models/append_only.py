"""Records that are written once and kept: rows are added, never changed or removed."""

from django.db import models


class AppendOnly(Exception):
    """A record (the access log, the audit trail): rows are added, never changed or removed."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly(f"{self.model._meta.verbose_name} is append-only.")

    def delete(self):
        raise AppendOnly(f"{self.model._meta.verbose_name} is append-only.")


class AppendOnlyModel(models.Model):
    """Saving an existing row, deleting one, and bulk updates or deletes are refused."""

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnly(f"{self._meta.verbose_name} is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly(f"{self._meta.verbose_name} is append-only.")
