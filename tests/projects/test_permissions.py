"""Every firm URL that takes an id answers 404 to anyone outside the firm."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from projects.models import Document, ProjectStatus
from tests.conftest import logged_in_client
from tests.factories import FirmMemberFactory, ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_project():
    project = ProjectFactory(status=ProjectStatus.DRAFT)
    document = Document(project=project, kind="pitch_deck", original_name="deck.pdf", size=9)
    document.file.save("deck.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
    return project, document


def id_urls(project, document):
    return [
        ("get", reverse("projects:detail", args=[project.pk])),
        *[
            ("get", reverse("projects:step", args=[project.pk, step]))
            for step in ["basics", "needs", "risks", "documents", "review"]
        ],
        ("post", reverse("projects:submit", args=[project.pk])),
        ("post", reverse("projects:withdraw", args=[project.pk])),
        ("post", reverse("projects:funded", args=[project.pk])),
        ("get", reverse("projects:document", args=[project.pk, document.pk])),
        ("post", reverse("projects:document_delete", args=[project.pk, document.pk])),
    ]


def test_another_firm_gets_404_on_every_project_url(firm_client, other_project):
    project, document = other_project
    for method, url in id_urls(project, document):
        response = getattr(firm_client, method)(url)
        assert response.status_code == 404, url
    project.refresh_from_db()
    assert project.status == ProjectStatus.DRAFT
    assert Document.objects.filter(pk=document.pk).exists()


def test_institution_members_cannot_open_firm_pages(institution_client, other_project):
    project, document = other_project
    for method, url in [("get", reverse("projects:list")), *id_urls(project, document)]:
        assert getattr(institution_client, method)(url).status_code == 403, url


def test_anonymous_visitors_are_sent_to_log_in(client, other_project):
    project, document = other_project
    for method, url in [("get", reverse("projects:list")), *id_urls(project, document)]:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


def test_the_owning_firm_can_open_every_project_url(other_project):
    project, document = other_project
    member = FirmMemberFactory(firm=project.firm)
    client = logged_in_client(member.user)
    for method, url in id_urls(project, document)[:-3]:
        assert getattr(client, method)(url).status_code in {200, 302}, url


def test_project_list_shows_only_the_firms_own_projects(firm_client, firm_member, other_project):
    ProjectFactory(firm=firm_member.firm, title="Our own antenna")
    page = firm_client.get(reverse("projects:list")).content.decode()
    assert "Our own antenna" in page
    assert other_project[0].title not in page
