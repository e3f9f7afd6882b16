"""What `projects` announces; `matchmaker` listens (projects never imports it)."""

from django.dispatch import Signal

# Sent after a project's scorable content or status changed; kwargs: project.
project_changed = Signal()
