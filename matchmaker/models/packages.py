"""Suggested capital stacks: several matches that together cover a project."""

from django.db import models
from django.db.models import Q

from matchmaker.models.matching import Match
from matchmaker.vocabulary import FastChoiceDisplay
from projects.models import Project


class Package(FastChoiceDisplay, models.Model):
    """A suggested capital stack for a project: several matches that together cover it."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="packages")
    rank = models.PositiveSmallIntegerField()
    coverage = models.JSONField(default=dict)  # instrument → fraction covered
    uncovered = models.JSONField(default=dict)  # instrument → RMB still missing
    score = models.FloatField()
    exact = models.BooleanField(default=True)
    computed_at = models.DateTimeField()
    # A digest of what the solver read (`matching.stacks.inputs_fingerprint`): a rebuild
    # from the same inputs keeps the packages instead of solving again.
    inputs = models.CharField(max_length=32, blank=True, default="")

    class Meta:
        ordering = ["project", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["project", "rank"], name="one_package_per_rank")
        ]

    def __str__(self) -> str:
        return f"Package {self.rank} of {self.project_id}"

    @property
    def mean_coverage(self) -> float:
        values = list(self.coverage.values())
        return sum(values) / len(values) if values else 0.0


class PackageMember(FastChoiceDisplay, models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="members")
    match = models.ForeignKey(Match, on_delete=models.CASCADE, related_name="package_memberships")
    instrument = models.CharField(max_length=16)
    amount = models.BigIntegerField()
    reason = models.CharField(max_length=300)

    class Meta:
        ordering = ["instrument", "-amount"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="package_amount_positive"),
            models.UniqueConstraint(fields=["package", "match"], name="one_membership_per_match"),
        ]

    def __str__(self) -> str:
        return f"{self.match_id}: {self.amount}"
