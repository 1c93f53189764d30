"""Importing the enterprise register from Excel (企业导入).

An import is a `Job` that goes through two steps, each of which can run in a background worker:

1. *Validation* reads every row of the uploaded workbook and records, in `Job.result`, how many
   rows would create an enterprise, how many would update one, and every problem of every bad
   row (Excel row number, column, reason). Nothing is written to the register.
2. *Commit* reads and validates the file again (the register may have changed in between) and,
   in one transaction, creates the new enterprises, updates the existing ones, sets their tags
   and hands the liaisons named in the file to `lianqi.liaisons.actions.set_liaisons`, so each
   liaison change is recorded. If anything fails, nothing is written and the job says why.

Both steps read the job by id and check its state first, so running one twice is harmless.
Writes use bulk operations (with simple-history's bulk helpers, so every change keeps its
author) because a park imports tens of thousands of rows at once.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lianqi.core.actors import Actor
from lianqi.core.excel import HeaderError, read_rows, write_workbook
from lianqi.core.models import Job
from lianqi.core.scoping import path_visible, scope_queryset
from lianqi.org.models import Jurisdiction, Staff

from . import creditcode
from .choices import EnterpriseKind, EnterpriseStatus
from .columns import ENTERPRISE_COLUMNS, TAG_SEPARATOR
from .models import Enterprise, Industry, Tag
from .signals import answered, first_liaisons_named, liaisons_planned
from .validators import credit_code_message

logger = logging.getLogger(__name__)

#: How often (in rows) validation reports its progress on the job.
PROGRESS_EVERY = 500
#: Rows per INSERT / UPDATE statement.
BATCH_SIZE = 1000

TITLES: dict[str, str] = {c.key: c.title for c in ENTERPRISE_COLUMNS}

#: Columns whose cell is copied into an Enterprise field of the same name.
TEXT_FIELDS = {"name": 200, "legal_representative": 50, "address": 255}
#: Fields an import may change on an existing enterprise (the liaison is set separately).
UPDATABLE_FIELDS = (
    "name",
    "kind",
    "status",
    "industry_id",
    "legal_representative",
    "address",
    "founded_on",
    "registered_capital",
    "employees",
)
TAG_SPLIT = re.compile(r"[、,，;；]")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
MAX_CAPITAL = Decimal("999999999999.99")

PHASE_VALIDATE = "validate"
PHASE_PREVIEW = "preview"
PHASE_COMMIT = "commit"
MODE_ALL = "all"
MODE_VALID = "valid"


class ImportRefused(Exception):
    """The commit cannot go ahead; the message says why, in words for the user."""


@dataclass(frozen=True, slots=True)
class _Place:
    id: int
    path: str


@dataclass(frozen=True, slots=True)
class _Person:
    id: int
    phone: str
    path: str


@dataclass(slots=True)
class PlannedRow:
    """One data row of the workbook, cleaned: what it would write, or why it cannot."""

    number: int
    credit_code: str
    #: Enterprise field → value, only for the columns the file has.
    values: dict[str, Any] = field(default_factory=dict)
    #: Where the enterprise goes; None keeps an existing enterprise where it is.
    place: _Place | None = None
    #: Tag ids to set; None when the file has no tag column (tags stay as they are).
    tag_ids: list[int] | None = None
    liaison: _Person | None = None
    existing_id: int | None = None
    #: (column key, message) pairs; a row with any is not imported.
    errors: list[tuple[str, str]] = field(default_factory=list)

    def fail(self, column: str, message: str) -> None:
        self.errors.append((column, message))


@dataclass
class Validation:
    """The outcome of reading a whole workbook."""

    rows: list[PlannedRow]

    @property
    def bad(self) -> list[PlannedRow]:
        return [r for r in self.rows if r.errors]

    @property
    def new(self) -> list[PlannedRow]:
        return [r for r in self.rows if not r.errors and r.existing_id is None]

    @property
    def updates(self) -> list[PlannedRow]:
        return [r for r in self.rows if not r.errors and r.existing_id is not None]

    def summary(self) -> dict[str, Any]:
        """What the preview shows: counts and every problem as [row, column title, message]."""
        errors = [
            [row.number, TITLES.get(column, column), message]
            for row in self.rows
            for column, message in row.errors
        ]
        return {
            "counts": {
                "total": len(self.rows),
                "new": len(self.new),
                "update": len(self.updates),
                "bad": len(self.bad),
            },
            "errors": errors,
        }


def _text(value: Any) -> str:
    """A cell as text: whole numbers without '.0' (Excel stores typed digits as floats)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _choice_lookup(choices: Any) -> dict[str, str]:
    """Accept both the stored code (above_size) and the Chinese label (规上企业)."""
    lookup: dict[str, str] = {}
    for value, label in choices.choices:
        lookup[value.lower()] = value
        lookup[str(label)] = value
        with translation.override("zh-hans"):
            lookup[str(label)] = value
    return lookup


