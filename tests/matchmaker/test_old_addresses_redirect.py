"""Pages moved when URLs were grouped by audience; old bookmarks still lead to them."""

import pytest

pytestmark = pytest.mark.django_db

MOVED = [
    ("/matches/", "/institution/matches/"),
    ("/matches/?status=declined&sort=-score", "/institution/matches/?status=declined&sort=-score"),
    ("/matches/pipeline/", "/institution/pipeline/"),
    ("/matches/7/", "/institution/matches/7/"),
    ("/matches/7/explained/", "/firm/matches/7/"),
    ("/matches/introductions/", "/firm/introductions/"),
    ("/matches/project/3/", "/firm/projects/3/matches/"),
    ("/matches/project/3/access/", "/firm/projects/3/access/"),
    ("/matches/notifications/", "/notifications/"),
    ("/matches/notifications/settings/", "/notifications/settings/"),
    ("/matches/operator/scoring/", "/operator/scoring/"),
]


@pytest.mark.parametrize(("old", "new"), MOVED)
def test_an_old_address_redirects_permanently_to_the_new_one(client, old, new):
    response = client.get(old)
    assert (response.status_code, response["Location"]) == (301, new)


def test_the_redirect_still_checks_who_may_see_the_page(firm_client):
    response = firm_client.get("/matches/", follow=True)
    assert response.redirect_chain[0] == ("/institution/matches/", 301)
    assert response.status_code == 403
