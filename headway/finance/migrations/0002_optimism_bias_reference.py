"""Load HM Treasury's optimism-bias table (reference data, editable afterwards)."""

import json
from pathlib import Path

from django.db import migrations

REFERENCE = Path(__file__).resolve().parent.parent / "reference" / "optimism_bias_2003.json"


def load(apps, schema_editor):
    ProjectType = apps.get_model("finance", "ProjectType")
    BiasFactor = apps.get_model("finance", "BiasFactor")
    data = json.loads(REFERENCE.read_text(encoding="utf-8"))
    for entry in data["project_types"]:
        project_type, _ = ProjectType.objects.update_or_create(
            key=entry["key"],
            defaults={
                "name": entry["name"],
                "order": entry["order"],
                "is_default": entry.get("is_default", False),
                "duration_upper": entry["duration_upper"],
                "duration_lower": entry["duration_lower"],
                "cost_upper": entry["cost_upper"],
                "cost_lower": entry["cost_lower"],
                "note": entry["note"],
                "source": data["source"],
            },
        )
        for order, factor in enumerate(entry["factors"], start=1):
            BiasFactor.objects.update_or_create(
                project_type=project_type,
                name=factor["name"],
                defaults={
                    "group": factor["group"],
                    "duration_contribution": factor["duration"],
                    "cost_contribution": factor["cost"],
                    "order": order,
                },
            )


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
