"""Give every workshop its own pricing date, so a catalogue change never moves its figures.

Existing workshops are priced as of their workshop date: nullable first, filled from `date`,
then required."""

from django.db import migrations, models


def fill_pricing_dates(apps, schema_editor):
    Workshop = apps.get_model("workshops", "Workshop")
    Workshop.objects.filter(pricing_date__isnull=True).update(pricing_date=models.F("date"))


class Migration(migrations.Migration):
    dependencies = [("workshops", "0002_workshop_uid")]

    operations = [
        migrations.AddField(
            model_name="workshop",
            name="pricing_date",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(fill_pricing_dates, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="workshop",
            name="pricing_date",
            field=models.DateField(
                help_text="Model prices are the list prices in force on this day."
            ),
        ),
    ]
