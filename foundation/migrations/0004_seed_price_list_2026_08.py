from django.db import migrations


def seed(apps, schema_editor):
    from foundation import seeds

    seeds.seed_catalogue(
        apps.get_model("foundation", "LLMModel"), apps.get_model("foundation", "PricePoint")
    )


class Migration(migrations.Migration):
    """The price list as of 2026-08-21: one API model id per model, cached-input prices,
    retirement dates; the earlier list's duplicate names and replaced prices removed."""

    dependencies = [("foundation", "0003_catalogue_retirement_listed_on")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
