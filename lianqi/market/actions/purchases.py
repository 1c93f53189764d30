"""Recording purchases: one at a time (the enterprise's account, its liaison or the office) or
from an Excel file of invoices (the office), where every bad row is reported with its row
number and field before anything is saved. A supplier is an enterprise of the register (found
by its credit code or its exact name) or, if unknown, named with its credit code; where it is
registered is fixed when the purchase is recorded: a supplier in the buyer's park or city is
local (本地)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.core.actors import Actor
from lianqi.core.excel import Column, HeaderError, read_rows
from lianqi.core.roles import Role, has_role
from lianqi.core.scoping import path_visible
from lianqi.enterprises import creditcode
from lianqi.enterprises.models import Enterprise

from ..choices import LOCAL_PLACES, PurchaseSource, SupplierPlace
from ..models import Purchase, PurchaseTotal
from .listings import may_record_for, yuan
from .subsidy import follow_corrected_purchases

ZERO = Decimal("0.00")
#: The oldest year a purchase may be recorded for.
FIRST_YEAR = 2000
#: Answers in a yes/no column of the import.
YES = {"是", "Y", "YES", "TRUE", "1", "√"}
NO = {"否", "N", "NO", "FALSE", "0", ""}


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def supplier_place(buyer_path: str, *, supplier_path: str = "", division: str = "") -> str:
    """Where a supplier is registered seen from a buyer at `buyer_path` (province/city/park…):
    in its park, elsewhere in its city, in its province, or outside. A registered supplier is
    placed by its jurisdiction path; an unknown one by the division of registration in its
    credit code (characters 3–8), which for a park is the park's code."""
    buyer = _segments(buyer_path)
    if supplier_path:
        theirs = _segments(supplier_path)
        for depth, place in ((3, SupplierPlace.PARK), (2, SupplierPlace.CITY), (1, SupplierPlace.PROVINCE)):
            if len(buyer) >= depth and theirs[:depth] == buyer[:depth]:
                return place
        return SupplierPlace.ELSEWHERE
    if len(buyer) >= 3 and division == buyer[2]:
        return SupplierPlace.PARK
    if len(buyer) >= 2 and division[:4] == buyer[1][:4]:
        return SupplierPlace.CITY
    if buyer and division[:2] == buyer[0][:2]:
        return SupplierPlace.PROVINCE
    return SupplierPlace.ELSEWHERE


def _flag(value: Any, field_name: str) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value if value is not None else "").strip().upper()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValidationError({field_name: _("请填写“是”或“否”")})


def _year(value: Any, today: dt.date) -> int:
    try:
        year = int(str(value).strip().removesuffix("年")) if value not in (None, "") else 0
    except ValueError:
        year = 0
    if not FIRST_YEAR <= year <= today.year:
        raise ValidationError(
            {"year": _("请填写 %(first)s 至 %(last)s 之间的年度") % {"first": FIRST_YEAR, "last": today.year}}
        )
    return year


def _supplier(
    buyer: Enterprise, supplier: Enterprise | None, name: str, code: str
) -> tuple[Enterprise | None, str, str]:
    """The supplier as (registered enterprise or None, name, credit code)."""
    code = creditcode.normalise(code or "")
    name = (name or "").strip()
    if supplier is None and code:
        if creditcode.problem(code) is not None:
            raise ValidationError({"supplier_credit_code": _("统一社会信用代码无效，请核对")})
        supplier = Enterprise.objects.filter(credit_code=code).first()
    if supplier is None and not code and name:
        named = list(Enterprise.objects.filter(name=name)[:2])
        supplier = named[0] if len(named) == 1 else None
    if supplier is None and not code:
        if not name:
            raise ValidationError({"supplier_name": _("请填写供应商名称")})
        raise ValidationError({"supplier_credit_code": _("供应商不在企业库中，请填写其统一社会信用代码")})
    if supplier is not None:
        if supplier.pk == buyer.pk:
            raise ValidationError({"supplier_name": _("供应商不能是采购企业自己")})
        return supplier, supplier.name, supplier.credit_code
    if not name:
        raise ValidationError({"supplier_name": _("请填写供应商名称")})
    return None, name[:200], code


