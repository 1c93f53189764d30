"""SQLite keeps the project's options however it is configured: the embedded default and a
`DATABASE_URL=sqlite:///…` both run in WAL mode with IMMEDIATE transactions and a busy
timeout, so that two concurrent steps queue instead of failing with "database is locked"."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]

PRINT_DATABASE = (
    "import json, django; from django.conf import settings; django.setup(); "
    "from django.db import connection; connection.ensure_connection(); "
    "cursor = connection.cursor(); cursor.execute('PRAGMA journal_mode'); mode = cursor.fetchone()[0]; "
    "cursor.execute('PRAGMA busy_timeout'); busy = cursor.fetchone()[0]; "
    "db = settings.DATABASES['default']; "
    "print(json.dumps({'options': db['OPTIONS'], 'age': db.get('CONN_MAX_AGE'), 'mode': mode, 'busy': busy}))"
)


def _database_as_configured(tmp_path: Path, url: str | None) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANQI_", "DJANGO_", "DATABASE_"))}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings.dev", "LIANQI_VAR_DIR": str(tmp_path)})
    if url is not None:
        env["DATABASE_URL"] = url
    else:
        env["LIANQI_SQLITE_PATH"] = str(tmp_path / "default.sqlite3")
    done = subprocess.run(
        [sys.executable, "-c", PRINT_DATABASE], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize("how", ["default", "url"])
def test_sqlite_runs_in_wal_with_immediate_transactions_however_configured(tmp_path: Path, how: str) -> None:
    url = f"sqlite:///{tmp_path / 'from-url.sqlite3'}" if how == "url" else None
    database = _database_as_configured(tmp_path, url)
    options = database["options"]
    assert isinstance(options, dict)
    assert options["transaction_mode"] == "IMMEDIATE"
    assert database["mode"] == "wal"
    assert int(str(database["busy"])) >= 20_000
    assert database["age"] in (0, None)