def _digits(phone: str) -> str:
    return "".join(ch for ch in phone if ch.isdigit())


class RowChecker:
    """Checks rows against what the user may see: their jurisdictions, the industry table, the
    tag vocabulary and their active staff. Reference data is loaded once per import."""

    def __init__(self, *, user: Actor) -> None:
        self.user = user
        self.places = {
            code: _Place(pk, path)
            for pk, code, path in scope_queryset(Jurisdiction.objects.all(), user, field="path").values_list(
                "pk", "code", "path"
            )
        }
        home = getattr(user, "jurisdiction", None)
        self.home = self.places.get(home.code) if home is not None else None
        self.industries = set(Industry.objects.values_list("code", flat=True))
        self.tags = dict(Tag.objects.values_list("name", "pk"))
        self.staff_by_name: dict[str, list[_Person]] = defaultdict(list)
        for pk, name, phone, path in scope_queryset(Staff.objects.filter(is_active=True), user).values_list(
            "pk", "name", "phone", "jurisdiction_path"
        ):
            self.staff_by_name[name.strip()].append(_Person(pk, _digits(phone or ""), path))
        self.kinds = _choice_lookup(EnterpriseKind)
        self.statuses = _choice_lookup(EnterpriseStatus)
        self.first_row_of: dict[str, PlannedRow] = {}
        self.duplicate_flagged: set[int] = set()

    # --- one row ------------------------------------------------------------------------------

    def check(self, number: int, record: dict[str, Any]) -> PlannedRow:
        row = PlannedRow(number=number, credit_code="")
        self._credit_code(row, record.get("credit_code"))
        for key, limit in TEXT_FIELDS.items():
            if key in record:
                self._text_field(row, key, record[key], limit)
        if "kind" in record:
            self._choice(row, "kind", record["kind"], self.kinds, required=True)
        if "status" in record:
            self._choice(row, "status", record["status"], self.statuses, required=False)
        if "industry" in record:
            self._industry(row, record["industry"])
        if "jurisdiction" in record:
            self._jurisdiction(row, record["jurisdiction"])
        if "founded_on" in record:
            self._date(row, "founded_on", record["founded_on"])
        if "registered_capital" in record:
            self._capital(row, record["registered_capital"])
        if "employees" in record:
            self._employees(row, record["employees"])
        if "tags" in record:
            self._tags(row, record["tags"])
        self._liaison(row, record.get("liaison_name"), record.get("liaison_phone"))
        return row

    def _credit_code(self, row: PlannedRow, value: Any) -> None:
        raw = _text(value)
        if not raw:
            row.fail("credit_code", _("统一社会信用代码不能为空"))
            return
        code = creditcode.normalise(raw)
        message = credit_code_message(code)
        if message:
            row.fail("credit_code", message)
            return
        row.credit_code = code
        first = self.first_row_of.get(code)
        if first is None:
            self.first_row_of[code] = row
            return
        row.fail("credit_code", _("与第 %(row)d 行的统一社会信用代码重复") % {"row": first.number})
        if first.number not in self.duplicate_flagged:
            self.duplicate_flagged.add(first.number)
            first.fail("credit_code", _("与第 %(row)d 行的统一社会信用代码重复") % {"row": row.number})

    def _text_field(self, row: PlannedRow, key: str, value: Any, limit: int) -> None:
        text = _text(value)
        if key == "name" and not text:
            row.fail(key, _("企业名称不能为空"))
        elif len(text) > limit:
            row.fail(key, _("不能超过 %(n)d 个字") % {"n": limit})
        else:
            row.values[key] = text

    def _choice(self, row: PlannedRow, key: str, value: Any, lookup: dict[str, str], required: bool) -> None:
        text = _text(value)
        if not text:
            if required:
                row.fail(key, _("不能为空"))
            return
        found = lookup.get(text) or lookup.get(text.lower())
        if found is None:
            labels = "、".join(sorted({k for k in lookup if not k.isascii()}))
            row.fail(key, _("无法识别“%(value)s”，可填：%(labels)s") % {"value": text, "labels": labels})
        else:
            row.values[key] = found

    def _industry(self, row: PlannedRow, value: Any) -> None:
        text = _text(value).upper()
        if not text:
            row.fail("industry", _("行业代码不能为空"))
            return
        # A code typed as a number loses its leading zero (01 农业 → 1).
        candidates = [text, text.zfill(len(text) + 1)] if text.isdigit() and len(text) % 2 else [text]
        found = next((c for c in candidates if c in self.industries), None)
        if found is None:
            row.fail("industry", _("行业代码“%(code)s”不存在（应为 GB/T 4754 行业代码）") % {"code": text})
        else:
            row.values["industry_id"] = found

    def _jurisdiction(self, row: PlannedRow, value: Any) -> None:
        code = _text(value)
        if not code:
            return
        place = self.places.get(code)
        if place is None:
            row.fail("jurisdiction", _("辖区代码“%(code)s”不存在或不在您的管辖范围内") % {"code": code})
        else:
            row.place = place

    def _date(self, row: PlannedRow, key: str, value: Any) -> None:
        if value is None:
            row.values[key] = None
            return
        if isinstance(value, dt.datetime):
            row.values[key] = value.date()
            return
        if isinstance(value, dt.date):
            row.values[key] = value
            return
        text = _text(value)
        if isinstance(value, int | float) and len(text) != 8:
            # A date cell that lost its format arrives as Excel's day number.
            try:
                row.values[key] = from_excel(value).date()
                return
            except (ValueError, OverflowError, TypeError):
                pass
        for fmt in DATE_FORMATS:
            try:
                row.values[key] = dt.datetime.strptime(text, fmt).date()
                return
            except ValueError:
                continue
        row.fail(key, _("日期“%(value)s”无法识别，请写成 2020-01-31") % {"value": text})

    def _capital(self, row: PlannedRow, value: Any) -> None:
        if value is None:
            row.values["registered_capital"] = None
            return
        text = _text(value).replace(",", "").replace("，", "")
        try:
            amount = Decimal(text).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError):
            row.fail("registered_capital", _("“%(value)s”不是数字") % {"value": text})
            return
        if amount < 0 or amount > MAX_CAPITAL:
            row.fail("registered_capital", _("注册资本应在 0 至 999999999999.99 万元之间"))
        else:
            row.values["registered_capital"] = amount

    def _employees(self, row: PlannedRow, value: Any) -> None:
        if value is None:
            row.values["employees"] = None
            return
        text = _text(value).replace(",", "")
        try:
            number = int(text)
        except ValueError:
            row.fail("employees", _("“%(value)s”不是整数") % {"value": text})
            return
        if number < 0 or number > 2_147_483_647:
            row.fail("employees", _("从业人数不能为负数或过大"))
        else:
            row.values["employees"] = number

    def _tags(self, row: PlannedRow, value: Any) -> None:
        names = [n.strip() for n in TAG_SPLIT.split(_text(value)) if n.strip()]
        unknown = [n for n in names if n not in self.tags]
        if unknown:
            row.fail("tags", _("标签不存在：%(names)s") % {"names": TAG_SEPARATOR.join(unknown)})
            return
        row.tag_ids = sorted({self.tags[n] for n in names})

    def _liaison(self, row: PlannedRow, name_value: Any, phone_value: Any) -> None:
        name, phone = _text(name_value), _digits(_text(phone_value))
        if not name:
            if phone:
                row.fail("liaison_name", _("填写了联企干部手机号，但没有填写姓名"))
            return
        people = self.staff_by_name.get(name, [])
        if phone:
            people = [p for p in people if p.phone == phone]
        if not people:
            if phone:
                message = _("未找到姓名为“%(name)s”、手机号为 %(phone)s 的在岗干部") % {
                    "name": name,
                    "phone": phone,
                }
            else:
                message = _("未找到在岗干部“%(name)s”") % {"name": name}
            row.fail("liaison_name", message)
        elif len(people) > 1:
            row.fail(
                "liaison_name",
                _("有 %(n)d 名在岗干部叫“%(name)s”，请填写联企干部手机号以区分")
                % {"n": len(people), "name": name},
            )
        else:
            row.liaison = people[0]

    # --- after all rows: what the register already holds -----------------------------------

    def resolve(self, rows: Sequence[PlannedRow]) -> None:
        """Match rows to existing enterprises, refuse codes registered outside the user's scope
        without naming them, and settle each row's jurisdiction and liaison."""
        coded = [r for r in rows if r.credit_code]
        for start in range(0, len(coded), BATCH_SIZE):
            chunk = coded[start : start + BATCH_SIZE]
            existing = {
                code: (pk, _Place(jurisdiction_id, path))
                for code, pk, jurisdiction_id, path in Enterprise.objects.filter(
                    credit_code__in=[r.credit_code for r in chunk]
                ).values_list("credit_code", "pk", "jurisdiction_id", "jurisdiction_path")
            }
            for row in chunk:
                found = existing.get(row.credit_code)
                if found is None:
                    continue
                pk, current = found
                if not path_visible(self.user, current.path):
                    row.fail("credit_code", _("该统一社会信用代码已在其他辖区登记，不能导入"))
                    continue
                row.existing_id = pk
                if row.place is None:
                    row.place = current  # an empty jurisdiction cell keeps it where it is
        for row in rows:
            if row.existing_id is None and row.place is None:
                if self.home is None:
                    row.fail("jurisdiction", _("请填写辖区代码"))
                    continue
                row.place = self.home
            if row.liaison is not None and row.place is not None:
                staff, target = row.liaison.path, row.place.path
                if not (target.startswith(staff) or staff.startswith(target)):
                    row.fail("liaison_name", _("该干部不在企业所在辖区，不能担任联企干部"))


