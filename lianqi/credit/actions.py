"""Every write of the credit work: recording an enterprise's commitment, honour, dishonesty
record (entered or imported from Excel), 湘信贷 registration and collective interviews;
publishing the scoring rule and the conveniences; and one keyword-only, typed `verb_noun`
action per step of a record's repair (`workflow.TABLE`) on core's `take_step`, which runs it
in one transaction: lock the record, refuse a stale `expected_version` (naming who changed
it), check the table for the actor, apply the step's change, write the event row. An
enterprise acting through its code passes ``actor=None, enterprise=…``.

There is no action that sets a credit class: the class is computed by the published rule
(`queries.grades`), so it cannot be typed by hand."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from lianqi.accounts.models import User
from lianqi.core.actors import Actor
from lianqi.core.roles import Role
from lianqi.core.scoping import path_visible
from lianqi.core.workflow import StaleVersion, Step, TransitionNotAllowed, required_text, take_step
from lianqi.enterprises.models import Enterprise
from lianqi.notifications.actions import queue_notification
from lianqi.notifications.models import Channel
from lianqi.org.models import Department, Jurisdiction

from . import scoring
from .choices import BenefitKind, CreditClass, RecordKind, RecordSource, RepairAction
from .models import (
    Commitment,
    Convenience,
    DishonestyRecord,
    Honour,
    Interview,
    ScoringRule,
    XindaiRegistration,
)
from .workflow import workflow

#: The honours a park awards or a higher level publishes, offered on the form (others may be typed).
HONOUR_TITLES = ("诚信示范企业", "守合同重信用企业", "纳税信用A级企业", "信用示范企业")


def _in_scope(actor: Actor, enterprise: Enterprise) -> None:
    if not path_visible(actor, enterprise.jurisdiction_path):
        raise ValidationError({"enterprise": _("不能为您管辖范围以外的企业登记信用信息")})


def _not_future(value: dt.date | None, field: str, label: str, today: dt.date) -> dt.date:
    if value is None:
        raise ValidationError({field: _("请填写%(label)s") % {"label": label}})
    if value > today:
        raise ValidationError({field: _("%(label)s不能晚于今天") % {"label": label}})
    return value


def sign_commitment(
    *,
    enterprise: Enterprise,
    text_version: str,
    signed_on: dt.date,
    signed_by: str,
    actor: Actor,
    scan: UploadedFile | None = None,
    today: dt.date | None = None,
) -> Commitment:
    """Record the credit commitment (信用承诺书) an enterprise signed."""
    today = today or timezone.localdate()
    _in_scope(actor, enterprise)
    text_version = required_text(text_version, "text_version", _("请填写承诺书版本"))
    signed_by = required_text(signed_by, "signed_by", _("请填写签署人"))
    _not_future(signed_on, "signed_on", _("签署日期"), today)
    return Commitment.objects.create(
        jurisdiction_id=enterprise.jurisdiction_id,
        enterprise=enterprise,
        text_version=text_version,
        signed_on=signed_on,
        signed_by=signed_by,
        scan=scan or "",
    )


def award_honour(
    *,
    enterprise: Enterprise,
    title: str,
    year: int,
    actor: Actor,
    awarded_by: str = "",
    today: dt.date | None = None,
) -> Honour:
    """Record a credit honour of one year; the same honour twice in a year is refused."""
    today = today or timezone.localdate()
    _in_scope(actor, enterprise)
    title = required_text(title, "title", _("请填写荣誉称号"))
    if not 2000 <= year <= today.year:
        raise ValidationError({"year": _("年度须在2000年至今年之间")})
    if Honour.objects.filter(enterprise=enterprise, title=title, year=year).exists():
        raise ValidationError({"title": _("该企业本年度已登记此荣誉")})
    return Honour.objects.create(
        jurisdiction_id=enterprise.jurisdiction_id,
        enterprise=enterprise,
        title=title,
        year=year,
        awarded_by=awarded_by.strip(),
    )


def register_xindai(
    *, enterprise: Enterprise, registered_on: dt.date, actor: Actor, today: dt.date | None = None
) -> XindaiRegistration:
    """Record that an enterprise registered on 湘信贷 (once per enterprise)."""
    today = today or timezone.localdate()
    _in_scope(actor, enterprise)
    _not_future(registered_on, "registered_on", _("注册日期"), today)
    if XindaiRegistration.objects.filter(enterprise=enterprise).exists():
        raise ValidationError({"registered_on": _("该企业已登记湘信贷注册")})
    return XindaiRegistration.objects.create(
        jurisdiction_id=enterprise.jurisdiction_id, enterprise=enterprise, registered_on=registered_on
    )


def _clean_record(
    enterprise: Enterprise,
    kind: str,
    authority: str,
    decided_on: dt.date | None,
    summary: str,
    today: dt.date,
) -> dict[str, Any]:
    """A record's fields, or a `ValidationError` naming each bad one."""
    errors: dict[str, str] = {}
    if kind not in RecordKind.values:
        errors["kind"] = _("记录类型须为：%(kinds)s") % {"kinds": "、".join(str(k.label) for k in RecordKind)}
    if not authority.strip():
        errors["authority"] = _("请填写认定机关")
    if decided_on is None:
        errors["decided_on"] = _("请填写认定日期")
    elif decided_on > today:
        errors["decided_on"] = _("认定日期不能晚于今天")
    if not summary.strip():
        errors["summary"] = _("请填写失信事由")
    if errors:
        raise ValidationError(errors)
    return {
        "jurisdiction_id": enterprise.jurisdiction_id,
        "enterprise": enterprise,
        "kind": kind,
        "authority": authority.strip(),
        "decided_on": decided_on,
        "summary": summary.strip(),
    }


