"""What the web process keeps of each project for the match list page's cards (#26).

Every institution's list shows the same project with the same title, facts and needs. A
page's cards are written from the institution's table (`list_table`: each match's score,
status, offering and eligibility) and these facts, kept here: reading the page's
matches, projects and needs again for each institution, filter and page was a third of a
first-seen page's time. Each project's card text after its link is kept with its facts,
once per language (`ProjectGroup.heads`, `cards.project_card`).

Never stale beyond what the lists allow themselves:

- A project is read when a page first asks for it, and again once it has been kept
  `CARD_PROJECTS_SECONDS`.
- When the projects' fingerprint moves (`ListVersions.projects`: the last change of any
  project), the keys and stamps of the projects changed since the last one this process
  read (less `LATE_COMMIT_SECONDS`) are read, and those it keeps with another stamp are
  forgotten: one edit costs a small read, not every project's facts again.
- A change whose transaction commits after one stamped later leaves the fingerprint as
  it was (the race every fingerprint of `match_list_versions` has): it shows once the
  next change moves the fingerprint (if it is no older than `LATE_COMMIT_SECONDS` then),
  or once the project's facts are read again, as a list's cached cards did.
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db.models import Max

from matchmaker.review.selectors import (
    CARD_PROJECT_FIELDS,
    LIST_CACHE_SECONDS,
    CardNeed,
    CardProject,
    card_needs,
)
from projects.models import Project

# How long a project's facts are kept at most: as long as a list's cached page.
CARD_PROJECTS_SECONDS = LIST_CACHE_SECONDS
# How far before the last change it read the process looks again when the fingerprint
# moves: a transaction stamped that much earlier than another that committed before it.
LATE_COMMIT_SECONDS = 60
# Past this many projects the process starts again (the benchmark's country holds 10,000).
CARD_PROJECTS_KEPT = 50_000


@dataclass(slots=True)
class CardFacts:
    """One project as its card shows it, when it was read and its stamp."""

    project: CardProject
    needs: list[CardNeed]
    updated_at: datetime
    read_at: float
    heads: dict[str, str] = field(default_factory=dict)


class KeptCardProjects:
    """The process's projects' card facts (module docstring)."""

    def __init__(self) -> None:
        self.forget()

    def forget(self) -> None:
        self.facts: dict[int, CardFacts] = {}
        self.version: str | None = None
        # the last change of any project this process knows of (a project's stamp)
        self.last_read: datetime | None = None

    def of(self, project_ids: list[int], projects_version: str) -> dict[int, CardFacts]:
        """These projects' facts (a project gone is left out), under the projects'
        fingerprint the request read before."""
        now = time.monotonic()
        if self.version is None:  # from here on: the last change there is now
            self.last_read = Project.objects.order_by().aggregate(last=Max("updated_at"))["last"]
        elif projects_version != self.version:
            self._forget_changed()
        self.version = projects_version
        missing = [
            project_id
            for project_id in project_ids
            if project_id not in self.facts
            or now - self.facts[project_id].read_at >= CARD_PROJECTS_SECONDS
        ]
        if missing:
            self._read(missing, now)
        return {
            project_id: self.facts[project_id]
            for project_id in project_ids
            if project_id in self.facts
        }

    def _forget_changed(self) -> None:
        changed = Project.objects.order_by()
        if self.last_read is not None:
            since = self.last_read - timedelta(seconds=LATE_COMMIT_SECONDS)
            changed = changed.filter(updated_at__gte=since)
        for project_id, updated_at in changed.values_list("pk", "updated_at"):
            kept = self.facts.get(project_id)
            if kept is not None and kept.updated_at != updated_at:
                del self.facts[project_id]
            self._stamp_seen(updated_at)

    def _stamp_seen(self, updated_at: datetime) -> None:
        if self.last_read is None or updated_at > self.last_read:
            self.last_read = updated_at

    def _read(self, project_ids: list[int], now: float) -> None:
        rows = (
            Project.objects.filter(pk__in=project_ids)
            .order_by()
            .values_list(*CARD_PROJECT_FIELDS, "updated_at")
        )
        read = {row[0]: row for row in rows}
        needs = card_needs(list(read))
        if len(self.facts) + len(read) > CARD_PROJECTS_KEPT:
            self.facts.clear()
        for project_id, (*facts, updated_at) in read.items():
            project = CardProject(*facts)
            self.facts[project_id] = CardFacts(project, needs[project_id], updated_at, now)
            self._stamp_seen(updated_at)


_kept = KeptCardProjects()


def card_projects(project_ids: list[int], projects_version: str) -> dict[int, CardFacts]:
    """What the cards of these projects show of each, kept in the web process (module
    docstring); `projects_version` is `ListVersions.projects`."""
    return _kept.of(project_ids, projects_version)


def forget_card_projects() -> None:
    """Empty what the process keeps (a test's database is rolled back, the process is
    not)."""
    _kept.forget()