Records = list[tuple[int, dict[str, Any]]]


def read_records(*, source: str | IO[bytes], progress: Callable[[int, int], None] | None = None) -> Records:
    """Every data row of the workbook as (Excel row number, {column key: cell value}).
    Raises `HeaderError` when the header does not fit."""
    total, rows = read_rows(source, ENTERPRISE_COLUMNS)
    if progress is not None:
        progress(0, total)
    records: Records = []
    for index, record in enumerate(rows, start=1):
        records.append(record)
        if progress is not None and index % PROGRESS_EVERY == 0:
            # Files written in openpyxl's write-only mode do not record their size: 0 = unknown.
            progress(index, total if total >= index else 0)
    return records


def check_records(*, records: Records, user: Actor) -> Validation:
    """Check every row against the register and the user's scope as they are now."""
    checker = RowChecker(user=user)
    rows = [checker.check(number, record) for number, record in records]
    checker.resolve(rows)
    return Validation(rows=rows)


def validate_workbook(
    *, source: str | IO[bytes], user: Actor, progress: Callable[[int, int], None] | None = None
) -> Validation:
    """Read and check every row. Raises `HeaderError` when the header does not fit."""
    return check_records(records=read_records(source=source, progress=progress), user=user)


# Parsing a large workbook is the slowest part of an import, so validation keeps the cells it
# read next to the uploaded file and the commit checks those again instead of parsing twice.


