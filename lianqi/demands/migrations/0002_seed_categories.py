"""Seed the demand category catalogue. Departments are per jurisdiction, so no default lead
department is seeded; each park sets its routing (`CategoryRouting`) itself. Re-running adds
only missing names."""

from django.db import migrations

NAMES = [
    "融资困难",
    "用地需求",
    "用工招聘",
    "审批服务",
    "基础设施",
    "水电气",
    "政策咨询",
    "市场拓展",
    "培训指导",
    "安全环保",
    "其他",
]


def seed(apps, schema_editor):
    Category = apps.get_model("demands", "Category")
    known = set(Category.objects.values_list("name", flat=True))
    Category.objects.bulk_create(
        [
            Category(name=name, order=(index + 1) * 10, deadline_workdays=5)
            for index, name in enumerate(NAMES)
            if name not in known
        ]
    )


def unseed(apps, schema_editor):
    apps.get_model("demands", "Category").objects.filter(name__in=NAMES, demands__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("demands", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