def record_dishonesty(
    *,
    enterprise: Enterprise,
    kind: str,
    authority: str,
    decided_on: dt.date | None,
    summary: str,
    actor: Actor,
    document_no: str = "",
    at: dt.datetime | None = None,
) -> DishonestyRecord:
    """Enter a dishonesty record an outside authority published, in force until repaired, with
    the first event of its history."""
    at = at or timezone.now()
    _in_scope(actor, enterprise)
    fields = _clean_record(enterprise, kind, authority, decided_on, summary, timezone.localdate(at))
    with transaction.atomic():
        row = DishonestyRecord.objects.create(
            **fields, document_no=document_no.strip(), last_actor=actor, last_changed_at=at
        )
        workflow.record(row, action=RepairAction.CREATE, from_state="", actor=actor, at=at)
    return row


#: The columns of the import workbook, in order: header → field.
IMPORT_COLUMNS = (
    ("统一社会信用代码", "credit_code"),
    ("记录类型", "kind"),
    ("认定机关", "authority"),
    ("决定文书号", "document_no"),
    ("认定日期", "decided_on"),
    ("失信事由", "summary"),
)


def _cell_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value or "").strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text) if text else None
    except ValueError:
        raise ValueError(text) from None


def import_records(
    *, rows: Iterable[Mapping[str, Any]], actor: Actor, at: dt.datetime | None = None
) -> list[DishonestyRecord]:
    """Import dishonesty records (the rows of a workbook, by `IMPORT_COLUMNS` field, numbered
    from the sheet's second line). Every row is checked first: if any is bad, nothing is saved
    and the `ValidationError` on ``file`` lists every bad row and field."""
    at = at or timezone.now()
    today = timezone.localdate(at)
    kinds = {str(k.label): k.value for k in RecordKind} | {k.value: k.value for k in RecordKind}
    errors: list[str] = []
    cleaned: list[dict[str, Any]] = []
    rows = list(rows)
    codes = {str(r.get("credit_code") or "").strip().upper() for r in rows}
    found = {e.credit_code: e for e in Enterprise.objects.filter(credit_code__in=codes)}
    for number, row in enumerate(rows, start=2):
        code = str(row.get("credit_code") or "").strip().upper()
        enterprise = found.get(code)
        if enterprise is None or not path_visible(actor, enterprise.jurisdiction_path):
            errors.append(
                _("第%(row)s行 统一社会信用代码：辖区内没有代码为“%(code)s”的企业")
                % {"row": number, "code": code}
            )
            continue
        try:
            decided_on = _cell_date(row.get("decided_on"))
        except ValueError as bad:
            errors.append(_("第%(row)s行 认定日期：“%(value)s”不是日期") % {"row": number, "value": bad})
            continue
        kind = kinds.get(str(row.get("kind") or "").strip(), str(row.get("kind") or ""))
        try:
            fields = _clean_record(
                enterprise,
                kind,
                str(row.get("authority") or ""),
                decided_on,
                str(row.get("summary") or ""),
                today,
            )
        except ValidationError as invalid:
            labels = dict((field, header) for header, field in IMPORT_COLUMNS)
            for field, messages in invalid.message_dict.items():
                for message in messages:
                    errors.append(
                        _("第%(row)s行 %(column)s：%(message)s")
                        % {"row": number, "column": labels[field], "message": message}
                    )
            continue
        fields["document_no"] = str(row.get("document_no") or "").strip()
        cleaned.append(fields)
    if not rows:
        errors.append(_("文件中没有数据行"))
    if errors:
        raise ValidationError({"file": errors})
    made: list[DishonestyRecord] = []
    with transaction.atomic():
        for fields in cleaned:
            record = DishonestyRecord.objects.create(
                **fields, source=RecordSource.IMPORTED, last_actor=actor, last_changed_at=at
            )
            workflow.record(record, action=RepairAction.CREATE, from_state="", actor=actor, at=at)
            made.append(record)
    return made


