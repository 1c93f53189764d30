"""Background work of key projects: the monthly report built while the manager does something
else. The task takes the build's id and reads it afresh, so running it twice does no harm."""

from __future__ import annotations

from django_tasks import task

from .actions.documents import run_report_build


@task()
def build_monthly_report(build_id: int) -> None:
    """Build a queued monthly report (项目月报) and store its file."""
    run_report_build(build_id=build_id)
