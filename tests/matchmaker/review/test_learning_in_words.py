"""What an offering's decisions taught, as its institution reads it: the exact sentence
in each language, the weights first and then where its shortlists centre."""

from django.utils import translation

from matchmaker.models import LearnedWeights
from matchmaker.review import learning
from matchmaker.vocabulary import Criterion, Stage


def test_the_sweet_spot_is_said_after_the_weights_with_its_stage_named():
    learned = LearnedWeights(multipliers={}, preferred_trl=7, preferred_stage=Stage.QUALIFICATION)
    with translation.override("en"):
        assert learning.describe(learned) == (
            "Your decisions so far match the offering's weights. Your shortlists centre on "
            "TRL 7 and the Qualification stage, so projects nearer to them rank higher."
        )
    with translation.override("zh-hans"):
        assert learning.describe(learned) == (
            "贵机构目前的决策与该产品的权重一致。您列入关注的项目集中在技术成熟度 7 级、"
            f"{Stage.QUALIFICATION.label}阶段，越接近的项目排名越靠前。"
        )


def test_a_sweet_spot_without_a_stage_says_a_dash_for_it():
    learned = LearnedWeights(multipliers={}, preferred_trl=5, preferred_stage="")
    with translation.override("en"):
        assert learning.describe(learned).endswith(
            "centre on TRL 5 and the — stage, so projects nearer to them rank higher."
        )


def test_without_a_sweet_spot_only_the_weights_are_said():
    learned = LearnedWeights(multipliers={}, preferred_trl=None, preferred_stage="")
    with translation.override("en"):
        assert learning.describe(learned) == "Your decisions so far match the offering's weights."


def _weights(**multipliers) -> LearnedWeights:
    return LearnedWeights(multipliers=multipliers, preferred_trl=None, preferred_stage="")


def test_a_multiplier_exactly_at_the_notable_edge_is_said_either_way():
    learned = _weights(trl=learning.NOTABLE, tenor=1 / learning.NOTABLE, segment=1.0)
    with translation.override("en"):
        assert learning.describe_weights(learned) == (
            "Your decisions weigh Technology readiness more and Tenor vs. time to revenue less."
        )


def test_weights_that_moved_one_way_only_are_said_that_way_only():
    with translation.override("en"):
        assert learning.describe_weights(_weights(trl=1.5, segment=1.1, tenor=0.9)) == (
            "Your decisions weigh Technology readiness more."
        )
        assert learning.describe_weights(_weights(trl=1.1, tenor=0.5, segment=0.4)) == (
            "Your decisions weigh Tenor vs. time to revenue and Segment less."
        )


def test_two_weights_read_in_chinese_joined_by_he():
    learned = _weights(trl=2.0, stage=1.5, tenor=0.5)
    with translation.override("zh-hans"):
        trl, stage, tenor = (
            str(label)
            for label in (Criterion.TRL.label, Criterion.STAGE.label, Criterion.TENOR.label)
        )
        assert learning.describe_weights(learned) == (
            f"根据贵机构的决策，{trl}和{stage}的权重提高，{tenor}的权重降低。"
        )


def test_three_weights_moved_the_same_way_read_as_one_phrase_in_each_language():
    learned = _weights(trl=1.5, tenor=1.6, segment=1.7)
    with translation.override("en"):
        assert learning.describe_weights(learned) == (
            "Your decisions weigh Technology readiness, Tenor vs. time to revenue and Segment more."
        )
    with translation.override("zh-hans"):
        trl, tenor, segment = (
            str(c.label) for c in (Criterion.TRL, Criterion.TENOR, Criterion.SEGMENT)
        )
        assert learning.describe_weights(learned) == (
            f"根据贵机构的决策，{trl}、{tenor}和{segment}的权重提高。"
        )