def read_workbook(content: bytes) -> list[dict[str, Any]]:
    """The data rows of an import workbook's first sheet, by field, found by their headers. A
    file that is no workbook, or lacks a column, is refused on ``file``."""
    import io

    from openpyxl import load_workbook

    try:
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
    except Exception:
        raise ValidationError({"file": [_("无法读取该文件，请上传 .xlsx 格式的工作簿")]}) from None
    lines = list(sheet.iter_rows(values_only=True))
    headers = [str(h or "").strip() for h in (lines[0] if lines else ())]
    missing = [header for header, _field in IMPORT_COLUMNS if header not in headers]
    if missing:
        raise ValidationError({"file": [_("缺少列：%(columns)s") % {"columns": "、".join(missing)}]})
    where = {field: headers.index(header) for header, field in IMPORT_COLUMNS}
    return [
        {field: line[index] if index < len(line) else None for field, index in where.items()}
        for line in lines[1:]
        if any(cell not in (None, "") for cell in line)
    ]


def hold_interview(
    *,
    jurisdiction: Jurisdiction,
    held_on: dt.date,
    topic: str,
    enterprises: Iterable[Enterprise],
    actor: Actor,
    place: str = "",
    note: str = "",
    today: dt.date | None = None,
) -> Interview:
    """Record a collective interview of dishonest enterprises (失信企业集体约谈)."""
    today = today or timezone.localdate()
    if not path_visible(actor, jurisdiction.path):
        raise ValidationError({"jurisdiction": _("不能为您管辖范围以外的辖区登记约谈")})
    topic = required_text(topic, "topic", _("请填写约谈主题"))
    _not_future(held_on, "held_on", _("约谈日期"), today)
    enterprises = list(enterprises)
    if not enterprises:
        raise ValidationError({"enterprises": _("请选择参加约谈的企业")})
    if any(not e.jurisdiction_path.startswith(jurisdiction.path) for e in enterprises):
        raise ValidationError({"enterprises": _("约谈企业须在本辖区内")})
    with transaction.atomic():
        row = Interview.objects.create(
            jurisdiction=jurisdiction, held_on=held_on, topic=topic, place=place.strip(), note=note.strip()
        )
        row.enterprises.set(enterprises)
    return row


