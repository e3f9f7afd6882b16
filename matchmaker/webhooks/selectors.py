"""What an organisation's members may see of webhooks: their own endpoints and log only."""

from django.db.models import QuerySet

from matchmaker.accounts.membership import organization_of
from matchmaker.webhooks.events import owner_fields
from matchmaker.webhooks.models import Delivery, Endpoint


def endpoints_of(user) -> QuerySet[Endpoint]:
    organization = organization_of(user)
    if organization is None:
        return Endpoint.objects.none()
    return Endpoint.objects.filter(**owner_fields(organization))


def deliveries_of(user) -> QuerySet[Delivery]:
    """The organisation's delivery log, newest first."""
    return (
        Delivery.objects.filter(endpoint__in=endpoints_of(user))
        .select_related("event", "endpoint")
        .prefetch_related("attempt_log")
    )
