"""What `investors` announces; `matchmaker` listens (investors never imports it)."""

from django.dispatch import Signal

# Sent after an offering's scorable content or status changed; kwargs: offering.
offering_changed = Signal()
