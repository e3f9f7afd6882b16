"""What each event carries: the shapes the organisation's own API answers with, built by
the same serializers, so an event never shows more than that organisation may read.

The firm and the institution see a match in the same shape (the firm never sees a
decline's reason, nor does the API show it); contacts appear only after an accepted
introduction, as in the API.
"""

import json

from rest_framework.utils.encoders import JSONEncoder

from matchmaker.api import serializers as api
from matchmaker.models import EngineSettings, Introduction, Match
from projects.models import Document


def _plain(data) -> dict | list:
    """DRF's output as plain JSON values (dates, UUIDs and decimals as strings)."""
    return json.loads(json.dumps(data, cls=JSONEncoder))


def matches(matches: list[Match]) -> dict:
    context = {"default_weights": EngineSettings.current().weights}
    return {"matches": _plain(api.MatchSerializer(matches, many=True, context=context).data)}


def match(match: Match, **extra) -> dict:
    context = {"default_weights": EngineSettings.current().weights}
    return {"match": _plain(api.MatchSerializer(match, context=context).data), **extra}


def introduction(introduction: Introduction) -> dict:
    return {"introduction": _plain(api.IntroductionSerializer(introduction).data)}


def document(document: Document) -> dict:
    return {
        "document": {
            "id": document.pk,
            "project_id": document.project_id,
            "kind": document.kind,
            "name": document.original_name,
            "size": document.size,
        }
    }