def _encode_cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, dt.date):
        return {"$date": value.isoformat()}
    return str(value)


def _decode_cell(value: dict[str, str]) -> Any:
    if "$datetime" in value:
        return dt.datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return dt.date.fromisoformat(value["$date"])
    return value


def _records_name(job: Job) -> str:
    return f"{job.file.name}.rows.json"


def save_records(job: Job, records: Records) -> None:
    name = _records_name(job)
    if default_storage.exists(name):
        default_storage.delete(name)
    payload = json.dumps(records, ensure_ascii=False, separators=(",", ":"), default=_encode_cell)
    default_storage.save(name, ContentFile(payload.encode()))


def load_records(job: Job) -> Records | None:
    """The cells stored by validation, or None when they are gone (then the file is read)."""
    name = _records_name(job)
    if not job.file.name or not default_storage.exists(name):
        return None
    with default_storage.open(name, "rb") as handle:
        data = json.loads(handle.read(), object_hook=_decode_cell)
    return [(number, record) for number, record in data]


def discard_records(job: Job) -> None:
    name = _records_name(job)
    try:
        if job.file.name and default_storage.exists(name):
            default_storage.delete(name)
    except OSError:  # the import is written; a leftover cache file is only untidy
        logger.warning("enterprise import %s: could not delete %s", job.pk, name)


