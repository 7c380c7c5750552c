"""The programme's coordinators (DESIGN.md, roles): they see where librarians struggle and every
member's contribution record, and run training sessions. Granted in /admin/ like the others."""

from django.db import migrations

COORDINATORS = "Coordinators"


def create_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=COORDINATORS)


def remove_role(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=COORDINATORS).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0003_user_language")]

    operations = [migrations.RunPython(create_role, remove_role)]
