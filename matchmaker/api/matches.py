"""REST API v1: the institution's match list and its decisions."""

import hashlib
import json

from django.core.cache import cache
from django.http import HttpResponse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from investors.selectors import institution_of, offerings_visible_to
from matchmaker.api import serializers as api
from matchmaker.api.documents import MatchDocumentActions
from matchmaker.api.match_rows import match_rows
from matchmaker.api.pagination import MatchPages
from matchmaker.api.permissions import IsInstitutionMember
from matchmaker.api.renderers import SafeJSONRenderer
from matchmaker.dealroom import revisit
from matchmaker.matching import selectors
from matchmaker.models import Match, MatchStatus
from matchmaker.review import services as review
from matchmaker.review.filters import MatchFilter
from matchmaker.review.introductions import introduction_request
from matchmaker.review.kept_projects import row_projects
from matchmaker.review.list_table import ListFromTable
from matchmaker.review.selectors import (
    LIST_CACHE_SECONDS,
    institution_matches_with_offerings,
    list_ids_key,
    match_list_versions,
    matches_of_institution_member,
)
from projects.selectors import firm_of

# A row, or a page with no rows, as the API's JSON renderer writes it for a client that
# asks for no layout of its own: compact, its non-ASCII characters kept.
ROW_JSON = SafeJSONRenderer()
EMPTY_RESULTS = b'"results":[]}'