def prepare_purchase(
    *,
    buyer: Enterprise,
    year: Any,
    amount: Any,
    supplier: Enterprise | None = None,
    supplier_name: str = "",
    supplier_credit_code: str = "",
    item: str = "",
    strategic: Any = False,
    affiliated: Any = False,
    today: dt.date,
) -> Purchase:
    """A purchase checked field by field, not saved: every bad field named at once."""
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    checks = (
        ("year", lambda: _year(year, today)),
        ("amount", lambda: yuan(amount, "amount", required=True)),
        ("strategic", lambda: _flag(strategic, "strategic")),
        ("affiliated", lambda: _flag(affiliated, "affiliated")),
        ("supplier", lambda: _supplier(buyer, supplier, supplier_name, supplier_credit_code)),
    )
    for name, check in checks:
        try:
            values[name] = check()
        except ValidationError as invalid:
            errors.update(invalid.message_dict)
    if errors:
        raise ValidationError(errors)
    found, name, code = values.pop("supplier")
    place = supplier_place(
        buyer.jurisdiction_path,
        supplier_path=found.jurisdiction_path if found is not None else "",
        division=code[2:8],
    )
    return Purchase(
        jurisdiction_id=buyer.jurisdiction_id,
        jurisdiction_path=buyer.jurisdiction_path,
        buyer=buyer,
        supplier=found,
        supplier_name=name,
        supplier_credit_code=code,
        place=place,
        is_local=place in LOCAL_PLACES,
        item=(item or "").strip()[:200],
        **values,
    )


def _source(actor: Actor) -> str:
    return PurchaseSource.ENTERPRISE if has_role(actor, (Role.ENTERPRISE,)) else PurchaseSource.OFFICE


def record_purchase(
    *,
    buyer: Enterprise,
    actor: Actor,
    year: Any,
    amount: Any,
    supplier: Enterprise | None = None,
    supplier_name: str = "",
    supplier_credit_code: str = "",
    item: str = "",
    strategic: bool = False,
    affiliated: bool = False,
    at: dt.datetime | None = None,
) -> Purchase:
    """Record one year's purchases of `buyer` from one supplier: by the enterprise's own
    account, the liaison serving it or the office of its jurisdiction. A supplier not in the
    register must be named with its credit code."""
    at = at or timezone.now()
    if not may_record_for(actor, buyer):
        raise ValidationError({"buyer": _("您不能为该企业登记采购记录")})
    row = prepare_purchase(
        buyer=buyer,
        year=year,
        amount=amount,
        supplier=supplier,
        supplier_name=supplier_name,
        supplier_credit_code=supplier_credit_code,
        item=item,
        strategic=strategic,
        affiliated=affiliated,
        today=timezone.localdate(at),
    )
    row.source = _source(actor)
    row.recorded_by = actor  # type: ignore[assignment]
    with transaction.atomic():
        row.save()
        add_to_totals([row])
    return row


