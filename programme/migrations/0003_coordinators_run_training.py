"""Coordinators manage training sessions in the editors' admin: they may enter it and add,
change and delete sessions (meetings, trainers, reading and materials are edited with them),
and choose a session's competency area."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = ("add", "change", "delete", "view")


def grant(apps, schema_editor):
    # Permissions are made after the last migration; these are needed now.
    for app_label in ("wagtailadmin", "forum", "programme"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True  # a migration's app stub: create_permissions asks
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    coordinators, _ = Group.objects.get_or_create(name="Coordinators")
    coordinators.permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        # The session form chooses its competency area with the categories' chooser.
        Permission.objects.get(content_type__app_label="forum", codename="view_category"),
        *Permission.objects.filter(
            content_type__app_label="programme",
            codename__in=[f"{action}_trainingsession" for action in CODENAMES],
        ),
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    coordinators = Group.objects.filter(name="Coordinators").first()
    if coordinators:
        coordinators.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="programme",
                codename__in=[f"{action}_trainingsession" for action in CODENAMES],
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("programme", "0002_training"),
        ("accounts", "0004_coordinators"),
        ("wagtailadmin", "0005_editingsession_is_editing"),
        ("forum", "0008_training"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
