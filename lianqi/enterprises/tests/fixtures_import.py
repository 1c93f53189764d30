"""Helpers for the enterprise import tests: workbooks built in memory from row dictionaries."""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from lianqi.core.excel import XLSX_CONTENT_TYPE, Column
from lianqi.core.models import Job
from lianqi.core.roles import Role
from lianqi.enterprises import creditcode
from lianqi.enterprises.actions.importing import run_validation
from lianqi.enterprises.columns import ENTERPRISE_COLUMNS
from lianqi.enterprises.importing import PHASE_VALIDATE
from lianqi.testing.world import World

_serial = itertools.count(1)
JOB_FILE_NAME = "湘潭高新区企业名录.xlsx"


def fresh_code(serial: int | None = None) -> str:
    n = next(_serial) if serial is None else serial
    return creditcode.complete(f"91430300MA{n:07d}")


def row(**overrides: Any) -> dict[str, Any]:
    """A valid row for a new enterprise in the uploader's own park."""
    values: dict[str, Any] = {
        "credit_code": fresh_code(),
        "name": "湘潭新导入电机有限公司",
        "kind": "规上企业",
        "industry": "38",
        "legal_representative": "李四",
        "address": "湘潭高新区晓塘路 8 号",
        "founded_on": "2019-03-15",
        "registered_capital": 500,
        "employees": 80,
    }
    values.update(overrides)
    return values


def workbook(
    rows: Iterable[dict[str, Any]], columns: Sequence[Column] = ENTERPRISE_COLUMNS, extra: Sequence[str] = ()
) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append([c.title for c in columns] + list(extra))
    for values in rows:
        sheet.append([values.get(c.key) for c in columns] + [None for _ in extra])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = JOB_FILE_NAME) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX_CONTENT_TYPE)


def home_job(world: World) -> Job:
    """A validated (ready) import job of the home park, made once per test."""
    job = Job.objects.filter(jurisdiction=world.home.park, kind=Job.Kind.ENTERPRISE_IMPORT).first()
    if job is not None:
        return job
    job = Job(
        kind=Job.Kind.ENTERPRISE_IMPORT,
        owner=world.user(Role.SERVICE_OFFICE),
        jurisdiction=world.home.park,
        original_name=JOB_FILE_NAME,
        result={"phase": PHASE_VALIDATE},
    )
    job.file.save(
        "contract.xlsx", ContentFile(workbook([row(), row(name="湘潭第二导入有限公司")])), save=False
    )
    job.save()
    run_validation(job_id=job.pk)
    job.refresh_from_db()
    return job
