"""Create the "Clerks" group holding the permission to upload and publish protocols."""

from django.db import migrations

GROUP = "Clerks"
CODENAME = "publish_protocol"


def create_group(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    # Permissions are normally created after migrations (post_migrate); make this one now so the group can hold
    # it. create_permissions later finds it and leaves it alone.
    content_type, _ = ContentType.objects.get_or_create(app_label="publishing", model="upload")
    permission, _ = Permission.objects.get_or_create(
        codename=CODENAME,
        content_type=content_type,
        defaults={"name": "Kan uploade og offentliggøre protokoller"},
    )
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(permission)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publishing", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_group, remove_group)]
