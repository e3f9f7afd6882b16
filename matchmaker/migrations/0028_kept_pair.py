"""The pairs a running full re-score arrived at (`KeptPair`): it writes only the matches
that changed, and its finishing step retires what it neither wrote nor kept (#26)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('matchmaker', '0027_match_kept_at'),
    ]

    operations = [
        migrations.CreateModel(
            name='KeptPair',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('stamp', models.DateTimeField()),
                ('project_id', models.BigIntegerField()),
                ('offering_id', models.BigIntegerField()),
            ],
            options={
                'indexes': [models.Index(fields=['project_id', 'offering_id', 'stamp'], name='kept_pair_idx')],
            },
        ),
    ]
