"""The list's covering index holds `eligible` too: the list page's cards are written from
the institution's table (`review.list_table`), read from this index alone (#26)."""

from django.db import migrations, models

FIELDS = ["offering", "status", "-score", "project", "computed_at", "status_changed_at"]


class Migration(migrations.Migration):
    dependencies = [("matchmaker", "0025_package_inputs")]

    operations = [
        migrations.RemoveIndex(model_name="match", name="match_offering_list_idx"),
        migrations.AddIndex(
            model_name="match",
            index=models.Index(
                fields=[*FIELDS, "eligible", "id"], name="match_offering_list_idx"
            ),
        ),
    ]