class MatchViewSet(
    MatchDocumentActions,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The institution's match list across its offerings, and its decisions."""

    lookup_value_converter = "int"
    queryset = Match.objects.none()
    serializer_class = api.MatchSerializer
    permission_classes = [IsInstitutionMember]
    pagination_class = MatchPages
    filter_backends = []
    page_rows = None  # the JSON list's: `_page_rows`
    read_ids = None  # the JSON list's: `ListFromTable.match_keys`
    match_filter = None  # the list's: `_list_filter`

    def get_queryset(self):
        return self._with_relations(matches_of_institution_member(self.request.user))

    @staticmethod
    def _with_relations(matches):
        """What a match's JSON shows of its project, offering and institution."""
        return matches.select_related(
            "project", "offering__institution", "offering__learned_weights"
        ).prefetch_related("project__needs")

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "default_weights": selectors.engine_weights(),
            "explain_memo": {},  # one page's offerings and projects explained once each
            # one match's page: the programme tools that decided it (a few queries)
            "programme_audience": self._programme_audience() if self.action == "retrieve" else "",
        }

    def _programme_audience(self) -> str:
        return "firm" if firm_of(self.request.user) is not None else "institution"

    def list(self, request, *args, **kwargs):
        """The page as JSON, cached under the institution's data fingerprint (as the web
        list is): read again unchanged, it is not rebuilt; after any change it is. The
        page is kept as the bytes it is sent as, and written from its rows' own bytes
        (`_page_json`): rendering each page's rows again, and pickling them in and out of
        the cache as nested dicts, was a tenth of an uncached page."""
        if request.accepted_renderer.format != "json":
            return super().list(request, *args, **kwargs)
        institution = institution_of(request.user)
        versions = match_list_versions(institution)
        version = self.list_version = versions.list
        self.projects_version = versions.projects  # the rows' projects (`_page_rows`)
        address = f"{request.get_host()}{request.get_full_path()}"
        key = (
            "api-matches-json:"
            + hashlib.sha256(f"{version}|{get_language()}|{address}".encode()).hexdigest()
        )
        body = cache.get(key)
        if body is None:
            # each row serialised once per fingerprint and language, whatever page,
            # page size or filter shows it again (`page_rows`)
            self.page_rows = self._page_rows
            filters = self._list_filter().form.cleaned_data  # not valid: a 400 before any read
            # the list's ids from the institution's table (`list_table`) when the web
            # list has kept one under this fingerprint and it holds the filters; else
            # from the database. Not built for the API: a client paging through one
            # list reads its ids once (≈ 6 ms at the benchmark's size; the table, all of
            # the institution's matches, ≈ 13 ms on PostgreSQL)
            self.read_ids = ListFromTable(
                institution,
                version,
                filters,
                filters.get("sort") or "-score",
                kept_only=True,
            ).match_keys
            # built only when the list's ids are not cached already (`MatchPages`)
            queryset = SimpleLazyObject(lambda: self.filter_queryset(self.get_queryset()))
            body = self._page_json(self.paginate_queryset(queryset))
            cache.set(key, body, LIST_CACHE_SECONDS)
        if ROW_JSON.get_indent(request.accepted_media_type, {}) is not None:
            # a client that asked for another layout (`indent=`): the renderer writes it
            return Response(json.loads(body))
        return HttpResponse(body, content_type=request.accepted_renderer.media_type)

    def _page_json(self, rows: "list[bytes]") -> bytes:  # (`list`: the method above)
        """The paginated page as the JSON renderer writes it, its rows the rows' own bytes:
        the page's other fields rendered with no rows, and the rows put in their place
        (`results`, the last field, written `[]` with no rows and no spaces)."""
        head = ROW_JSON.render(self.get_paginated_response([]).data)
        if not head.endswith(EMPTY_RESULTS):
            # (written another way: the renderer's ASCII answer to a character it could
            # not encode) the whole page rendered as one
            whole = self.get_paginated_response([json.loads(row) for row in rows]).data
            return ROW_JSON.render(whole)
        return head[: -len(EMPTY_RESULTS)] + b'"results":[' + b",".join(rows) + b"]}"

    def _page_rows(self, queryset, ids):  # (`list` here is the view's own method)
        """The page's rows as JSON bytes, in the ids' order: those another page, page
        size or filter of this list showed under the same fingerprint
        (`match_list_version`, which names the institution) and language from the cache,
        only the others read whole, serialised and rendered. A change to what a row shows
        changes the fingerprint, so a cached row is never served stale; the ids come from
        the tenant's own list."""
        prefix = f"api-match-row-json:{self.list_version}:{get_language()}:"
        found = cache.get_many([prefix + str(pk) for pk in ids])
        missing = [pk for pk in ids if prefix + str(pk) not in found]
        if missing:
            # whole rows by key, among the institution's own offerings' matches: the ids
            # went through the list's filters and its rules already (built again here,
            # they were a tenth of a list request)
            rows = institution_matches_with_offerings(self.request.user, missing)
            # the projects whole from the web process (`row_projects`); a project gone
            # since took its matches with it
            projects = row_projects({match.project_id for match in rows}, self.projects_version)
            read = {match.pk: match for match in rows if match.project_id in projects}
            page = [read[pk] for pk in missing if pk in read]
            for match in page:
                match.project = projects[match.project_id]
            # (`match_rows`: the serializer's rows, written out by hand)
            written = match_rows(page, self.get_serializer_context())
            fresh = {prefix + str(row["id"]): ROW_JSON.render(row) for row in written}
            cache.set_many(fresh, LIST_CACHE_SECONDS)
            found.update(fresh)
        return [found[prefix + str(pk)] for pk in ids if prefix + str(pk) in found]

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        match_filter = self._list_filter()
        match_filter.queryset = queryset
        return match_filter.qs

    def _list_filter(self) -> MatchFilter:
        """The list's filters, validated once per request (a 400 when they are not valid),
        and the key its ids are cached under."""
        if self.match_filter is None:
            match_filter = MatchFilter(
                self.request.query_params,
                queryset=Match.objects.none(),  # the list's own: `filter_queryset`
                offerings=offerings_visible_to(self.request.user),
            )
            if not match_filter.is_valid():
                raise ValidationError(match_filter.errors)
            if getattr(self, "list_version", ""):
                # the list's ids, shared by its pages and page sizes (`MatchPages`)
                self.ids_cache_key = list_ids_key(
                    "api", self.list_version, match_filter.form.cleaned_data
                )
            self.match_filter = match_filter
        return self.match_filter

    def _decide(self, request, decision, body_serializer=None):
        """Find the match first (another tenant's is a 404 whatever the body), then
        validate the body, then decide."""
        match = self.get_object()
        data = {}
        if body_serializer is not None:
            body = body_serializer(data=request.data)
            body.is_valid(raise_exception=True)
            data = body.validated_data
        decision(match, data)
        return Response(self.get_serializer(self.get_queryset().get(pk=match.pk)).data)

    @extend_schema(request=None, responses={200: api.MatchSerializer})
    @action(detail=True, methods=["post"])
    def shortlist(self, request, pk=None):
        return self._decide(
            request,
            lambda match, _data: review.match_move(
                match=match, to_status=MatchStatus.SHORTLISTED, by=request.user
            ),
        )

    @extend_schema(request=api.DeclineSerializer, responses={200: api.MatchSerializer})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        return self._decide(
            request,
            lambda match, data: revisit.match_decline_not_now(
                match=match,
                reason=data["reason"],
                note=data["note"],
                kind=(data["revisit"] or {}).get("kind", ""),
                trl=(data["revisit"] or {}).get("trl"),
                on_date=(data["revisit"] or {}).get("on_date"),
                by=request.user,
            ),
            api.DeclineSerializer,
        )

    @extend_schema(request=api.IntroductionRequestSerializer, responses={200: api.MatchSerializer})
    @action(detail=True, methods=["post"], url_path="request-intro")
    def request_intro(self, request, pk=None):
        return self._decide(
            request,
            lambda match, data: introduction_request(
                match=match, by=request.user, message=data["message"]
            ),
            api.IntroductionRequestSerializer,
        )

    @extend_schema(request=api.MoveSerializer, responses={200: api.MatchSerializer})
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the match along the pipeline after the introduction: in talks → term sheet
        → closed (won or lost); 409 for a move its status does not allow."""
        return self._decide(
            request,
            lambda match, data: review.match_move(
                match=match, to_status=data["status"], by=request.user, note=data["note"]
            ),
            api.MoveSerializer,
        )

    @extend_schema(request=None, responses={200: api.MatchSerializer})
    @action(detail=True, methods=["post"])
    def undo(self, request, pk=None):
        """Take back your own shortlist, decline or introduction request of today (409
        when there is nothing to undo, or the firm already answered)."""
        return self._decide(
            request, lambda match, _data: review.match_undo(match=match, by=request.user)
        )

    @extend_schema(request=None, responses={200: api.MatchEventSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        """Every move of the match, newest first: who moved it from what to what, when
        (the pipeline board's history)."""
        match = self.get_object()
        return Response(api.MatchEventSerializer(match.events.all(), many=True).data)
