"""The signed-in user of each request, read with its memberships once per change of the
data (#26).

Django's `ModelBackend.get_user` read the user row on every signed-in request, and the
page then read the user again with its firm, institution and saved language
(`membership.memberships_read`): two statements a page. Here both are one read, kept
until a record may have changed (`matchmaker.read_once`): a password change, a
deactivation or a membership moved is a write, so the next request reads again, and the
session's password hash is checked against what was read, as Django checks it.
"""

from django.contrib.auth.backends import ModelBackend

from matchmaker.accounts.membership import memberships_remember, user_with_memberships

# Its path, as `AUTHENTICATION_BACKENDS` names it and a session records it.
BACKEND = "matchmaker.accounts.backends.MembershipsModelBackend"


class MembershipsModelBackend(ModelBackend):
    """`ModelBackend`, whose `get_user` reads the user with its memberships
    (`user_with_memberships`)."""

    def get_user(self, user_id):
        user = user_with_memberships(user_id)
        if user is None or not self.user_can_authenticate(user):
            return None
        memberships_remember(user, user)
        return user
