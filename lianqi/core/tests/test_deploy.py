"""`manage.py check --deploy` passes with the production settings, as docs/operations.md promises."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANQI_", "DJANGO_"))}
    env.update(
        {
            "LIANQI_SECRET_KEY": secrets.token_urlsafe(64),
            # check --deploy does not connect: the database need not exist.
            "DATABASE_URL": "postgres://lianqi:secret@127.0.0.1:5432/lianqi",
            "LIANQI_ALLOWED_HOSTS": "lianqi.example.cn",
            "LIANQI_VAR_DIR": str(tmp_path),
            **extra,
        }
    )
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            "check",
            "--deploy",
            "--fail-level",
            "WARNING",
            "--settings=config.settings.prod",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_the_development_key(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, LIANQI_SECRET_KEY="insecure-development-key-change-me")
    assert result.returncode != 0
    assert "LIANQI_SECRET_KEY" in result.stderr
