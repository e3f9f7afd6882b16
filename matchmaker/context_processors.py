from django.http import HttpRequest

from matchmaker.accounts.membership import organization_of
from matchmaker.models import Notification


def membership(request: HttpRequest) -> dict:
    """The signed-in user's organisation and unread notifications, for the navigation bar."""
    if not request.user.is_authenticated:
        return {"organization": None, "unread_notifications": 0}
    unread = Notification.objects.filter(user=request.user, read_at__isnull=True).count()
    return {"organization": organization_of(request.user), "unread_notifications": unread}
