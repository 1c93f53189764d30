"""Background work of the enterprise register. Tasks take the job's id (not the job), read it
afresh and check its state, so a task that runs twice, or late, does no harm."""

from __future__ import annotations

from django_tasks import task

from . import importing


@task()
def validate_enterprise_import(job_id: int) -> None:
    """Check every row of an uploaded enterprise workbook and store the preview on the job."""
    importing.run_validation(job_id=job_id)


@task()
def commit_enterprise_import(job_id: int) -> None:
    """Write a confirmed enterprise import in one transaction."""
    importing.run_commit(job_id=job_id)
