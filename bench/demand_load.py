"""200 concurrent users on a mixed load of the demand pages and API, with zero errors.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lianqi_bench_load .venv/bin/python bench/demand_load.py

Builds the demo park (with its year of demands) in the given PostgreSQL database once, serves
it with gunicorn under production settings (`bench/settings_load.py`), and drives it with locust
(`bench/locust_demands.py`): office, handler, liaison and leader accounts opening their pages,
searching, reading demands and filing new ones through the API, 5–15 s between clicks. Most
users start signed in (sessions made beforehand, as in a working day); a tenth log in through the
form (`--login-share`). First ten users (light load) for the baseline, then the full crowd, both
in this run; prints per endpoint the requests, failures, p50/p95 and the p95 ratio under load to
the light load's. Fails (exit 1) on any error: a 5xx, a refused connection or a timeout.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def _env(static_root: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings_load",
            "LIANQI_SECRET_KEY": "bench-load-" + "x" * 50,
            "LIANQI_STATIC_ROOT": str(static_root),
            # Nobody receives text messages during the benchmark.
            "LIANQI_SMS_ALLOW_LOG": "1",
            "PYTHONPATH": str(ROOT),
        }
    )
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env, check=True)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer on port {port}")


def _number(text: str) -> float:
    """A figure of locust's CSV; "N/A" (no request after the reset) reads as 0."""
    try:
        return float(text)
    except ValueError:
        return 0.0


def _locust(
    host: str, users: int, rate: float, duration: str, prefix: Path, env: dict[str, str]
) -> dict[str, dict[str, float]]:
    subprocess.run(
        [
            str(VENV_BIN / "locust"),
            "-f",
            str(ROOT / "bench" / "locust_demands.py"),
            "--headless",
            "--only-summary",
            "-u",
            str(users),
            "-r",
            str(rate),
            "-t",
            duration,
            "--host",
            host,
            "--csv",
            str(prefix),
            # Figures of the steady state: the statistics restart once every user has logged in.
            "--reset-stats",
            "--loglevel",
            "WARNING",
        ],
        cwd=ROOT,
        env=env,
        check=False,
    )
    rows: dict[str, dict[str, float]] = {}
    with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows[row["Name"]] = {
                "requests": _number(row["Request Count"]),
                "failures": _number(row["Failure Count"]),
                "p50": _number(row["50%"]),
                "p95": _number(row["95%"]),
                "rps": _number(row["Requests/s"]),
            }
    return rows


#: Signs the demo accounts in without the log-in form, as `Client.force_login` does, and prints
#: the session keys: the users of a working day are mostly signed in already.
SESSIONS_SCRIPT = """
import json, sys
import django
django.setup()
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from lianqi.accounts.models import User
wanted = json.loads(sys.argv[1])
keys = {}
for username, count in wanted.items():
    user = User.objects.get(username=username)
    keys[username] = []
    for _ in range(count):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        keys[username].append(session.session_key)
print(json.dumps(keys))
"""


def _prepare_sessions(env: dict[str, str], work: Path, users: int) -> Path:
    """A signed-in session per user for each demo account, written to a file the locust users
    read (the share that logs in through the form is chosen there: PBKDF2 costs ≈ 0.5 s of
    CPU a log-in, and two hundred people do not all sign in within the same minute)."""
    wanted = dict.fromkeys(USERNAMES, users)
    found = subprocess.run(
        [sys.executable, "-c", SESSIONS_SCRIPT, json.dumps(wanted)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    path = work / "sessions.json"
    path.write_text(found.stdout.strip().splitlines()[-1], encoding="utf-8")
    return path


#: The demo accounts the locust users act as (`locust_demands.py`).
USERNAMES = ("office", "handler", "liaison", "leader")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=200)
    parser.add_argument("--spawn-rate", type=float, default=2)
    parser.add_argument("--duration", default="150s")
    parser.add_argument("--baseline-duration", default="90s")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--rebuild", action="store_true", help="build the demo park again")
    parser.add_argument(
        "--login-share",
        type=float,
        default=0.1,
        help="share of users that log in through the form; the others start signed in (default 0.1)",
    )
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database (it is filled with the demo park).")

    work = Path(tempfile.mkdtemp(prefix="lianqi-load-"))
    env = _env(work / "static")
    _manage(env, "migrate", "--verbosity", "0")
    check = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from lianqi.demo.builder import demo_exists; print(demo_exists())",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    if args.rebuild or check.stdout.strip() != "True":
        _manage(env, "demo", "--reset")
    _manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    env["LIANQI_LOAD_SESSIONS"] = str(_prepare_sessions(env, work, args.users))
    env["LIANQI_LOAD_LOGIN_SHARE"] = str(args.login_share)

    port = _free_port()
    server = subprocess.Popen(
        [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{port}",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        _wait_for(port)
        host = f"http://127.0.0.1:{port}"
        # Ten users (one set of every role by the classes' weights) at a person's pace is next to
        # no load: the latency each page has on its own, measured by the same mix.
        print("Baseline: 10 users …", flush=True)
        alone = _locust(host, 10, 2, args.baseline_duration, work / "alone", env)
        print(f"Load: {args.users} users …", flush=True)
        crowd = _locust(host, args.users, args.spawn_rate, args.duration, work / "crowd", env)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    print(
        f"\n{'endpoint':34} {'requests':>8} {'errors':>6} {'p50 ms':>7} {'p95 ms':>7} {'alone p95':>9} {'ratio':>6}"
    )
    for name, row in sorted(crowd.items(), key=lambda item: item[0] != "Aggregated"):
        base = alone.get(name, {}).get("p95") or 0
        ratio = f"{row['p95'] / base:.1f}×" if base else "—"
        print(
            f"{name:34} {int(row['requests']):>8} {int(row['failures']):>6} {row['p50']:>7.0f} "
            f"{row['p95']:>7.0f} {base:>9.0f} {ratio:>6}"
        )
    total = crowd.get("Aggregated", {})
    errors = int(total.get("failures", 0))
    print(
        f"\n{args.users} users, {args.workers}×{args.threads} gunicorn: "
        f"{int(total.get('requests', 0))} requests, {total.get('rps', 0):.1f}/s, {errors} errors"
    )
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
