"""The Facilitators group (holding workshops.add_workshop), given to every account that
facilitates a workshop or is staff, so nobody who ran workshops loses the right to."""

from django.contrib.auth.management import create_permissions
from django.db import migrations
from django.db.models import Q

GROUP = "Facilitators"


def forwards(apps, schema_editor):
    # Permissions are normally made after all migrations; this one needs its own now.
    config = apps.get_app_config("workshops")
    models_module = getattr(config, "models_module", None)
    config.models_module = models_module or True
    try:
        create_permissions(config, apps=apps, verbosity=0)
    finally:
        config.models_module = models_module
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    User = apps.get_model("auth", "User")
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        Permission.objects.get(content_type__app_label="workshops", codename="add_workshop")
    )
    facilitators = User.objects.filter(
        Q(is_staff=True) | Q(facilitated_workshops__isnull=False)
    ).distinct()
    for user in facilitators:
        user.groups.add(group)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("workshops", "0003_workshop_pricing_date"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
