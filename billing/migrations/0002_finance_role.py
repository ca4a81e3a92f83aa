"""Let finance read the usage dashboard, its exports and the usage pulls."""

from django.db import migrations

FINANCE_PERMISSIONS = ["view_monthlyusage", "view_usagepull"]


def grant(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations have run; the group needs them now.
    app_config = apps.get_app_config("billing")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    finance, _created = Group.objects.get_or_create(name="Finance")
    finance.permissions.add(*Permission.objects.filter(content_type__app_label="billing", codename__in=FINANCE_PERMISSIONS))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="billing", codename__in=FINANCE_PERMISSIONS)
    for group in Group.objects.filter(name="Finance"):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [("billing", "0001_initial"), ("companies", "0005_roles")]

    operations = [migrations.RunPython(grant, revoke)]
