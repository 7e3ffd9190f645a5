"""Give every workshop a stable identity that travels with its bundle.

Added in three steps, as a unique field with a per-row default must be: nullable first, then a
fresh UUID for each existing workshop, then unique and required."""

import uuid

from django.db import migrations, models


def fill_uids(apps, schema_editor):
    Workshop = apps.get_model("workshops", "Workshop")
    for workshop in Workshop.objects.filter(uid__isnull=True).only("pk"):
        Workshop.objects.filter(pk=workshop.pk).update(uid=uuid.uuid4())


class Migration(migrations.Migration):
    dependencies = [("workshops", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="workshop",
            name="uid",
            field=models.UUIDField(editable=False, null=True),
        ),
        migrations.RunPython(fill_uids, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="workshop",
            name="uid",
            field=models.UUIDField(default=uuid.uuid4, editable=False, unique=True),
        ),
    ]
