"""Create the newsroom's roles as groups with their permissions."""

from django.db import migrations

ARTICLE = ["add_article", "change_article", "view_article"] + [
    f"{action}_{model}"
    for model in ("articleauthor", "articlephoto")
    for action in ("add", "change", "delete", "view")
]
LIBRARY = ["add_photo", "change_photo", "view_photo", "view_category", "view_author",
           "add_tag", "view_tag"]
EDITING = ["publish_article", "add_author", "change_author", "change_tag",
           "add_category", "change_category", "delete_photo"]
CHIEF = ["delete_article", "delete_author", "delete_tag", "delete_category",
         "add_user", "change_user", "view_user", "add_group", "change_group",
         "view_group"]

ROLES = {
    "Phóng viên": ARTICLE + LIBRARY,
    "Biên tập viên": ARTICLE + LIBRARY + EDITING,
    "Tổng biên tập": ARTICLE + LIBRARY + EDITING + CHIEF,
}


def create_roles(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations; make them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(
            codename__in=codenames,
            content_type__app_label__in=["articles", "auth"],
        )
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