def header_message(error: HeaderError) -> str:
    """The header problem in words: which columns are missing and which are not known."""
    parts: list[str] = []
    if error.missing:
        parts.append(_("缺少列：%(columns)s") % {"columns": "、".join(error.missing)})
    if error.unknown:
        parts.append(_("无法识别的列：%(columns)s") % {"columns": "、".join(error.unknown)})
    return _("表头与模板不符。") + "；".join(parts)


# --- writing -----------------------------------------------------------------------------------


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def write_rows(*, rows: Sequence[PlannedRow], actor: Actor, at: dt.datetime) -> dict[str, int]:
    """Create and update the enterprises of valid `rows`, set their tags and liaisons, all in
    one transaction. Returns counts of what changed."""
    valid = [r for r in rows if not r.errors]
    new_rows = [r for r in valid if r.existing_id is None]
    update_rows = [r for r in valid if r.existing_id is not None]
    existing_ids = {r.existing_id for r in update_rows}
    through = Enterprise.tags.through
    liaison_plan: dict[int, int] = {}
    tag_plan: dict[int, list[int]] = {}
    updated: set[int] = set()
    reason = _("Excel 导入")

    places = Jurisdiction.objects.in_bulk({r.place.id for r in valid if r.place is not None})
    with transaction.atomic():
        # New enterprises, with a history record each ("+", by the actor), inserted with their
        # liaison already set; the liaison history is recorded right after.
        created: list[Enterprise] = []
        for chunk in _batches(new_rows, BATCH_SIZE):
            objs = []
            for row in chunk:
                assert row.place is not None
                enterprise = Enterprise(
                    credit_code=row.credit_code,
                    jurisdiction=places[row.place.id],
                    liaison_id=row.liaison.id if row.liaison is not None else None,
                    **row.values,
                )
                enterprise.fill_derived_fields()  # bulk_create skips save()
                objs.append(enterprise)
            created.extend(
                bulk_create_with_history(
                    objs,
                    Enterprise,
                    batch_size=BATCH_SIZE,
                    default_user=actor,
                    default_date=at,
                    default_change_reason=reason,
                )
            )
        for row, enterprise in zip(new_rows, created, strict=True):
            if row.tag_ids:
                tag_plan[enterprise.pk] = row.tag_ids
        liaison_changes = answered(
            first_liaisons_named.send(
                sender=Enterprise, enterprises=created, actor=actor, method="excel", reason=reason, at=at
            )
        )

        # Existing enterprises: only rows whose fields change get a history record ("~").
        changed_fields: set[str] = set()
        for chunk in _batches(update_rows, BATCH_SIZE):
            by_id = Enterprise.objects.select_for_update().in_bulk([r.existing_id for r in chunk])
            changed: list[Enterprise] = []
            for row in chunk:
                enterprise = by_id[row.existing_id]
                fields = [k for k, v in row.values.items() if getattr(enterprise, k) != v]
                assert row.place is not None
                moves = row.place.id != enterprise.jurisdiction_id
                for name in fields:
                    setattr(enterprise, name, row.values[name])
                if moves:
                    fields.append("jurisdiction")
                if fields:
                    enterprise.updated_at = at
                    enterprise.jurisdiction = places[row.place.id]
                    enterprise.fill_derived_fields()  # bulk_update skips save()
                    changed_fields.update(fields)
                    changed.append(enterprise)
                    updated.add(enterprise.pk)
                if row.tag_ids is not None:
                    tag_plan[enterprise.pk] = row.tag_ids
                if row.liaison is not None:
                    liaison_plan[enterprise.pk] = row.liaison.id
                    if enterprise.liaison_id != row.liaison.id:
                        updated.add(enterprise.pk)
            if changed:
                names = {"jurisdiction_id" if f == "jurisdiction" else f for f in changed_fields}
                bulk_update_with_history(
                    changed,
                    Enterprise,
                    fields=sorted(names | {"jurisdiction_path", "search_text", "updated_at"}),
                    batch_size=BATCH_SIZE,
                    default_user=actor,
                    default_date=at,
                    default_change_reason=reason,
                )

        # Tags: replace the set of each enterprise the file names tags for.
        retagged_existing = [r.existing_id for r in update_rows if r.tag_ids is not None]
        current: dict[int, set[int]] = defaultdict(set)
        for chunk in _batches(retagged_existing, BATCH_SIZE):
            for enterprise_id, tag_id in through.objects.filter(enterprise_id__in=chunk).values_list(
                "enterprise_id", "tag_id"
            ):
                current[enterprise_id].add(tag_id)
        retag = [pk for pk, tag_ids in tag_plan.items() if set(tag_ids) != current.get(pk, set())]
        for chunk in _batches([pk for pk in retag if pk in existing_ids], BATCH_SIZE):
            through.objects.filter(enterprise_id__in=chunk).delete()
        through.objects.bulk_create(
            [through(enterprise_id=pk, tag_id=tag_id) for pk in retag for tag_id in tag_plan[pk]],
            batch_size=BATCH_SIZE,
        )
        updated.update(pk for pk in retag if pk in existing_ids)

        # Liaisons: changed by the liaison layout, so each change is kept in its history.
        staff = Staff.objects.in_bulk(set(liaison_plan.values()))
        liaison_changes += answered(
            liaisons_planned.send(
                sender=Enterprise,
                plan={pk: staff[staff_id] for pk, staff_id in sorted(liaison_plan.items())},
                actor=actor,
                method="excel",
                reason=reason,
                at=at,
            )
        )

    return {
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(existing_ids - updated),
        "liaisons": liaison_changes,
        "skipped": len(rows) - len(valid),
    }


