"""`lianqi demo` runs the background work itself: the database task worker when tasks go
through the database, the sweep loop always, both stopped with the server."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from lianqi.cli import Background, background_commands, build_parser


def test_database_backend_gets_a_worker_and_the_sweep_loop() -> None:
    commands = background_commands("django_tasks_db.DatabaseBackend")
    assert [c[0] for c in commands] == ["db_worker", "run_sweeps", "run_land_sweeps"]
    assert "--loop" in commands[1]
    # With tasks on Redis the worker is RQ's, running django-tasks-rq's jobs.
    rq = background_commands("django_tasks_rq.RQBackend")
    assert [c[0] for c in rq] == ["rqworker", "run_sweeps", "run_land_sweeps"]
    assert rq[0][-2:] == ["--job-class", "django_tasks_rq.backend.Job"]
    # With the immediate backend tasks run in the request: no worker, the sweeps still run.
    assert [c[0] for c in background_commands("django_tasks.backends.immediate.ImmediateBackend")] == [
        "run_sweeps",
        "run_land_sweeps",
    ]


def test_demo_can_leave_the_background_out() -> None:
    assert build_parser().parse_args(["demo", "--no-background"]).no_background is True
    assert build_parser().parse_args(["demo"]).no_background is False


def test_children_are_stopped_with_the_demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIANQI_VAR_DIR", str(tmp_path))
    log = tmp_path / "background.log"
    sleeper = ["shell", "-c", "import time; print('started', flush=True); time.sleep(120)"]
    with Background([sleeper], log) as background:
        (child,) = background.processes
        deadline = time.monotonic() + 60
        while "started" not in log.read_text() and time.monotonic() < deadline:
            assert child.poll() is None, log.read_text()
            time.sleep(0.2)
        assert "started" in log.read_text()
    assert child.poll() is not None  # stopped, not left behind
