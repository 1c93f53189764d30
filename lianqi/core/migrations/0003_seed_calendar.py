"""Seed the holiday table with every year the installed chinese-calendar package knows.

The reading of the package is written out here rather than imported from the app, so that this
migration keeps working whatever later happens to the app's code. Re-running is harmless: only
missing rows are added, and `manage.py load_holidays` refreshes the table later."""

from django.db import migrations


def seed(apps, schema_editor):
    import chinese_calendar

    CalendarYear = apps.get_model("core", "CalendarYear")
    SpecialDay = apps.get_model("core", "SpecialDay")
    chinese = {h.value: h.chinese for h in chinese_calendar.Holiday}
    years = [d.year for d in chinese_calendar.holidays]
    first, last = min(years), max(years)
    known_years = set(CalendarYear.objects.values_list("year", flat=True))
    known_days = set(SpecialDay.objects.values_list("day", flat=True))
    CalendarYear.objects.bulk_create(
        [
            CalendarYear(
                year=year, loaded_from="package", note=f"chinese-calendar {chinese_calendar.__version__}"
            )
            for year in range(first, last + 1)
            if year not in known_years
        ]
    )
    rows = []
    for kind, table in (("holiday", chinese_calendar.holidays), ("workday", chinese_calendar.workdays)):
        for day, name in sorted(table.items()):
            if day not in known_days:
                rows.append(SpecialDay(day=day, kind=kind, name=chinese.get(name, name), source="package"))
                known_days.add(day)
    SpecialDay.objects.bulk_create(rows, batch_size=500)


def unseed(apps, schema_editor):
    apps.get_model("core", "SpecialDay").objects.filter(source="package").delete()
    apps.get_model("core", "CalendarYear").objects.filter(loaded_from="package").delete()


class Migration(migrations.Migration):
    dependencies = [("core", "0002_calendar")]

    operations = [migrations.RunPython(seed, unseed)]
