"""Reading and checking an Excel import of the register (企业导入): the workbook's rows, each
cleaned into what it would write or why it cannot, against what the user may see. Nothing here
writes to the register; the job's steps and the bulk writes are actions
(`lianqi.enterprises.actions.importing`).

Parsing a large workbook is the slowest part of an import, so validation keeps the cells it read
next to the uploaded file (`save_records`) and the commit checks those again instead of parsing
twice.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from lianqi.core.actors import Actor
from lianqi.core.excel import HeaderError, read_rows, write_workbook
from lianqi.core.models import Job
from lianqi.core.scoping import path_visible, scope_queryset
from lianqi.org.models import Jurisdiction, Staff

from . import creditcode
from .choices import EnterpriseKind, EnterpriseStatus
from .columns import ENTERPRISE_COLUMNS, TAG_SEPARATOR
from .models import Enterprise, Industry, Tag
from .permissions import tags_visible
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
    #: The tag names of the row, settled into `tag_ids` once its jurisdiction is known.
    tag_names: list[str] | None = None
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
        # Name → (id, jurisdiction path) of every tag the user sees: one name may belong to two
        # parks below a city user, so which one a row means depends on the row's jurisdiction.
        self.tags: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for pk, name, path in tags_visible(user).values_list("pk", "name", "jurisdiction_path"):
            self.tags[name].append((pk, path))
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
        row.tag_names = names

    def _check_kept_tags(self, moved: dict[int, PlannedRow]) -> None:
        """An enterprise the file moves to another jurisdiction without a tag column keeps its
        tags; refuse the move when one of them does not fit the new jurisdiction."""
        through = Enterprise.tags.through
        ids = list(moved)
        for start in range(0, len(ids), BATCH_SIZE):
            kept = through.objects.filter(enterprise_id__in=ids[start : start + BATCH_SIZE])
            foreign: dict[int, list[str]] = defaultdict(list)
            for pk, name, home in kept.values_list("enterprise_id", "tag__name", "tag__jurisdiction_path"):
                place = moved[pk].place
                if place is not None and home and not place.path.startswith(home):
                    foreign[pk].append(name)
            for pk, names in foreign.items():
                moved[pk].fail(
                    "jurisdiction",
                    _("企业带有不适用于新辖区的标签：%(names)s；请在标签列中重新填写")
                    % {"names": TAG_SEPARATOR.join(sorted(names))},
                )

    def _settle_tags(self, row: PlannedRow) -> None:
        """The row's tag names as the ids of the tags its jurisdiction may carry
        (`Tag.applies_to`): a national tag or one of its jurisdiction or above."""
        if row.tag_names is None or row.place is None:
            return
        path = row.place.path
        ids: set[int] = set()
        foreign: list[str] = []
        for name in row.tag_names:
            fitting = [pk for pk, home in self.tags[name] if path.startswith(home)]
            if fitting:
                ids.add(fitting[0])
            elif name not in foreign:
                foreign.append(name)
        if foreign:
            row.fail(
                "tags",
                _("以下标签不适用于企业所在辖区：%(names)s") % {"names": TAG_SEPARATOR.join(foreign)},
            )
        else:
            row.tag_ids = sorted(ids)

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
        moved: dict[int, PlannedRow] = {}
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
                elif row.place.path != current.path and row.tag_names is None:
                    moved[pk] = row
        self._check_kept_tags(moved)
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
            self._settle_tags(row)


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


# --- the template ------------------------------------------------------------------------------


def template_workbook(*, user: Actor) -> bytes:
    """An empty import file: the header and one example row that shows each column's form."""
    jurisdiction = getattr(user, "jurisdiction", None)
    tags = list(Tag.objects.filter(jurisdiction__isnull=True).values_list("name", flat=True)[:2])
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
