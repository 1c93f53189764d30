"""Background work of the enterprise register. Tasks take the job's id (not the job), read it
afresh and check its state, so a task that runs twice, or late, does no harm. The import's
actions ask for a step through `signals.import_requested` (sent on commit); `queue_import_step`
answers it by putting the step's task on the queue."""

from __future__ import annotations

from django_tasks import task

from .actions import importing
from .signals import STEP_COMMIT, STEP_VALIDATE


@task()
def validate_enterprise_import(job_id: int) -> None:
    """Check every row of an uploaded enterprise workbook and store the preview on the job."""
    importing.run_validation(job_id=job_id)


@task()
def commit_enterprise_import(job_id: int) -> None:
    """Write a confirmed enterprise import in one transaction."""
    importing.run_commit(job_id=job_id)


STEPS = {STEP_VALIDATE: validate_enterprise_import, STEP_COMMIT: commit_enterprise_import}


def queue_import_step(sender: object, *, job_id: int, step: str, **kwargs: object) -> None:
    """Receiver of `signals.import_requested`: the step's task, on the queue."""
    STEPS[step].enqueue(job_id)
