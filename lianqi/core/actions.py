"""Every write of core: the working-day calendar, the holiday table every deadline is counted
on, and the export log. Each calendar action runs in one transaction, locks the year it changes
and drops the cached calendar once the change is committed, so the next deadline computed
anywhere uses the new table."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from chinese_calendar import __version__ as package_version
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import calendar_store, workdays
from .actors import Actor
from .models import CalendarSource, CalendarYear, ExportRecord, SpecialDay
from .roles import Role, has_role, role_codes

NAME_LENGTH = SpecialDay._meta.get_field("name").max_length or 60
NOTE_LENGTH = CalendarYear._meta.get_field("note").max_length or 200
WEEKDAY_NAMES = (
    gettext_lazy("周一"),
    gettext_lazy("周二"),
    gettext_lazy("周三"),
    gettext_lazy("周四"),
    gettext_lazy("周五"),
    gettext_lazy("周六"),
    gettext_lazy("周日"),
)
#: Years an arrangement may be entered for: the table starts with the package's first year and
#: nobody announces holidays decades ahead.
MIN_YEAR, MAX_YEAR = 2000, 2100


@dataclass(frozen=True)
class DayEntry:
    """One special day as typed by a person: the date, its kind and its name (春节 …)."""

    day: dt.date
    kind: str
    name: str = ""


@dataclass
class LoadReport:
    """What `load_package` did, for the command's output."""

    years: list[int] = field(default_factory=list)
    years_created: int = 0
    created: int = 0
    updated: int = 0
    deleted: int = 0
    kept_manual: int = 0

    @property
    def changed(self) -> int:
        return self.years_created + self.created + self.updated + self.deleted


def entry_problems(entry: DayEntry, year: int) -> list[str]:
    """What is wrong with one entry for `year`, in words for the person who typed it."""
    problems: list[str] = []
    if entry.day.year != year:
        problems.append(_("%(day)s 不在 %(year)s 年内") % {"day": entry.day.isoformat(), "year": year})
    if entry.kind not in SpecialDay.Kind.values:
        problems.append(_("类型“%(kind)s”无效，应为“休”或“班”") % {"kind": entry.kind})
    elif entry.kind == SpecialDay.Kind.WORKDAY and entry.day.weekday() < 5:
        problems.append(
            _("%(day)s 是%(weekday)s，本来就上班；调休上班日应是周六或周日")
            % {"day": entry.day.isoformat(), "weekday": WEEKDAY_NAMES[entry.day.weekday()]}
        )
    if len(entry.name) > NAME_LENGTH:
        problems.append(_("名称不能超过 %(n)d 个字") % {"n": NAME_LENGTH})
    return problems


def _check_admin(actor: Actor | None) -> None:
    # The calendar is national reference data: a wrong row moves every park's deadlines.
    if actor is not None and not has_role(actor, (Role.ADMIN,)):
        raise PermissionDenied(_("只有管理员可以修改节假日安排"))


def _check_year(year: int) -> None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ValidationError({"year": _("年度应在 %(a)d–%(b)d 之间") % {"a": MIN_YEAR, "b": MAX_YEAR}})


def _after_change() -> None:
    calendar_store.invalidate()
    transaction.on_commit(calendar_store.invalidate)
    calendar_store.calendar_changed.send(sender=CalendarYear)


def enter_year(
    *,
    year: int,
    days: Sequence[DayEntry],
    actor: Actor | None,
    note: str = "",
    replace: bool = False,
) -> CalendarYear:
    """Enter a newly announced year's arrangement (国务院办公厅关于某年部分节假日安排的通知):
    its holidays and swapped working weekend days, all at once.

    All or nothing: any invalid or repeated day stops the whole entry. A year that already has
    data is refused unless `replace`, which removes that year's rows (from the package or typed
    by hand) before saving the new ones."""
    _check_admin(actor)
    _check_year(year)
    errors: list[str] = []
    seen: set[dt.date] = set()
    for entry in days:
        errors += entry_problems(entry, year)
        if entry.day in seen:
            errors.append(_("%(day)s 重复") % {"day": entry.day.isoformat()})
        seen.add(entry.day)
    if not days:
        errors.append(_("请至少填写一天"))
    if errors:
        raise ValidationError({"lines": errors})
    if len(note) > NOTE_LENGTH:
        raise ValidationError({"note": _("备注不能超过 %(n)d 个字") % {"n": NOTE_LENGTH}})
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=year).first()
        year_days = SpecialDay.objects.filter(day__year=year)
        if existing is not None or year_days.exists():
            if not replace:
                raise ValidationError(
                    {
                        "year": _("%(year)s 年已有节假日安排；如要整体替换，请勾选“替换该年已有数据”")
                        % {"year": year}
                    }
                )
            list(year_days.select_for_update().values_list("pk", flat=True))
            year_days.delete()
        SpecialDay.objects.bulk_create(
            [
                SpecialDay(
                    day=entry.day,
                    kind=entry.kind,
                    name=entry.name.strip(),
                    source=CalendarSource.MANUAL,
                    changed_by=actor,
                )
                for entry in sorted(days, key=lambda e: e.day)
            ]
        )
        if existing is None:
            existing = CalendarYear(year=year)
        existing.loaded_from = CalendarSource.MANUAL
        existing.note = note
        existing.changed_by = actor
        existing.save()
        _after_change()
    return existing


