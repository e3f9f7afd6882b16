"""What the web process keeps of each project for the match lists (#26).

Every institution's list shows the same project with the same title, facts and needs. A
page's cards are written from the institution's table (`list_table`: each match's score,
status, offering and eligibility) and these facts, kept here: reading the page's
matches, projects and needs again for each institution, filter and page was a third of a
first-seen page's time. Each project's card text after its link is kept with its facts,
once per language (`ProjectGroup.heads`, `cards.project_card`).

The API's rows show and explain the whole project (`row_projects`): the project and its
needs are kept here too (joining each row's project and reading its needs was half of
reading a page of rows), ≈ 7 KB a project (its card facts alone, ≈ 0.6 KB).

A web process reads the submitted projects whole when it starts (`warm`, from
`matchmaker.wsgi`; `settings.KEPT_PROJECTS_WARM` of them at most, the most recently
changed); any other project is read when a page first asks for it, whole when a row does.
Never stale beyond what the lists allow themselves (a project's every change moves its
`updated_at`, `projects.services`):

- When the projects' fingerprint moves (`ListVersions.projects`: the last change of any
  project), the keys and stamps of the projects changed since the last change this
  process knew of (less `LATE_COMMIT_SECONDS`) are read, and those it keeps with another
  stamp are forgotten: one edit costs a small read, not every project's facts again.
- A change whose transaction commits after one stamped later leaves the fingerprint as
  it was (the race every fingerprint of `match_list_versions` has). It shows at the next
  move of the fingerprint if it is no older than `LATE_COMMIT_SECONDS` then, and in any
  case after the next sweep: every `KEPT_PROJECTS_SECONDS` the stamps of the projects
  changed since the last sweep are compared the same way (the bound a list's cached
  page has, for a transaction shorter than that).
"""

import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connections
from django.db.models import Max

from matchmaker.review.selectors import (
    CARD_PROJECT_FIELDS,
    LIST_CACHE_SECONDS,
    CardNeed,
    CardProject,
    card_needs,
    projects_fingerprint,
)
from projects.models import Project, ProjectStatus

# How often the stamps of the projects changed since the last sweep are compared with
# those kept: as long as a list's cached page is kept.
KEPT_PROJECTS_SECONDS = LIST_CACHE_SECONDS
# How far before the last change it read the process looks again when the fingerprint
# moves: a transaction stamped that much earlier than another that committed before it.
LATE_COMMIT_SECONDS = 60
# Past this many projects the process starts again (the benchmark's country holds 10,000).
KEPT_PROJECTS_MOST = 50_000
# A web process reads the projects it keeps at start (`settings.KEPT_PROJECTS_WARM` of
# them) in reads of this many.
WARM_BATCH = 900


@dataclass(slots=True)
class CardFacts:
    """One project as its card shows it, and its stamp when read."""

    project: CardProject
    needs: list[CardNeed]
    updated_at: datetime
    heads: dict[str, str] = field(default_factory=dict)
    # the project and its needs, once an API row asked (`row_projects`); only read
    whole: Project | None = None


