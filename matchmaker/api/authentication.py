"""The API's token sign-in, reading the user's memberships with the token (issue #26)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from matchmaker.accounts.membership import memberships_remember, token_read_once_per_change


class MemberTokenAuthentication(TokenAuthentication):
    """DRF's token authentication, the same answers, in one query: the token, its user and
    the user's firm, institution and saved language together (each was a query of its own
    on every request: `memberships_remember`), read again only when the database may have
    changed (`token_read_once_per_change`)."""

    def authenticate_credentials(self, key):
        token = token_read_once_per_change(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid token."))  # DRF's own words
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("User inactive or deleted."))
        memberships_remember(token.user, token.user)
        return (token.user, token)
