from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    """Work the week out from the checkpoints already recorded: the newest one rated otherwise
    than each initiative's newest checkpoint."""
    Initiative = apps.get_model("portfolio", "Initiative")
    Checkpoint = apps.get_model("portfolio", "Checkpoint")
    latest = Checkpoint.objects.filter(initiative=OuterRef("pk")).order_by("-week_start")
    newest_rating = Checkpoint.objects.filter(initiative=OuterRef(OuterRef("pk"))).order_by("-week_start")
    Initiative.objects.update(
        confidence_changed_week=Subquery(
            latest.exclude(confidence=Subquery(newest_rating.values("confidence")[:1])).values("week_start")[:1]
        )
    )


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0011_checkpoint_newest_ratings"),
    ]

    operations = [
        migrations.AddField(
            model_name="initiative",
            name="confidence_changed_week",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
