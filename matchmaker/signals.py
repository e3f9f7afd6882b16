"""Listens to changes announced by `projects` and `investors`; the engine hooks in here."""
