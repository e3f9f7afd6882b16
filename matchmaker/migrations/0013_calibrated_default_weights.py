"""The programme's default weights, calibrated on public deals: a programme whose operators
never changed the old defaults gets the calibrated ones; edited weights are kept."""

from django.db import migrations

UNCALIBRATED = {
    "segment": 0.3,
    "stage": 2.5,
    "trl": 0.3,
    "ticket": 2.5,
    "tenor": 0.7,
    "risk": 0.7,
    "geography": 0.1,
    "collateral": 1.1,
}
CALIBRATED = {
    "segment": 1.1,
    "stage": 2.9,
    "trl": 0.9,
    "ticket": 2.5,
    "tenor": 1.6,
    "risk": 0.3,
    "geography": 0.1,
    "collateral": 1.8,
}


def calibrate(apps, schema_editor):
    EngineSettings = apps.get_model("matchmaker", "EngineSettings")
    for settings in EngineSettings.objects.all():
        if settings.weights == UNCALIBRATED:
            settings.weights = CALIBRATED
            settings.save(update_fields=["weights"])


def uncalibrate(apps, schema_editor):
    EngineSettings = apps.get_model("matchmaker", "EngineSettings")
    for settings in EngineSettings.objects.all():
        if settings.weights == CALIBRATED:
            settings.weights = UNCALIBRATED
            settings.save(update_fields=["weights"])


class Migration(migrations.Migration):
    dependencies = [("matchmaker", "0012_learned_weights")]

    operations = [migrations.RunPython(calibrate, uncalibrate)]