def update_purchase(
    *,
    purchase: Purchase,
    actor: Actor,
    expected_version: int,
    year: Any,
    amount: Any,
    supplier: Enterprise | None = None,
    supplier_name: str = "",
    supplier_credit_code: str = "",
    item: str = "",
    strategic: bool = False,
    affiliated: bool = False,
    at: dt.datetime | None = None,
) -> Purchase:
    """Correct a recorded purchase (checked as a new one; the supplier's place found again),
    by whoever may record for its buyer, at the version the page showed. Its buyer's yearly
    cells move with it in the same transaction, so the chain's local supporting rate and the
    local-purchase subsidy still to be entered read the corrected figures."""
    at = at or timezone.now()
    with transaction.atomic():
        locked = Purchase.objects.select_for_update(of=("self",)).select_related("buyer").get(pk=purchase.pk)
        if not may_record_for(actor, locked.buyer):
            raise ValidationError({"buyer": _("您不能为该企业登记采购记录")})
        if locked.version != expected_version:
            raise ValidationError(_("该采购记录已被他人修改，请刷新后重试"))
        fresh = prepare_purchase(
            buyer=locked.buyer,
            year=year,
            amount=amount,
            supplier=supplier,
            supplier_name=supplier_name,
            supplier_credit_code=supplier_credit_code,
            item=item,
            strategic=strategic,
            affiliated=affiliated,
            today=timezone.localdate(at),
        )
        # What the row added to its yearly cell is taken back, then the corrected row added.
        taken_back = Purchase(
            buyer_id=locked.buyer_id,
            year=locked.year,
            jurisdiction_path=locked.jurisdiction_path,
            amount=-locked.amount,
            is_local=locked.is_local,
            strategic=locked.strategic,
            affiliated=locked.affiliated,
        )
        for name in (
            "year",
            "amount",
            "supplier",
            "supplier_name",
            "supplier_credit_code",
            "place",
            "is_local",
            "item",
            "strategic",
            "affiliated",
        ):
            setattr(locked, name, getattr(fresh, name))
        locked.version += 1
        locked.recorded_by = actor  # type: ignore[assignment]
        locked.save()
        add_to_totals([taken_back, locked])
        # A subsidy already in the policy ledger follows the corrected records.
        follow_corrected_purchases(
            buyer=locked.buyer, years={taken_back.year, locked.year}, actor=actor, at=at
        )
    return locked


#: The import's columns (the office's invoice summary: one row per buyer, year and supplier).
IMPORT_COLUMNS = (
    Column("buyer_credit_code", "采购企业统一社会信用代码", required=True),
    Column("year", "年度", required=True),
    Column("supplier_name", "供应商名称", required=True),
    Column("supplier_credit_code", "供应商统一社会信用代码"),
    Column("item", "采购内容"),
    Column("amount", "采购金额（元）", required=True, aliases=("金额", "金额（元）")),
    Column("strategic", "战略性新兴产业产品", aliases=("战略性新兴产业",)),
    Column("affiliated", "关联企业"),
)


@dataclass(frozen=True)
class RowProblem:
    """A bad row of an import: its Excel row number, the column and what is wrong."""

    row: int
    column: str
    message: str