# --- the job ----------------------------------------------------------------------------------


def import_jobs_visible(user: Any) -> QuerySet[Job]:
    """The enterprise imports of the user's jurisdiction and those below it."""
    return scope_queryset(
        Job.objects.filter(kind=Job.Kind.ENTERPRISE_IMPORT).select_related("owner", "jurisdiction"),
        user,
        field="jurisdiction__path",
    )


def start_import(*, actor: Actor, upload: UploadedFile) -> Job:
    """Store the uploaded workbook as a new import job and queue its validation."""
    from .tasks import validate_enterprise_import

    if actor.jurisdiction is None:
        raise ValidationError({"file": _("您的账号没有所属辖区，不能导入企业")})
    with transaction.atomic():
        job = Job(
            kind=Job.Kind.ENTERPRISE_IMPORT,
            owner=actor,
            jurisdiction=actor.jurisdiction,
            original_name=(upload.name or "")[:255],
            result={"phase": PHASE_VALIDATE},
        )
        job.file.save(f"enterprise-import-{timezone.localtime():%Y%m%d%H%M%S}.xlsx", upload, save=False)
        job.save()
        job_id = job.pk
        transaction.on_commit(lambda: validate_enterprise_import.enqueue(job_id))
    return job


def _fail(job_id: int, message: str) -> None:
    Job.objects.filter(pk=job_id).update(
        status=Job.Status.FAILED, error=message, finished_at=timezone.now(), updated_at=timezone.now()
    )


def run_validation(*, job_id: int) -> None:
    """Validate a job's workbook into its preview. Does nothing for a job past that step."""
    job = Job.objects.select_related("owner").filter(pk=job_id).first()
    if job is None or job.status not in {Job.Status.QUEUED, Job.Status.RUNNING}:
        return
    if job.result.get("phase", PHASE_VALIDATE) != PHASE_VALIDATE:
        return
    Job.objects.filter(pk=job_id).update(status=Job.Status.RUNNING, processed=0, updated_at=timezone.now())

    def progress(done: int, total: int) -> None:
        Job.objects.filter(pk=job_id).update(processed=done, total=total)

    try:
        with job.file.open("rb") as handle:
            records = read_records(source=handle, progress=progress)
        validation = check_records(records=records, user=job.owner)
        save_records(job, records)
    except HeaderError as exc:
        _fail(job_id, header_message(exc))
        return
    except Exception:
        logger.exception("enterprise import %s: validation failed", job_id)
        _fail(job_id, _("读取文件时出错，请检查文件后重新上传"))
        return
    summary = validation.summary()
    count = summary["counts"]["total"]
    Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
        status=Job.Status.READY,
        total=count,
        processed=count,
        result={"phase": PHASE_PREVIEW, **summary},
        updated_at=timezone.now(),
    )


