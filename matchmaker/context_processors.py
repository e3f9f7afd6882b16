from django.http import HttpRequest

from matchmaker.accounts.membership import organization_of
from matchmaker.addresses import addresses_of
from matchmaker.review.selectors import unread_notification_count


def membership(request: HttpRequest) -> dict:
    """The signed-in user's organisation and unread notifications, for the navigation bar.

    A page may be rendered before the authentication middleware has run (the 413 answer
    to an oversized body is given first of all, before the session is read): it has no
    user and shows the navigation of a visitor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"organization": None, "unread_notifications": 0}
    unread = unread_notification_count(request.user)
    return {"organization": organization_of(request.user), "unread_notifications": unread}


# The pages the navigation bar, the language switch and the footer link to (base.html).
NAVIGATION = (
    "home",
    "login",
    "signup",
    "logout",
    "password_change",
    "set_language",
    "projects:list",
    "firm:introductions",
    "programme:firm",
    "programme:financier",
    "programme:public_list",
    "institution:match_list",
    "institution:pipeline",
    "investors:list",
    "dealroom:list",
    "notifications:list",
    "webhooks:list",
)


def navigation(request: HttpRequest) -> dict:
    """`nav`: the addresses of `NAVIGATION` (`addresses_of`), each a `{% url %}` on every
    page before."""
    return {"nav": addresses_of(NAVIGATION)}