class ImportRefused(Exception):
    """An import with bad rows: every problem, and nothing saved."""

    def __init__(self, problems: list[RowProblem]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problems")


def _column_title(key: str) -> str:
    for column in IMPORT_COLUMNS:
        if column.key == key:
            return column.title
    if key == "buyer":
        return IMPORT_COLUMNS[0].title
    return key


def import_purchases(*, source: str | IO[bytes], actor: Actor, at: dt.datetime | None = None) -> int:
    """Record the purchases of an Excel file of invoices (the office or a liaison, for the
    enterprises it may record for). Every row is checked first; if any is bad, `ImportRefused`
    lists them all (row, column, message) and nothing is saved. Answers how many were saved."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    if not has_role(actor, (Role.SERVICE_OFFICE, Role.LIAISON)):
        raise ValidationError({"file": _("只有营商办或联企干部可以导入采购记录")})
    try:
        _total, rows = read_rows(source, IMPORT_COLUMNS)
    except HeaderError as wrong:
        parts = []
        if wrong.missing:
            parts.append(_("缺少列：%(names)s") % {"names": "、".join(wrong.missing)})
        if wrong.unknown:
            parts.append(_("无法识别的列：%(names)s") % {"names": "、".join(wrong.unknown)})
        raise ValidationError({"file": "；".join(parts)}) from None
    except Exception:
        raise ValidationError({"file": _("无法读取该文件，请上传 .xlsx 格式的 Excel 文件")}) from None
    buyers: dict[str, Enterprise | None] = {}
    prepared: list[Purchase] = []
    problems: list[RowProblem] = []
    for number, record in rows:
        code = creditcode.normalise(str(record.get("buyer_credit_code") or ""))
        if code not in buyers:
            buyers[code] = Enterprise.objects.filter(credit_code=code).first() if code else None
        buyer = buyers[code]
        if buyer is None or not path_visible(actor, buyer.jurisdiction_path):
            problems.append(
                RowProblem(number, _column_title("buyer_credit_code"), _("企业库中没有该采购企业"))
            )
            continue
        if not may_record_for(actor, buyer):
            problems.append(
                RowProblem(number, _column_title("buyer_credit_code"), _("您不能为该企业登记采购记录"))
            )
            continue
        try:
            row = prepare_purchase(
                buyer=buyer,
                year=record.get("year"),
                amount=record.get("amount"),
                supplier_name=str(record.get("supplier_name") or ""),
                supplier_credit_code=str(record.get("supplier_credit_code") or ""),
                item=str(record.get("item") or ""),
                strategic=record.get("strategic"),
                affiliated=record.get("affiliated"),
                today=today,
            )
        except ValidationError as invalid:
            for key, messages in invalid.message_dict.items():
                problems.extend(RowProblem(number, _column_title(key), m) for m in messages)
            continue
        row.source = PurchaseSource.IMPORT
        row.recorded_by = actor  # type: ignore[assignment]
        prepared.append(row)
    if problems:
        raise ImportRefused(problems)
    if not prepared:
        raise ValidationError({"file": _("文件中没有采购记录")})
    with transaction.atomic():
        Purchase.objects.bulk_create(prepared, batch_size=1000)
        add_to_totals(prepared)
    return len(prepared)


def add_to_totals(rows: list[Purchase]) -> None:
    """Add newly recorded purchases to their buyers' yearly cells, inside the transaction that
    records them. The buyers' rows are locked first, so two recordings for one buyer at once
    are added one after the other, never lost."""
    sums: dict[tuple[int, int], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    paths: dict[int, str] = {}
    for row in rows:
        added = sums[(row.buyer_id, row.year)]
        added[0] += row.amount
        if row.is_local:
            added[1] += row.amount
            if row.strategic and not row.affiliated:
                added[2] += row.amount
        paths[row.buyer_id] = row.jurisdiction_path
    if not sums:
        return
    buyers = sorted(paths)
    list(Enterprise.objects.select_for_update().filter(pk__in=buyers).values_list("pk", flat=True))
    existing = {
        (row.buyer_id, row.year): row
        for row in PurchaseTotal.objects.filter(buyer_id__in=buyers, year__in={y for _b, y in sums})
    }
    fresh: list[PurchaseTotal] = []
    changed: list[PurchaseTotal] = []
    for (buyer, year), (total, local, qualifying) in sums.items():
        cell = existing.get((buyer, year))
        if cell is None:
            fresh.append(
                PurchaseTotal(
                    buyer_id=buyer,
                    year=year,
                    jurisdiction_path=paths[buyer],
                    total=total,
                    local=local,
                    qualifying=qualifying,
                )
            )
        else:
            cell.total += total
            cell.local += local
            cell.qualifying += qualifying
            changed.append(cell)
    PurchaseTotal.objects.bulk_create(fresh, batch_size=1000)
    PurchaseTotal.objects.bulk_update(changed, ["total", "local", "qualifying"], batch_size=1000)


def rebuild_purchase_totals() -> int:
    """Recompute every yearly cell from the purchases (after rows were written by hand or by a
    loader that skipped the actions). Answers how many cells there are."""
    rows = (
        Purchase.objects.values("buyer_id", "year", "jurisdiction_path")
        .annotate(
            sum_total=Sum("amount"),
            sum_local=Sum("amount", filter=Q(is_local=True)),
            sum_qualifying=Sum("amount", filter=Q(is_local=True, strategic=True, affiliated=False)),
        )
        .order_by()
    )
    cells = [
        PurchaseTotal(
            buyer_id=row["buyer_id"],
            year=row["year"],
            jurisdiction_path=row["jurisdiction_path"],
            total=row["sum_total"] or ZERO,
            local=row["sum_local"] or ZERO,
            qualifying=row["sum_qualifying"] or ZERO,
        )
        for row in rows
    ]
    with transaction.atomic():
        PurchaseTotal.objects.all().delete()
        PurchaseTotal.objects.bulk_create(cells, batch_size=2000)
    return len(cells)
