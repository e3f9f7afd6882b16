"""A page of explanations reads the active language once (#26): Django's `get_language`
(asgiref's `Local`, about 10 µs a read) was read some 27 times per match, a quarter of
the API rows' CPU time. The language is pinned for the stretch (`money.pinned_language`),
and only there: outside it every read follows the active language again."""

from unittest import mock

import pytest
from django.utils import translation

from matchmaker import money
from matchmaker.api.match_rows import match_rows
from matchmaker.matching import selectors
from matchmaker.matching.explain import explain
from matchmaker.models import Match
from tests.matchmaker.review.helpers import matched_pair


def counted_reads():
    """`get_language` as the wording modules see it, counting its reads."""
    return mock.patch.object(money, "get_language", wraps=translation.get_language)


@pytest.mark.django_db
def test_a_page_of_rows_reads_the_language_once():
    pairs = [matched_pair() for _ in range(3)]
    matches = list(
        Match.objects.filter(pk__in=[pair.match.pk for pair in pairs]).select_related(
            "project", "offering__institution", "offering__learned_weights"
        )
    )
    with translation.override("zh-hans"), counted_reads() as reads:
        rows = match_rows(matches, {"default_weights": selectors.engine_weights()})
    assert reads.call_count == 1
    # and the words are the pinned language's
    with translation.override("zh-hans"):
        assert rows[0]["components"][0]["reason"] == explain(matches[0])[0].reason
    with translation.override("en"):
        assert rows[0]["components"][0]["reason"] != explain(matches[0])[0].reason


@pytest.mark.django_db
def test_one_explanation_reads_the_language_once():
    match = matched_pair().match
    with translation.override("en"), counted_reads() as reads:
        explain(match)
    assert reads.call_count == 1


def test_the_pin_ends_with_its_stretch():
    with translation.override("zh-hans"):
        with money.pinned_language():
            assert money.rmb(12_500_000) == "1,250万元"
        with translation.override("en"):
            assert money.language() == "en"
            assert money.rmb(12_500_000) == "RMB 12,500,000"
    with translation.override("en"), money.pinned_language():
        with money.pinned_language():  # nested: the inner stretch's own
            assert money.language() == "en"
        assert money.rmb(12_500_000) == "RMB 12,500,000"


def test_the_pin_ends_when_its_stretch_fails():
    with (
        translation.override("zh-hans"),
        pytest.raises(RuntimeError),
        money.pinned_language(),
    ):
        raise RuntimeError("the stretch fails")
    with translation.override("en"):
        assert money.language() == "en"
