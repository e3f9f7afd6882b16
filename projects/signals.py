"""What `projects` announces; `matchmaker` listens (projects never imports it)."""

from django.dispatch import Signal

# Sent inside the transaction that changed a project's scorable content or status;
# kwargs: project. Receivers defer work outside the database with transaction.on_commit.
project_changed = Signal()

# Sent inside the transaction that verified a firm; kwargs: firm, by (who verified it,
# or None). The receiver writes the audit row inside that transaction.
firm_verified = Signal()

# Sent inside the transaction that added a document to a project; kwargs: document.
document_added = Signal()

# Sent inside the transaction of every other write, for the audit trail; kwargs: action
# (an `AuditAction` value of matchmaker's), by, target ("<kind>:<id>"), detail (a dict).
written = Signal()
