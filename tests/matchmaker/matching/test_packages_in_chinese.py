"""A package reads in the reader's language, whichever language the worker built it in:
every member's line, the gaps (ending in 。, not "."), and the package request."""

import pytest
from django.urls import reverse
from django.utils import translation

from matchmaker.matching import stacks
from matchmaker.models import Introduction, Profile
from tests.api.conftest import api_client_for
from tests.conftest import logged_in_client
from tests.matchmaker.matching.test_packages import stacked  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


def _chinese(user):
    Profile.objects.update_or_create(user=user, defaults={"language": "zh-hans"})
    return logged_in_client(user)


def test_package_lines_built_in_english_read_in_chinese(stacked):  # noqa: F811
    project, firm_user, _institutions = stacked
    with translation.override("en"):  # the worker's language
        stacks.rebuild_packages(project.pk)
    page = _chinese(firm_user).get(reverse("firm:project_matches", args=[project.pk]))
    text = page.content.decode()
    assert "Carries" not in text and "match score" not in text
    assert "承担" in text and "匹配得分" in text
    assert "覆盖放贷机构要求投保的发射及在轨风险。" in text
    assert "元." not in text
    assert "4,000万元。" in text  # the equity gap, ending as a Chinese sentence ends


def test_package_lines_in_the_api_follow_accept_language(stacked):  # noqa: F811
    project, firm_user, _institutions = stacked
    with translation.override("en"):
        stacks.rebuild_packages(project.pk)
    client = api_client_for(firm_user)
    body = client.get(
        f"/api/v1/projects/{project.pk}/packages/", HTTP_ACCEPT_LANGUAGE="zh-hans"
    ).json()
    reasons = [member["reason"] for member in body[0]["members"]]
    assert all(reason.startswith("承担") for reason in reasons), reasons


def test_a_package_request_reads_in_the_insurers_language(stacked):  # noqa: F811
    project, firm_user, institutions = stacked
    Profile.objects.create(user=firm_user, language="en")
    logged_in_client(firm_user).post(reverse("firm:ask_package", args=[project.pk, 1]))
    introduction = Introduction.objects.get(
        match__project=project, match__offering__name="Launch cover"
    )
    assert "as part of a financing package" in introduction.message  # the asker's words
    page = _chinese(institutions["insurer"]).get(
        reverse("institution:match_detail", args=[introduction.match_id])
    )
    text = page.content.decode()
    assert "as part of a financing package" not in text
    assert "融资组合" in text
