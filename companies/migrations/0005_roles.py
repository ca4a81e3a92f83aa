"""Create the groups that give account managers, support and finance what their job needs."""

from django.db import migrations

ROLES = {
    "Account managers": [
        "companies.view_company",
        "companies.add_company",
        "companies.change_company",
        "companies.view_subscription",
        "companies.add_subscription",
        "companies.change_subscription",
        "companies.view_apicall",
        "companies.view_bulkchange",
        "companies.view_statuschange",
    ],
    "Support": [
        "companies.view_company",
        "companies.view_subscription",
        "companies.suspend_company",
        "companies.refresh_license_info",
        "companies.view_apicall",
        "companies.view_statuschange",
    ],
    "Finance": [
        "companies.view_company",
        "companies.view_subscription",
    ],
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations have run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permissions in ROLES.items():
        group, _created = Group.objects.get_or_create(name=name)
        for permission in permissions:
            app_label, codename = permission.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("companies", "0004_status_history"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
