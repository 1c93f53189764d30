"""Reading a liaison spreadsheet (统一社会信用代码, 联企干部, 联企干部手机号) and checking each
row against the user's jurisdiction. Nothing is written here: the result is a list of valid
(enterprise, staff) pairs and a list of bad rows with their reasons, which the user sees before
anything is applied."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils.translation import gettext as _

from lianqi.core.excel import Column, HeaderError, read_rows
from lianqi.enterprises import creditcode
from lianqi.enterprises.columns import ENTERPRISE_COLUMNS
from lianqi.enterprises.permissions import visible as enterprises_visible
from lianqi.org.models import Staff

from .permissions import staff_visible

LIAISON_COLUMNS: tuple[Column, ...] = (
    Column("credit_code", "统一社会信用代码", required=True, aliases=("信用代码", "Credit code")),
    Column("liaison_name", "联企干部", required=True, aliases=("联企干部姓名", "Liaison")),
    Column("liaison_phone", "联企干部手机号", aliases=("手机号", "Liaison phone")),
)
#: The other columns of the enterprise spreadsheet are accepted and ignored, so that an
#: exported register can be edited and imported here unchanged.
ACCEPTED_COLUMNS: tuple[Column, ...] = LIAISON_COLUMNS + tuple(
    Column(c.key, c.title, False, c.aliases)
    for c in ENTERPRISE_COLUMNS
    if c.key not in {x.key for x in LIAISON_COLUMNS}
)
MAX_ROWS = 20000


@dataclass
class ParsedImport:
    """The outcome of reading a file: valid rows, unchanged rows and bad rows."""

    valid: list[dict[str, Any]] = field(default_factory=list)
    errors: list[dict[str, Any]] = field(default_factory=list)
    unchanged: int = 0
    total: int = 0
    header_error: str = ""

    def as_result(self) -> dict[str, Any]:
        return {
            "valid": self.valid,
            "errors": self.errors,
            "unchanged": self.unchanged,
            "header_error": self.header_error,
        }


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # a phone number typed into a numeric cell
    return str(value).strip()


def _header_message(error: HeaderError) -> str:
    parts = []
    if error.missing:
        parts.append(_("缺少列：%(cols)s") % {"cols": "、".join(error.missing)})
    if error.unknown:
        parts.append(_("无法识别的列：%(cols)s") % {"cols": "、".join(error.unknown)})
    return "；".join(parts)


def parse_liaison_file(source: str | IO[bytes], user: Any) -> ParsedImport:
    """Check every row of a liaison spreadsheet against what `user` may see."""
    result = ParsedImport()
    try:
        _total, rows_iter = read_rows(source, ACCEPTED_COLUMNS)
    except HeaderError as error:
        result.header_error = _header_message(error)
        return result
    except Exception:  # openpyxl raises many kinds of errors on a damaged file
        result.header_error = _("无法读取该文件，请确认它是 .xlsx 格式的 Excel 文件")
        return result

    rows: list[tuple[int, str, str, str, str]] = []
    for number, record in rows_iter:
        raw_code = _text(record.get("credit_code"))
        rows.append(
            (
                number,
                raw_code,
                creditcode.normalise(raw_code),
                _text(record.get("liaison_name")),
                _text(record.get("liaison_phone")),
            )
        )
        if len(rows) > MAX_ROWS:
            result.header_error = _("一次最多导入 %(n)d 行") % {"n": MAX_ROWS}
            return result
    result.total = len(rows)

    codes = {code for _n, _raw, code, _name, _phone in rows if code}
    enterprises = {
        e.credit_code: e
        for e in enterprises_visible(user)
        .filter(credit_code__in=codes)
        .only("pk", "credit_code", "name", "liaison_id", "jurisdiction_path")
    }
    names = {name for *_rest, name, _phone in rows if name}
    staff_by_name: dict[str, list[Staff]] = defaultdict(list)
    for member in staff_visible(user).filter(name__in=names).order_by("pk"):
        staff_by_name[member.name].append(member)

    first_row: dict[str, int] = {}
    for number, raw_code, code, name, phone in rows:

        def bad(reason: str, number: int = number, raw_code: str = raw_code, name: str = name) -> None:
            result.errors.append({"row": number, "code": raw_code, "name": name, "reason": reason})

        if not code:
            bad(_("缺少统一社会信用代码"))
            continue
        if not creditcode.is_valid(code):
            bad(_("统一社会信用代码格式不正确"))
            continue
        enterprise = enterprises.get(code)
        if enterprise is None:
            bad(_("本辖区没有该统一社会信用代码的企业"))
            continue
        if code in first_row:
            bad(_("与第 %(row)d 行的企业重复") % {"row": first_row[code]})
            continue
        first_row[code] = number
        if not name:
            bad(_("缺少联企干部姓名"))
            continue
        namesakes = staff_by_name.get(name, [])
        if not namesakes:
            bad(_("本辖区没有名为“%(name)s”的干部") % {"name": name})
            continue
        if phone:
            namesakes = [s for s in namesakes if s.phone.strip() == phone]
            if not namesakes:
                bad(_("“%(name)s”的手机号与填写的不符") % {"name": name})
                continue
        active = [s for s in namesakes if s.is_active]
        if not active:
            bad(_("“%(name)s”已离岗，不能担任联企干部") % {"name": name})
            continue
        if len(active) > 1:
            bad(
                _("本辖区有 %(n)d 名在岗干部叫“%(name)s”，请填写联企干部手机号加以区分")
                % {"n": len(active), "name": name}
            )
            continue
        staff = active[0]
        path, staff_path = enterprise.jurisdiction_path, staff.jurisdiction_path
        if not (path.startswith(staff_path) or staff_path.startswith(path)):
            bad(_("“%(name)s”不在该企业所在辖区") % {"name": name})
            continue
        if enterprise.liaison_id == staff.pk:
            result.unchanged += 1
            continue
        result.valid.append(
            {
                "row": number,
                "enterprise": enterprise.pk,
                "enterprise_name": enterprise.name,
                "code": code,
                "staff": staff.pk,
                "staff_name": staff.name,
            }
        )
    return result
