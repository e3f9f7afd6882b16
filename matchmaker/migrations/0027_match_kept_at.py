"""A match's `kept_at`: the last re-score that kept it, apart from `computed_at`, which now
moves only when the score, criteria or eligibility shown do (#26). Existing rows were
last kept when they were last computed."""

import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("matchmaker", "0026_match_list_index_eligible")]

    operations = [
        migrations.AddField(
            model_name="match",
            name="kept_at",
            field=models.DateTimeField(default=django.utils.timezone.now, editable=False),
        ),
        migrations.RunSQL(
            "UPDATE matchmaker_match SET kept_at = computed_at", migrations.RunSQL.noop
        ),
        migrations.AlterField(
            model_name="match",
            name="computed_at",
            field=models.DateTimeField(
                help_text=(
                    "When the engine arrived at the score, criteria and eligibility shown. "
                    "A re-score that arrives at the same ones leaves it as it was."
                ),
                verbose_name="computed at",
            ),
        ),
    ]
