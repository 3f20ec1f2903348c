from django.db import migrations
from django.utils import timezone

NAMES = ["ProjectType", "BiasFactor"]


def record_as_they_stand(apps, schema_editor):
    """The optimism-bias reference data was loaded by a migration, which leaves no history: give
    each row one record as it stands, so that the first change in the admin shows what it was."""
    now = timezone.now()
    for name in NAMES:
        model = apps.get_model("finance", name)
        historical = apps.get_model("finance", f"Historical{name}")
        recorded = set(historical.objects.values_list("id", flat=True))
        kept = [f.attname for f in historical._meta.concrete_fields if not f.name.startswith("history_")]
        historical.objects.bulk_create(
            [
                historical(
                    history_date=now,
                    history_type="+",
                    history_change_reason="As it stood when Headway began keeping its history",
                    **{field: getattr(row, field) for field in kept},
                )
                for row in model.objects.exclude(pk__in=recorded)
            ],
            batch_size=1000,
        )


class Migration(migrations.Migration):
    dependencies = [("finance", "0002_optimism_bias_reference")]

    operations = [migrations.RunPython(record_as_they_stand, migrations.RunPython.noop)]
