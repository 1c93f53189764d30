"""Amounts to the yuan: the ledger's and the matches' amounts were 万元 with two decimals
(¥100 resolution); they become yuan with two decimals (to the fen). Forwards each figure is
multiplied by 10,000 exactly (the wider column holds any old figure); backwards divided by
10,000 and rounded half up to the old ¥100 resolution (the only loss, of what the old columns
could not hold)."""

from decimal import ROUND_HALF_UP, Decimal

from django.db import migrations, models

WAN = Decimal("10000")
#: (model, amount fields) converted.
AMOUNTS = (
    ("PolicyMatch", ("amount",)),
    ("Fulfilment", ("promised_amount", "approved_amount", "disbursed_amount")),
    ("FulfilmentEvent", ("amount",)),
)


def _convert(apps, change):  # noqa: ANN001, ANN202
    """Each row in Python with Decimals: exact on SQLite (which may keep numbers as floats)
    as on PostgreSQL."""
    for model_name, fields in AMOUNTS:
        model = apps.get_model("policies", model_name)
        rows = []
        for row in model.objects.only("pk", *fields).iterator(chunk_size=2000):
            for name in fields:
                value = getattr(row, name)
                if value is not None:
                    setattr(row, name, change(Decimal(value)))
            rows.append(row)
            if len(rows) == 2000:
                model.objects.bulk_update(rows, fields)
                rows = []
        if rows:
            model.objects.bulk_update(rows, fields)


def to_yuan(apps, schema_editor):  # noqa: ANN001, ANN201
    _convert(apps, lambda wan: (wan * WAN).quantize(Decimal("0.01")))


def to_wan(apps, schema_editor):  # noqa: ANN001, ANN201
    _convert(apps, lambda yuan: (yuan / WAN).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _field(label):  # noqa: ANN001, ANN202
    return models.DecimalField(blank=True, decimal_places=2, max_digits=18, null=True, verbose_name=label)


class Migration(migrations.Migration):
    dependencies = [
        ("policies", "0002_application_materials"),
    ]

    # Widen first, then convert (backwards: convert back, then narrow).
    operations = [
        migrations.AlterField(model_name="policymatch", name="amount", field=_field("测算金额（元）")),
        migrations.AlterField(model_name="fulfilment", name="promised_amount", field=_field("测算金额（元）")),
        migrations.AlterField(model_name="fulfilment", name="approved_amount", field=_field("批准金额（元）")),
        migrations.AlterField(model_name="fulfilment", name="disbursed_amount", field=_field("兑付金额（元）")),
        migrations.AlterField(model_name="fulfilmentevent", name="amount", field=_field("金额（元）")),
        migrations.RunPython(to_yuan, to_wan, elidable=False),
    ]