class KeptProjects:
    """The projects this process keeps: each one's card facts, and the project whole once
    read so (module docstring)."""

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
        """Read the submitted projects whole at once (a web process's start): a page, or a
        page of the API's rows, then reads none. At the benchmark's size, 10,000 projects
        and their needs in about a second of the process's start and 70 MB, instead of a
        read for each first-seen page; past `settings.KEPT_PROJECTS_WARM`, the most
        recently changed, and the others when first asked for.

        The projects' fingerprint is read first and kept as the one they were read under:
        the first page then looks for changes only if it has moved since. (Without it the
        first page read the stamp of every project changed in the minute before the last
        change, `LATE_COMMIT_SECONDS`: at the benchmark's size, where the projects were
        all made in one go, all 10,000 of them, ≈ 90 ms of each worker's first request.)"""
        # (the last change first: never later than the fingerprint's, which is read
        # before the projects, so whatever it counts the reads below see)
        last = Project.objects.order_by().aggregate(last=Max("updated_at"))["last"]
        fingerprint = projects_fingerprint(connections[Project.objects.db])
        submitted = Project.objects.filter(status=ProjectStatus.SUBMITTED).order_by("-updated_at")
        keys = list(submitted.values_list("pk", flat=True)[: settings.KEPT_PROJECTS_WARM])
        for at in range(0, len(keys), WARM_BATCH):  # (bounded `IN` lists, SQLite's too)
            chunk = Project.objects.filter(pk__in=keys[at : at + WARM_BATCH]).order_by()
            self._read_whole(chunk.prefetch_related("needs"))
        if self.version is None:
            self.version = fingerprint
            if last is not None:
                self._stamp_seen(last)

    def of(self, project_ids: list[int], projects_version: str) -> dict[int, CardFacts]:
        """These projects' facts (a project gone is left out), under the projects'
        fingerprint the request read before."""
        self._look(projects_version)
        missing = [project_id for project_id in project_ids if project_id not in self.facts]
        read = self._read(Project.objects.filter(pk__in=missing).order_by()) if missing else {}
        return self._found(project_ids, read)

    def wholes(self, project_ids: list[int], projects_version: str) -> dict[int, Project]:
        """These projects whole, with their needs (a project gone is left out), under the
        projects' fingerprint the request read before; never to be changed."""
        self._look(projects_version)
        missing = [
            project_id
            for project_id in project_ids
            if getattr(self.facts.get(project_id), "whole", None) is None
        ]
        read = {}
        if missing:
            projects = Project.objects.filter(pk__in=missing).order_by()
            read = self._read_whole(projects.prefetch_related("needs"))
        found = self._found(project_ids, read)
        return {project_id: kept.whole for project_id, kept in found.items() if kept.whole}

    def _found(self, project_ids: list[int], read: dict[int, CardFacts]) -> dict[int, CardFacts]:
        """What is kept of these projects, those just read included: one look each (a
        threaded server's other request may forget one meanwhile)."""
        found = {
            project_id: read.get(project_id) or self.facts.get(project_id)
            for project_id in project_ids
        }
        return {project_id: kept for project_id, kept in found.items() if kept is not None}

    def _look(self, projects_version: str) -> None:
        """Forget what changed: since the last change this process knew of when the
        fingerprint moved, and since the last sweep when one is due (module docstring)."""
        if self.version is None and not self.facts:  # from here on: the last change now
            self.last_read = Project.objects.order_by().aggregate(last=Max("updated_at"))["last"]
        elif projects_version != self.version:  # (or the first use after `warm`)
            self._forget_changed(self.last_read)
        self.version = projects_version
        if self.swept_from is None:
            self.swept_from = self.last_read
        if time.monotonic() - self.swept_at >= KEPT_PROJECTS_SECONDS:
            # the late commits of the last period, whatever the fingerprint said
            self._forget_changed(self.swept_from)
            self.swept_at, self.swept_from = time.monotonic(), self.last_read

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

    def _read(self, projects) -> dict[int, CardFacts]:
        """Keep these projects' facts (a page's cards; not their whole rows)."""
        rows = {row[0]: row for row in projects.values_list(*CARD_PROJECT_FIELDS, "updated_at")}
        needs = card_needs(list(rows))
        return self._keep(
            CardFacts(CardProject(*facts), needs[project_id], updated_at)
            for project_id, (*facts, updated_at) in rows.items()
        )

    def _read_whole(self, projects) -> dict[int, CardFacts]:
        """Keep these projects whole (their needs prefetched), and their facts from them."""
        return self._keep(
            CardFacts(
                CardProject(*(getattr(project, name) for name in CARD_PROJECT_FIELDS)),
                [CardNeed(need.instrument, need.amount) for need in project.needs.all()],
                project.updated_at,
                whole=project,
            )
            for project in projects
        )

    def _keep(self, read) -> dict[int, CardFacts]:
        read = {kept.project.pk: kept for kept in read}
        if len(self.facts) + len(read) > KEPT_PROJECTS_MOST:
            self.facts.clear()
        for project_id, kept in read.items():
            self.facts[project_id] = kept
            self._stamp_seen(kept.updated_at)
        return read


_kept = KeptProjects()


def card_projects(project_ids: list[int], projects_version: str) -> dict[int, CardFacts]:
    """What the cards of these projects show of each, kept in the web process (module
    docstring); `projects_version` is `ListVersions.projects`."""
    return _kept.of(project_ids, projects_version)


def row_projects(project_ids, projects_version: str) -> dict[int, Project]:
    """These projects whole, with their needs, as the API's rows show and explain them,
    kept in the web process (module docstring); shared by requests: only read them."""
    return _kept.wholes(list(project_ids), projects_version)


def warm_kept_projects() -> None:
    """Read the submitted projects whole now (`KeptProjects.warm`)."""
    _kept.warm()


def forget_kept_projects() -> None:
    """Empty what the process keeps (a test's database is rolled back, the process is
    not)."""
    _kept.forget()