RULE_NAMES = tuple(scoring.Rule.__dataclass_fields__)


def publish_rule(
    *, jurisdiction: Jurisdiction, values: Mapping[str, Any], actor: Actor, note: str = ""
) -> ScoringRule:
    """Publish a new version of a jurisdiction's scoring rule; every class under it follows at
    once. A rule whose thresholds do not descend, or whose points have the wrong sign, is
    refused field by field."""
    if not path_visible(actor, jurisdiction.path):
        raise ValidationError({"jurisdiction": _("不能为您管辖范围以外的辖区发布规则")})
    missing = [name for name in RULE_NAMES if values.get(name) is None]
    if missing:
        raise ValidationError({name: _("请填写此项") for name in missing})
    rule = scoring.rule_from_mapping(values)
    errors = scoring.rule_errors(rule)
    if errors:
        raise ValidationError({name: _(message) for name, message in errors.items()})
    with transaction.atomic():
        last = (
            ScoringRule.objects.select_for_update()
            .filter(jurisdiction=jurisdiction)
            .aggregate(Max("version"))["version__max"]
        )
        return ScoringRule.objects.create(
            jurisdiction=jurisdiction,
            version=(last or 0) + 1,
            note=note.strip(),
            published_by=actor,
            **{name: getattr(rule, name) for name in RULE_NAMES},
        )


def _line_of(path: str, other: str) -> bool:
    """Whether two jurisdictions are one above the other (or the same)."""
    return path.startswith(other) or other.startswith(path)


def _clean_convenience(
    jurisdiction: Jurisdiction,
    *,
    name: str,
    benefit: str,
    description: str,
    lowest_class: str,
    department: Department | None,
    no_record_in_force: bool,
) -> dict[str, Any]:
    """A convenience's fields, or a `ValidationError` naming each bad one. Its department is
    of the jurisdiction, one above it (a city's tax bureau) or one below it."""
    errors: dict[str, str] = {}
    if not name.strip():
        errors["name"] = _("请填写名称")
    if not description.strip():
        errors["description"] = _("请填写便利内容")
    if benefit not in BenefitKind.values:
        errors["benefit"] = _("请选择便利类型")
    if lowest_class not in CreditClass.values:
        errors["lowest_class"] = _("请选择最低信用等级")
    if department is not None and not _line_of(department.jurisdiction_path, jurisdiction.path):
        errors["department"] = _("提供部门须为本辖区或其上级、下级辖区的部门")
    if errors:
        raise ValidationError(errors)
    return {
        "name": name.strip(),
        "benefit": benefit,
        "description": description.strip(),
        "lowest_class": lowest_class,
        "department": department,
        "no_record_in_force": no_record_in_force,
    }


def offer_convenience(
    *,
    jurisdiction: Jurisdiction,
    name: str,
    benefit: str,
    description: str,
    lowest_class: str,
    actor: Actor,
    no_record_in_force: bool = False,
    department: Department | None = None,
) -> Convenience:
    """Offer a credit-based convenience (信易+) to the enterprises of a jurisdiction whose class
    is `lowest_class` or better."""
    if not path_visible(actor, jurisdiction.path):
        raise ValidationError({"jurisdiction": _("不能为您管辖范围以外的辖区发布便利")})
    fields = _clean_convenience(
        jurisdiction,
        name=name,
        benefit=benefit,
        description=description,
        lowest_class=lowest_class,
        department=department,
        no_record_in_force=no_record_in_force,
    )
    return Convenience.objects.create(jurisdiction=jurisdiction, **fields)


