import pytest

from matchmaker.matching import scoring
from tests.factories import OfferingFactory, ProjectFactory


@pytest.fixture
def scored_project(firm_member):
    """A firm's project scored against a small and a large equity offering."""
    project = ProjectFactory(firm=firm_member.firm, needs={"equity": 50_000_000})
    OfferingFactory(name="Deep-tech equity", ticket_max=10_000_000, ticket_min=5_000_000)
    OfferingFactory(name="Growth equity", ticket_max=100_000_000)
    scoring.score_project(project.pk)
    return project
