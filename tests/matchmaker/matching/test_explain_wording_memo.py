"""Explanations word each sentence and label once per language and process (a list page
asked the catalogue some 30 times per match): what is remembered is never another
language's words, nor another vocabulary's label for the same code."""

from django.utils import translation

from matchmaker.matching import explain
from matchmaker.vocabulary import FlightRecord, OfferingRole, RoundRole, Stage


def test_a_label_is_its_own_vocabularys_in_its_own_language():
    with translation.override("en"):
        assert explain._label(Stage("first_flight")) == "First flight / first unit"
        assert explain._label(FlightRecord("first_flight")) == "First flight done"
        assert explain._label(RoundRole("lead")) == str(RoundRole("lead").label)
        assert explain._label(OfferingRole("lead")) == str(OfferingRole("lead").label)
        assert explain._label(RoundRole("lead")) != explain._label(OfferingRole("lead"))
    with translation.override("zh-hans"):
        chinese = explain._label(FlightRecord("first_flight"))
        assert chinese == str(FlightRecord("first_flight").label) != "First flight done"
    with translation.override("en"):
        assert explain._label(FlightRecord("first_flight")) == "First flight done"


def test_a_sentence_is_worded_in_the_active_language_each_time():
    sentence = "No collateral required."
    for _round in range(2):
        with translation.override("en"):
            assert explain._(sentence) == sentence
        with translation.override("zh-hans"):
            assert explain._(sentence) == translation.gettext(sentence) != sentence