def edit_convenience(
    *,
    convenience: Convenience,
    name: str,
    benefit: str,
    description: str,
    lowest_class: str,
    actor: Actor,
    no_record_in_force: bool = False,
    department: Department | None = None,
) -> Convenience:
    """Change what a convenience gives, who gives it and which classes enjoy it; every
    enterprise's page follows at once."""
    if not path_visible(actor, convenience.jurisdiction_path):
        raise ValidationError({"jurisdiction": _("不能修改您管辖范围以外的便利")})
    fields = _clean_convenience(
        convenience.jurisdiction,
        name=name,
        benefit=benefit,
        description=description,
        lowest_class=lowest_class,
        department=department,
        no_record_in_force=no_record_in_force,
    )
    with transaction.atomic():
        row = Convenience.objects.select_for_update().get(pk=convenience.pk)
        for key, value in fields.items():
            setattr(row, key, value)
        row.save(update_fields=[*fields, "updated_at"])
    return row


def withdraw_convenience(*, convenience: Convenience, actor: Actor) -> Convenience:
    """Withdraw a convenience: no enterprise is offered it any longer; it stays in the list,
    marked withdrawn. Withdrawing one already withdrawn is refused."""
    if not path_visible(actor, convenience.jurisdiction_path):
        raise ValidationError({"jurisdiction": _("不能撤回您管辖范围以外的便利")})
    with transaction.atomic():
        row = Convenience.objects.select_for_update().get(pk=convenience.pk)
        if not row.active:
            raise ValidationError({"active": _("该便利已撤回")})
        row.active = False
        row.save(update_fields=["active", "updated_at"])
    return row


# --- The repair of a record (申请 → 材料 → 审核 → 修复) ----------------------------------------


def _dated(value: dt.date | None, field: str, label: str, after: dt.date | None, at: dt.datetime) -> dt.date:
    """A step's date: given, not in the future, and not before the previous step's."""
    day = _not_future(value, field, label, timezone.localdate(at))
    if after is not None and day < after:
        raise ValidationError(
            {
                field: _("%(label)s不能早于上一步的日期（%(day)s）")
                % {"label": label, "day": after.isoformat()}
            }
        )
    return day


