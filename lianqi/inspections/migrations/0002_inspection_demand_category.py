"""The demand category under which an enterprise reports an unregistered inspection (执法检查),
added if the catalogue does not have it yet."""

from django.db import migrations

CATEGORY = "执法检查"


def add_category(apps, schema_editor):
    Category = apps.get_model("demands", "Category")
    Category.objects.get_or_create(name=CATEGORY, defaults={"order": 90})


class Migration(migrations.Migration):
    dependencies = [
        ("inspections", "0001_initial"),
        ("demands", "0009_return_visit_satisfaction"),
    ]

    operations = [migrations.RunPython(add_category, migrations.RunPython.noop)]