def request_commit(*, job: Job, actor: Actor, mode: str) -> Job:
    """Ask for a previewed job to be written: `mode` "all" (only when no row is bad) or
    "valid" (the bad rows are left out). Queues the commit."""
    from .tasks import commit_enterprise_import

    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status != Job.Status.READY:
            raise ValidationError(_("该导入当前不能确认（状态：%(s)s）") % {"s": locked.get_status_display()})
        counts = locked.result.get("counts", {})
        valid = counts.get("new", 0) + counts.get("update", 0)
        if mode == MODE_ALL and counts.get("bad", 0):
            raise ValidationError(
                _("还有 %(bad)d 行有问题，不能全部导入；可以只导入 %(valid)d 行无误的数据")
                % {"bad": counts["bad"], "valid": valid}
            )
        if mode not in {MODE_ALL, MODE_VALID}:
            raise ValidationError(_("请选择导入方式"))
        if not valid:
            raise ValidationError(_("没有可以导入的行"))
        locked.status = Job.Status.RUNNING
        locked.error = ""
        locked.result = {**locked.result, "phase": PHASE_COMMIT, "mode": mode, "actor": actor.pk}
        locked.save(update_fields=["status", "error", "result", "updated_at"])
        transaction.on_commit(lambda: commit_enterprise_import.enqueue(locked.pk))
    return locked


def run_commit(*, job_id: int) -> None:
    """Validate the workbook again and write it in one transaction; on any failure nothing is
    written and the job records why. Does nothing for a job that is not waiting to commit."""
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.status != Job.Status.RUNNING or job.result.get("phase") != PHASE_COMMIT:
        return
    try:
        with transaction.atomic():
            locked = Job.objects.select_for_update().get(pk=job_id)
            if locked.status != Job.Status.RUNNING or locked.result.get("phase") != PHASE_COMMIT:
                return
            # The account model through Django's own accessor: the register lies below accounts.
            actor = get_user_model()._default_manager.get(pk=locked.result["actor"])
            records = load_records(locked)
            if records is None:
                with locked.file.open("rb") as handle:
                    records = read_records(source=handle)
            validation = check_records(records=records, user=actor)
            bad = len(validation.bad)
            if locked.result.get("mode") == MODE_ALL and bad:
                raise ImportRefused(
                    _("确认导入时重新校验发现 %(n)d 行有问题，未写入任何数据，请重新上传") % {"n": bad}
                )
            now = timezone.now()
            written = write_rows(rows=validation.rows, actor=actor, at=now)
            locked.status = Job.Status.DONE
            locked.finished_at = now
            locked.result = {**locked.result, **validation.summary(), "written": written}
            locked.save(update_fields=["status", "finished_at", "result", "updated_at"])
        discard_records(locked)
    except ImportRefused as exc:
        _fail(job_id, str(exc))
    except ValidationError as exc:
        logger.warning("enterprise import %s: commit refused: %s", job_id, exc)
        _fail(job_id, _("写入时出错，未写入任何数据：%(m)s") % {"m": "；".join(_messages(exc))})
    except Exception:
        logger.exception("enterprise import %s: commit failed", job_id)
        _fail(job_id, _("写入时出错，已全部撤销，未写入任何数据。请稍后重试或联系管理员"))


def _messages(error: ValidationError) -> Iterable[str]:
    if hasattr(error, "message_dict"):
        for messages in error.message_dict.values():
            yield from messages
    else:
        yield from error.messages


# --- the template ------------------------------------------------------------------------------


def template_workbook(*, user: Actor) -> bytes:
    """An empty import file: the header and one example row that shows each column's form."""
    jurisdiction = getattr(user, "jurisdiction", None)
    tags = list(Tag.objects.values_list("name", flat=True)[:2])
    example = {
        "credit_code": creditcode.complete("91430300MA4L00001"),
        "name": _("湘潭示例电气有限公司"),
        "kind": str(EnterpriseKind.ABOVE_SIZE.label),
        "industry": "38",
        "jurisdiction": jurisdiction.code if jurisdiction is not None else "",
        "legal_representative": _("张三"),
        "address": _("示例路 1 号"),
        "founded_on": dt.date(2018, 5, 20),
        "registered_capital": 1000,
        "employees": 120,
        "tags": TAG_SEPARATOR.join(tags),
        "status": str(EnterpriseStatus.ACTIVE.label),
        "liaison_name": "",
        "liaison_phone": "",
    }
    return write_workbook(ENTERPRISE_COLUMNS, [[example[c.key] for c in ENTERPRISE_COLUMNS]], _("企业"))