def set_day(*, day: dt.date, kind: str, name: str = "", actor: Actor | None) -> SpecialDay:
    """Add or correct one special day of a year that is already entered (a late change to the
    arrangement, a typing mistake). The row becomes a manual one, which `load_holidays` keeps."""
    _check_admin(actor)
    problems = entry_problems(DayEntry(day, kind, name), day.year)
    if problems:
        raise ValidationError({"day": problems})
    with transaction.atomic():
        calendar_year = CalendarYear.objects.select_for_update().filter(year=day.year).first()
        if calendar_year is None:
            raise ValidationError(
                {"day": _("%(year)s 年的安排尚未录入，请先录入该年度") % {"year": day.year}}
            )
        row = SpecialDay.objects.select_for_update().filter(day=day).first() or SpecialDay(day=day)
        row.kind = kind
        row.name = name.strip()
        row.source = CalendarSource.MANUAL
        row.changed_by = actor
        row.save()
        calendar_year.changed_by = actor
        calendar_year.save(update_fields=["changed_by", "updated_at"])
        _after_change()
    return row


def remove_day(*, day: dt.date, actor: Actor | None) -> None:
    """Take one special day out of the table: the day becomes an ordinary weekday or weekend."""
    _check_admin(actor)
    with transaction.atomic():
        calendar_year = CalendarYear.objects.select_for_update().filter(year=day.year).first()
        row = SpecialDay.objects.select_for_update().filter(day=day).first()
        if row is None:
            raise ValidationError({"day": _("%(day)s 不在节假日安排中") % {"day": day.isoformat()}})
        row.delete()
        if calendar_year is not None:
            calendar_year.changed_by = actor
            calendar_year.save(update_fields=["changed_by", "updated_at"])
        _after_change()


def load_package(
    *, years: Iterable[int] | None = None, overwrite: bool = False, actor: Actor | None = None
) -> LoadReport:
    """Load the arrangements of the installed ``chinese-calendar`` package into the table.

    Idempotent: running it twice changes nothing the second time. Rows typed by hand are kept
    (the package does not know a correction made here) unless `overwrite`, which makes each
    loaded year exactly the package's. Rows the package once had and has since dropped are
    removed. Years outside the package's range are refused."""
    _check_admin(actor)
    available = workdays.package_years()
    chosen = sorted(set(years)) if years is not None else list(available)
    outside = [y for y in chosen if y not in available]
    if outside:
        raise ValidationError(
            {
                "year": _("数据包没有 %(years)s 年的数据（支持 %(first)d–%(last)d 年）")
                % {
                    "years": "、".join(str(y) for y in outside),
                    "first": available.start,
                    "last": available.stop - 1,
                }
            }
        )
    report = LoadReport(years=chosen)
    with transaction.atomic():
        for year in chosen:
            _load_package_year(year, overwrite, actor, report)
        if report.changed:
            _after_change()
    return report


def _load_package_year(year: int, overwrite: bool, actor: Actor | None, report: LoadReport) -> None:
    calendar_year = CalendarYear.objects.select_for_update().filter(year=year).first()
    if calendar_year is None:
        CalendarYear.objects.create(
            year=year,
            loaded_from=CalendarSource.PACKAGE,
            note=f"chinese-calendar {package_version}",
            changed_by=actor,
        )
        report.years_created += 1
    elif overwrite and calendar_year.loaded_from != CalendarSource.PACKAGE:
        calendar_year.loaded_from = CalendarSource.PACKAGE
        calendar_year.changed_by = actor
        calendar_year.save()
        report.updated += 1
    wanted = {entry.day: entry for entry in workdays.package_days(year)}
    current = {row.day: row for row in SpecialDay.objects.select_for_update().filter(day__year=year)}
    for day, row in current.items():
        if row.source == CalendarSource.MANUAL and not overwrite:
            report.kept_manual += 1
        elif day not in wanted:
            row.delete()
            report.deleted += 1
    for day, entry in wanted.items():
        existing = current.get(day)
        if existing is None:
            SpecialDay.objects.create(
                day=day, kind=entry.kind, name=entry.name, source=CalendarSource.PACKAGE, changed_by=actor
            )
            report.created += 1
        elif existing.source == CalendarSource.MANUAL and not overwrite:
            continue
        elif (existing.kind, existing.name, existing.source) != (
            entry.kind,
            entry.name,
            CalendarSource.PACKAGE,
        ):
            existing.kind, existing.name, existing.source, existing.changed_by = (
                entry.kind,
                entry.name,
                CalendarSource.PACKAGE,
                actor,
            )
            existing.save()
            report.updated += 1


# --- The export log ----------------------------------------------------------------------------


def record_export(
    *,
    actor: Actor,
    export: str,
    title: str,
    query: str,
    rows: int,
    masked_columns: Sequence[str] = (),
    at: dt.datetime,
) -> ExportRecord:
    """Write down that `actor` took an Excel file out: which `export` (a stable key such as
    ``org.staff``) under which `title`, the filter `query` string, the number of data `rows`
    and the titles of the columns masked for them. Appends one row; nothing changes it later."""
    jurisdiction = getattr(actor, "jurisdiction", None)
    with transaction.atomic():
        return ExportRecord.objects.create(
            at=at,
            user=actor,
            username=actor.username,
            roles=",".join(sorted(role_codes(actor))),
            jurisdiction=jurisdiction,
            jurisdiction_path=jurisdiction.path if jurisdiction is not None else "",
            export=export[:60],
            title=title[:100],
            query=query,
            rows=rows,
            masked_columns=list(masked_columns),
        )
