"""Helpers for tests that start real processes (workers, concurrent clients) against the test
database: the database as another process can open it, and a clean environment to start it in."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from django.db import connection


def database_url_for_processes(tmp_path: Path) -> str:
    """The test database as another process can open it, as a `DATABASE_URL`. SQLite's test
    database lives in memory, so its committed contents are copied to a file in `tmp_path` (the
    other process then opens it with the project's options: WAL, IMMEDIATE, busy timeout; call
    this after the data is written). PostgreSQL's is the one pytest-django created
    (`test_<name>`, with the xdist worker's suffix), named by the test connection itself."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        path = tmp_path / "shared.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(path)
        connection.connection.backup(target)
        target.close()
        return f"sqlite:///{path}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def process_env(tmp_path: Path, database_url: str, settings: str, **extra: str) -> dict[str, str]:
    """This process's environment without the project's own variables, plus the settings module,
    the database and `extra`; files the settings create go under `tmp_path`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANQI_", "DJANGO_", "DATABASE_"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings,
            "DATABASE_URL": database_url,
            "LIANQI_VAR_DIR": str(tmp_path / "var"),
            **extra,
        }
    )
    return env
