"""Seed the KPI library with every KPI the facilitator guide names (idempotent by key)."""

from django.db import migrations


def seed_library(apps, schema_editor):
    from kpis.library import library_rows

    KpiDefinition = apps.get_model("kpis", "KpiDefinition")
    for row in library_rows():
        key = row.pop("key")
        KpiDefinition.objects.update_or_create(key=key, defaults=row)


class Migration(migrations.Migration):
    dependencies = [
        ("kpis", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(seed_library, migrations.RunPython.noop),
    ]
