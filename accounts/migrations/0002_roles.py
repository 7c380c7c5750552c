"""The role groups of DESIGN.md. Later apps grant their own permissions to these groups in
their migrations (the forum's moderation permissions to Moderators, Wagtail's to Editors)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLE_PERMISSIONS = {
    # Every member with a verified email; the forum adds asking and answering.
    "Librarians": [],
    # Moderators look members up when handling flags.
    "Moderators": [("accounts", "view_user"), ("accounts", "view_library")],
    # Editors keep the list of libraries that profiles and internship reports point to.
    "Editors": [
        ("accounts", "view_library"),
        ("accounts", "add_library"),
        ("accounts", "change_library"),
    ],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; these groups need them now.
    app_config = apps.get_app_config("accounts")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codes in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in codes:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLE_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
