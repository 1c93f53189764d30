"""`manage.py check --deploy` passes with the production settings, as docs/operations.md promises."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]


def _prod_manage(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("LIANQI_", "DJANGO_"))}
    env.update(
        {
            "LIANQI_SECRET_KEY": secrets.token_urlsafe(64),
            # check --deploy does not connect: the database need not exist.
            "DATABASE_URL": "postgres://lianqi:secret@127.0.0.1:5432/lianqi",
            "LIANQI_ALLOWED_HOSTS": "lianqi.example.cn",
            "LIANQI_VAR_DIR": str(tmp_path),
            "LIANQI_SMS_SENDER": "lianqi.core.sms.HttpGatewaySmsSender",
            "LIANQI_SMS_GATEWAY_URL": "https://sms.example.cn/send",
            **extra,
        }
    )
    return subprocess.run(
        [
            sys.executable,
            "manage.py",
            *args,
            "--settings=config.settings.prod",
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    return _prod_manage(tmp_path, "check", "--deploy", "--fail-level", "WARNING", **extra)


def test_static_files_collect_under_the_production_settings(tmp_path: Path) -> None:
    # The vendored libraries name source maps that are not shipped; collecting (hashing and
    # compressing) must still succeed, or a deployment cannot serve its pages' styles.
    result = _prod_manage(tmp_path, "collectstatic", "--noinput", "--verbosity", "0")
    assert result.returncode == 0, result.stderr[-2000:]
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "vendor/tabler/tabler.min.css" in manifest


def test_production_settings_pass_the_deploy_check(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_settings_refuse_the_development_key(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, LIANQI_SECRET_KEY="insecure-development-key-change-me")
    assert result.returncode != 0
    assert "LIANQI_SECRET_KEY" in result.stderr


def test_production_settings_refuse_an_sms_sender_that_only_logs(tmp_path: Path) -> None:
    result = _check_deploy(tmp_path, LIANQI_SMS_SENDER="lianqi.core.sms.LogSmsSender")
    assert result.returncode != 0
    assert "LIANQI_SMS_SENDER" in result.stderr
    allowed = _check_deploy(
        tmp_path, LIANQI_SMS_SENDER="lianqi.core.sms.LogSmsSender", LIANQI_SMS_ALLOW_LOG="1"
    )
    assert allowed.returncode == 0, allowed.stdout + allowed.stderr
