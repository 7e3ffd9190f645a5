from django.db import migrations


def seed(apps, schema_editor):
    from foundation import seeds

    seeds.seed_glossary(apps.get_model("foundation", "GlossaryTerm"))
    # The price list is seeded by 0004, whose seed needs the fields 0003 adds.
    seeds.seed_questions(apps.get_model("foundation", "Question"))


class Migration(migrations.Migration):
    dependencies = [("foundation", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