def apply_repair(
    *,
    record: DishonestyRecord,
    actor: Actor | None,
    expected_version: int,
    applied_on: dt.date | None,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> DishonestyRecord:
    """Apply for the repair of a record in force (the enterprise, or the office for it)."""
    at = at or timezone.now()

    def change(step: Step[DishonestyRecord]) -> None:
        step.row.applied_on = _dated(applied_on, "applied_on", _("申请修复日期"), step.row.decided_on, at)

    return take_step(
        workflow,
        row=record,
        action=RepairAction.APPLY,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def submit_repair_materials(
    *,
    record: DishonestyRecord,
    actor: Actor | None,
    expected_version: int,
    materials: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> DishonestyRecord:
    """Hand in the materials of a repair (整改报告, 信用承诺, 培训证明 …), listed in words."""

    def change(step: Step[DishonestyRecord]) -> None:
        step.row.materials = required_text(materials, "materials", _("请列出提交的修复材料"))
        step.note = step.row.materials

    return take_step(
        workflow,
        row=record,
        action=RepairAction.SUBMIT_MATERIALS,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def approve_repair(
    *,
    record: DishonestyRecord,
    actor: Actor | None,
    expected_version: int,
    reviewed_on: dt.date | None,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> DishonestyRecord:
    """Pass the review of a repair's materials on `reviewed_on`."""
    at = at or timezone.now()

    def change(step: Step[DishonestyRecord]) -> None:
        step.row.reviewed_on = _dated(reviewed_on, "reviewed_on", _("审核日期"), step.row.applied_on, at)

    return take_step(
        workflow,
        row=record,
        action=RepairAction.APPROVE,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def return_repair(
    *,
    record: DishonestyRecord,
    actor: Actor | None,
    expected_version: int,
    note: str,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> DishonestyRecord:
    """Send a repair's materials back for completion, saying what is missing."""

    def change(step: Step[DishonestyRecord]) -> None:
        step.note = required_text(note, "note", _("请填写退回理由"))

    return take_step(
        workflow,
        row=record,
        action=RepairAction.RETURN,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def complete_repair(
    *,
    record: DishonestyRecord,
    actor: Actor | None,
    expected_version: int,
    repaired_on: dt.date | None,
    enterprise: Enterprise | None = None,
    at: dt.datetime | None = None,
) -> DishonestyRecord:
    """Confirm a reviewed repair with the day the record was repaired: from then on it no
    longer counts against the enterprise's class."""
    at = at or timezone.now()

    def change(step: Step[DishonestyRecord]) -> None:
        step.row.repaired_on = _dated(repaired_on, "repaired_on", _("修复日期"), step.row.reviewed_on, at)
        step.note = step.row.repaired_on.isoformat()

    return take_step(
        workflow,
        row=record,
        action=RepairAction.REPAIR,
        actor=actor,
        enterprise=enterprise,
        expected_version=expected_version,
        at=at,
        change=change,
    )


def apply_repair_by_code(
    *,
    record: DishonestyRecord,
    enterprise: Enterprise,
    correction: str,
    contact_name: str,
    contact_phone: str,
    at: dt.datetime | None = None,
) -> DishonestyRecord:
    """The enterprise applies, through its code (营商码), for the repair of one of its own
    records in force, saying what it corrected: the record takes the workflow's first two
    steps as if the office had filed them for it (applied today, the correction as its
    materials, signed with the contact who confirmed their phone), and every service office
    above the record is told in the app. A record that is not the enterprise's, or no longer
    in force, is refused on ``record``; all or nothing."""
    at = at or timezone.now()
    if record.enterprise_id != enterprise.pk:
        raise ValidationError({"record": _("请选择本企业的失信记录")})
    correction = required_text(correction, "correction", _("请说明已完成的整改"))
    signed = _("%(text)s（经营商码提交，联系人：%(name)s %(phone)s）") % {
        "text": correction,
        "name": contact_name.strip() or "—",
        "phone": contact_phone.strip(),
    }
    with transaction.atomic():
        try:
            row = apply_repair(
                record=record,
                actor=None,
                enterprise=enterprise,
                expected_version=record.version,
                applied_on=timezone.localdate(at),
                at=at,
            )
        except (TransitionNotAllowed, StaleVersion):
            # Another hand moved it first (the office, or a second tab): say so on the choice.
            raise ValidationError({"record": _("该记录已在修复中或已修复，请刷新后重新选择")}) from None
        row = submit_repair_materials(
            record=row,
            actor=None,
            enterprise=enterprise,
            expected_version=row.version,
            materials=signed,
            at=at,
        )
        _tell_offices(row, at)
    return row


def _tell_offices(row: DishonestyRecord, at: dt.datetime) -> None:
    """Queue an in-app message (in the caller's transaction) to every active service office
    account whose jurisdiction holds the record: an enterprise applied for its repair."""
    codes = [c for c in row.jurisdiction_path.split("/") if c]
    paths = ["".join(f"{c}/" for c in codes[: n + 1]) for n in range(len(codes))]
    offices = User.objects.filter(
        is_active=True, groups__name=Role.SERVICE_OFFICE.value, jurisdiction__path__in=paths
    ).distinct()
    subject = _("%(name)s 经营商码申请信用修复") % {"name": row.enterprise.name}
    for user in offices.order_by("pk"):
        queue_notification(
            channel=Channel.IN_APP,
            recipient=user,
            subject=subject,
            body=row.materials,
            link=row.get_absolute_url(),
            dedupe_key=f"credit-apply:{row.pk}:{row.version}:{user.pk}",
            at=at,
        )


#: The action of each step by the table's name for it: what the step page and the API call
#: with the input the step needs (`workflow.needs_of`).
STEPS: dict[str, Callable[..., DishonestyRecord]] = {
    RepairAction.APPLY: apply_repair,
    RepairAction.SUBMIT_MATERIALS: submit_repair_materials,
    RepairAction.APPROVE: approve_repair,
    RepairAction.RETURN: return_repair,
    RepairAction.REPAIR: complete_repair,
}
