from django.db import migrations


def load(apps, schema_editor):
    from lianqi.enterprises.actions.industries import load_industries
    from lianqi.enterprises.industries import SHIPPED_FILE, read_rows

    load_industries(read_rows(SHIPPED_FILE), apps.get_model("enterprises", "Industry"))


class Migration(migrations.Migration):
    dependencies = [("enterprises", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
