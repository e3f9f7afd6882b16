"""What the web process keeps of each project for the match list page's cards (#26).

Every institution's list shows the same project with the same title, facts and needs. A
page's cards are written from the institution's table (`list_table`: each match's score,
status, offering and eligibility) and these facts, kept here: reading the page's
matches, projects and needs again for each institution, filter and page was a third of a
first-seen page's time. Each project's card text after its link is kept with its facts,
once per language (`ProjectGroup.heads`, `cards.project_card`).

A web process reads every submitted project's facts when it starts (`warm`, from
`matchmaker.wsgi`); any other project is read when a page first asks for it. Never stale
beyond what the lists allow themselves:

- When the projects' fingerprint moves (`ListVersions.projects`: the last change of any
  project), the keys and stamps of the projects changed since the last change this
  process knew of (less `LATE_COMMIT_SECONDS`) are read, and those it keeps with another
  stamp are forgotten: one edit costs a small read, not every project's facts again.
- A change whose transaction commits after one stamped later leaves the fingerprint as
  it was (the race every fingerprint of `match_list_versions` has). It shows at the next
  move of the fingerprint if it is no older than `LATE_COMMIT_SECONDS` then, and in any
  case after the next sweep: every `CARD_PROJECTS_SECONDS` the stamps of the projects
  changed since the last sweep are compared the same way (the bound a list's cached
  page has, for a transaction shorter than that).
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
from projects.models import Project, ProjectStatus

# How often the stamps of the projects changed since the last sweep are compared with
# those kept: as long as a list's cached page is kept.
CARD_PROJECTS_SECONDS = LIST_CACHE_SECONDS
# How far before the last change it read the process looks again when the fingerprint
# moves: a transaction stamped that much earlier than another that committed before it.
LATE_COMMIT_SECONDS = 60
# Past this many projects the process starts again (the benchmark's country holds 10,000).
CARD_PROJECTS_KEPT = 50_000


@dataclass(slots=True)
class CardFacts:
    """One project as its card shows it, and its stamp when read."""

    project: CardProject
    needs: list[CardNeed]
    updated_at: datetime
    heads: dict[str, str] = field(default_factory=dict)


class KeptCardProjects:
    """The process's projects' card facts (module docstring)."""

    def __init__(self) -> None:
        self.forget()

    def forget(self) -> None:
        self.facts: dict[int, CardFacts] = {}
        self.version: str | None = None
        # the last change of any project this process knows of (a project's stamp), and
        # what it was at the last sweep (`of`)
        self.last_read: datetime | None = None
        self.swept_from: datetime | None = None
        self.swept_at = time.monotonic()

    def warm(self) -> None:
        """Read every submitted project's facts at once (a web process's start): a page
        then reads none (at the benchmark's size, ≈ 10,000 projects in one read instead
        of a read for each first-seen page)."""
        submitted = Project.objects.filter(status=ProjectStatus.SUBMITTED)
        self._read(submitted.order_by("-updated_at")[:CARD_PROJECTS_KEPT], every_need=True)

    def of(self, project_ids: list[int], projects_version: str) -> dict[int, CardFacts]:
        """These projects' facts (a project gone is left out), under the projects'
        fingerprint the request read before."""
        if self.version is None and not self.facts:  # from here on: the last change now
            self.last_read = Project.objects.order_by().aggregate(last=Max("updated_at"))["last"]
        elif projects_version != self.version:  # (or the first use after `warm`)
            self._forget_changed(self.last_read)
        self.version = projects_version
        if self.swept_from is None:
            self.swept_from = self.last_read
        if time.monotonic() - self.swept_at >= CARD_PROJECTS_SECONDS:
            # the late commits of the last period, whatever the fingerprint said
            self._forget_changed(self.swept_from)
            self.swept_at, self.swept_from = time.monotonic(), self.last_read
        missing = [project_id for project_id in project_ids if project_id not in self.facts]
        if missing:
            self._read(Project.objects.filter(pk__in=missing).order_by())
        # (one look each: a threaded server's other request may forget one meanwhile)
        found = {project_id: self.facts.get(project_id) for project_id in project_ids}
        return {project_id: kept for project_id, kept in found.items() if kept is not None}

    def _forget_changed(self, since: datetime | None) -> None:
        """Forget the projects kept with another stamp than they have now, among those
        changed since `since` (less `LATE_COMMIT_SECONDS`; None: all)."""
        changed = Project.objects.order_by()
        if since is not None:
            changed = changed.filter(updated_at__gte=since - timedelta(seconds=LATE_COMMIT_SECONDS))
        for project_id, updated_at in changed.values_list("pk", "updated_at"):
            kept = self.facts.get(project_id)
            if kept is not None and kept.updated_at != updated_at:
                del self.facts[project_id]
            self._stamp_seen(updated_at)

    def _stamp_seen(self, updated_at: datetime) -> None:
        if self.last_read is None or updated_at > self.last_read:
            self.last_read = updated_at

    def _read(self, projects, every_need: bool = False) -> None:
        """Keep these projects' facts (`every_need`: read all needs in one go rather than
        those of the projects' keys)."""
        rows = projects.values_list(*CARD_PROJECT_FIELDS, "updated_at")
        read = {row[0]: row for row in rows}
        needs = card_needs(list(read), every_need=every_need)
        if len(self.facts) + len(read) > CARD_PROJECTS_KEPT:
            self.facts.clear()
        for project_id, (*facts, updated_at) in read.items():
            project = CardProject(*facts)
            self.facts[project_id] = CardFacts(project, needs[project_id], updated_at)
            self._stamp_seen(updated_at)


_kept = KeptCardProjects()


def card_projects(project_ids: list[int], projects_version: str) -> dict[int, CardFacts]:
    """What the cards of these projects show of each, kept in the web process (module
    docstring); `projects_version` is `ListVersions.projects`."""
    return _kept.of(project_ids, projects_version)


def warm_card_projects() -> None:
    """Read every submitted project's card facts now (`KeptCardProjects.warm`)."""
    _kept.warm()


def forget_card_projects() -> None:
    """Empty what the process keeps (a test's database is rolled back, the process is
    not)."""
    _kept.forget()
