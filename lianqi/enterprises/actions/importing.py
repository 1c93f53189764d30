"""Writes of the enterprise import (企业导入, see `lianqi.enterprises.importing` for what is read
and checked): the job's steps and the register's bulk writes.

An import is a `Job` that goes through two steps, each run by a background task:

1. *Validation* (`run_validation`) reads every row of the uploaded workbook and records, in
   `Job.result`, how many rows would create an enterprise, how many would update one, and every
   problem of every bad row. Nothing is written to the register.
2. *Commit* (`run_commit`) reads and validates the file again (the register may have changed in
   between) and, in one transaction, creates the new enterprises, updates the existing ones and
   sets their tags and liaisons (`write_rows`). If anything fails, nothing is written and the job
   says why.

Both steps read the job by id and check its state first, so running one twice is harmless.
Writes use bulk operations (with simple-history's bulk helpers, so every change keeps its
author) because a park imports tens of thousands of rows at once. The steps are queued through
`signals.import_requested`, which the register's tasks answer.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from lianqi.core.actors import Actor
from lianqi.core.excel import HeaderError
from lianqi.core.models import Job
from lianqi.org.models import Jurisdiction, Staff

from ..importing import (
    BATCH_SIZE,
    MODE_ALL,
    MODE_VALID,
    PHASE_COMMIT,
    PHASE_PREVIEW,
    PHASE_VALIDATE,
    ImportRefused,
    PlannedRow,
    check_records,
    discard_records,
    header_message,
    load_records,
    read_records,
    save_records,
)
from ..models import Enterprise
from ..signals import (
    IMPORTED,
    STEP_COMMIT,
    STEP_VALIDATE,
    LiaisonSet,
    announce_liaisons_set,
    request_import_step,
)
from ..validators import validate_liaison

logger = logging.getLogger("lianqi.enterprises.importing")


def _batches(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _locked_staff(staff_ids: set[int]) -> dict[int, Staff]:
    # Locked in a fixed order, so that a cadre marked as left meanwhile cannot take enterprises
    # and two imports cannot deadlock on the same cadres.
    return {
        s.pk: s for s in Staff.objects.select_for_update().filter(pk__in=sorted(staff_ids)).order_by("pk")
    }


def _liaison_for(staff: dict[int, Staff], staff_id: int, jurisdiction_path: str) -> Staff:
    member = staff.get(staff_id)
    if member is None:
        raise ValidationError({"liaison": _("指定的联企干部不存在")})
    validate_liaison(member, jurisdiction_path)
    return member


def write_rows(*, rows: Sequence[PlannedRow], actor: Actor, at: dt.datetime) -> dict[str, int]:
    """Create and update the enterprises of valid `rows`, set their tags and liaisons, all in
    one transaction. Each liaison the file sets is checked (a cadre on duty, on the enterprise's
    line) and announced through `signals.liaisons_set`, so that the liaison layout records it in
    this transaction. Returns counts of what changed."""
    valid = [r for r in rows if not r.errors]
    new_rows = [r for r in valid if r.existing_id is None]
    update_rows = [r for r in valid if r.existing_id is not None]
    existing_ids = {r.existing_id for r in update_rows}
    through = Enterprise.tags.through
    tag_plan: dict[int, list[int]] = {}
    updated: set[int] = set()
    reason = _("Excel 导入")
    liaisons_set: list[LiaisonSet] = []

    places = Jurisdiction.objects.in_bulk({r.place.id for r in valid if r.place is not None})
    with transaction.atomic():
        staff = _locked_staff({r.liaison.id for r in valid if r.liaison is not None})

        # New enterprises, with a history record each ("+", by the actor), inserted with their
        # liaison already set.
        created: list[Enterprise] = []
        for chunk in _batches(new_rows, BATCH_SIZE):
            objs = []
            for row in chunk:
                assert row.place is not None
                enterprise = Enterprise(
                    credit_code=row.credit_code,
                    jurisdiction=places[row.place.id],
                    **row.values,
                )
                enterprise.fill_derived_fields()  # bulk_create skips save()
                if row.liaison is not None:
                    enterprise.liaison = _liaison_for(staff, row.liaison.id, enterprise.jurisdiction_path)
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
            if enterprise.liaison_id is not None:
                liaisons_set.append(
                    LiaisonSet(enterprise.pk, enterprise.jurisdiction_path, None, enterprise.liaison_id)
                )

        # Existing enterprises: only rows whose fields change get a history record ("~"). A new
        # liaison is set after that record, as a change of its own.
        changed_fields: set[str] = set()
        new_liaison: list[tuple[Enterprise, int]] = []
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
                    # Checked even when unchanged: naming a cadre who may not serve is refused.
                    _liaison_for(staff, row.liaison.id, enterprise.jurisdiction_path)
                    if enterprise.liaison_id != row.liaison.id:
                        new_liaison.append((enterprise, row.liaison.id))
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
        for enterprise, staff_id in new_liaison:
            liaisons_set.append(
                LiaisonSet(enterprise.pk, enterprise.jurisdiction_path, enterprise.liaison_id, staff_id)
            )
            enterprise.liaison_id = staff_id
        Enterprise.objects.bulk_update([e for e, _staff in new_liaison], ["liaison"], batch_size=BATCH_SIZE)

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

        announce_liaisons_set(liaisons_set, actor=actor, method=IMPORTED, reason=reason, at=at)

    return {
        "created": len(created),
        "updated": len(updated),
        "unchanged": len(existing_ids - updated),
        "liaisons": len(liaisons_set),
        "skipped": len(rows) - len(valid),
    }


def start_import(*, actor: Actor, upload: UploadedFile) -> Job:
    """Store the uploaded workbook as a new import job and queue its validation."""
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
        request_import_step(job_id, STEP_VALIDATE)
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
        request_import_step(locked.pk, STEP_COMMIT)
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
