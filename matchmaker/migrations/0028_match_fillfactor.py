"""On PostgreSQL, matches' pages are filled half (`fillfactor = 50`): every re-score
rewrites each row it keeps (`kept_at`), and PostgreSQL writes a row's new version
without touching its three indexes (a heap-only update) only when it fits on the row's
own page. Packed full, 1,060 of 537,507 updates were heap-only and a full re-score's
writing took 7.7-8.5 s; half full, all were and it took 3.9 s (the benchmark's world,
2026-12-05, #26). Rows written before keep their place until rewritten; `VACUUM FULL
matchmaker_match` repacks them at once. SQLite updates rows in place: nothing to do."""

from django.db import migrations

MATCH_TABLE = "matchmaker_match"


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {MATCH_TABLE} SET (fillfactor = 50)")


def pack_full(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {MATCH_TABLE} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("matchmaker", "0027_match_kept_at")]

    operations = [migrations.RunPython(leave_room, pack_full)]
