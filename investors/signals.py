"""What `investors` announces; `matchmaker` listens (investors never imports it)."""

from django.dispatch import Signal

# Sent inside the transaction that changed an offering's scorable content or status;
# kwargs: offering. Receivers defer work outside the database with transaction.on_commit.
offering_changed = Signal()

# Sent inside the transaction that verified an institution; kwargs: institution, by (who
# verified it, or None). The receiver writes the audit row inside that transaction.
institution_verified = Signal()

# Sent inside the transaction of every other write, for the audit trail; kwargs: action
# (an `AuditAction` value of matchmaker's), by, target ("<kind>:<id>"), detail (a dict).
written = Signal()
