"""`LIANQI_REDIS_URL` moves background tasks to RQ on Redis; without it they stay in the
database. Checked as a deployed process would load the settings, system checks included."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lianqi.testing.processes import process_env

REPO = Path(__file__).resolve().parents[3]

PRINT_TASKS = (
    "import json, django; from django.conf import settings; django.setup(); "
    "from django.core.management import call_command; call_command('check', fail_level='ERROR'); "
    "from django_tasks import task_backends; "
    "print(json.dumps({'backend': type(task_backends['default']).__module__ + '.' + "
    "type(task_backends['default']).__name__, 'rq_app': 'django_rq' in settings.INSTALLED_APPS, "
    "'queues': getattr(settings, 'RQ_QUEUES', None)}))"
)


def tasks_as_configured(tmp_path: Path, **env: str) -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-c", PRINT_TASKS],
        cwd=REPO,
        env=process_env(tmp_path, f"sqlite:///{tmp_path / 'db.sqlite3'}", "config.settings.base", **env),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def test_tasks_stay_in_the_database_by_default(tmp_path: Path) -> None:
    tasks = tasks_as_configured(tmp_path)
    assert tasks == {"backend": "django_tasks_db.backend.DatabaseBackend", "rq_app": False, "queues": None}


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "rediss://:secret@redis.internal:6380/2"])
def test_redis_url_switches_tasks_to_rq(tmp_path: Path, url: str) -> None:
    tasks = tasks_as_configured(tmp_path, LIANQI_REDIS_URL=url)
    assert tasks["backend"] == "django_tasks_rq.backend.RQBackend"
    assert tasks["rq_app"] is True
    queues = tasks["queues"]
    assert isinstance(queues, dict) and queues["default"]["URL"] == url
