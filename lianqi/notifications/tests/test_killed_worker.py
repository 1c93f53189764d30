"""A worker killed in the middle of a delivery loses nothing and sends nothing twice, on the
database task backend (`db_worker`) and on RQ (`rqworker`), each a real process against a real
database (a file SQLite database with the project's options, or PostgreSQL's test database).

Three SMS are queued; the first worker is `kill -9`ed (with its RQ work horse) while the slow
gateway is busy with the first message; a new worker runs the rest; the outbox sweep then
delivers the one the dead worker held, since neither backend retries a killed task. Every
message reaches the gateway's "delivered" file exactly once."""

from __future__ import annotations

import contextlib
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from lianqi.notifications import actions
from lianqi.notifications.models import Channel, Notification, NotificationState
from lianqi.testing.processes import database_url_for_processes, process_env

pytestmark = pytest.mark.django_db(transaction=True)

REPO = Path(__file__).resolve().parents[3]
MESSAGES = 3
REDIS_URL = os.environ.get("LIANQI_TEST_REDIS_URL", "redis://127.0.0.1:6379")
# Redis databases the tests may borrow, one per running test (test runs share the machine's Redis).
REDIS_DATABASES = range(1, 16)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
RQ_TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}


def _redis() -> Any:
    import redis

    client = redis.Redis.from_url(f"{REDIS_URL}/0", socket_connect_timeout=1, socket_timeout=5)
    try:
        client.ping()
    except redis.exceptions.RedisError as exc:
        reason = f"needs Redis at {REDIS_URL} for the RQ worker ({type(exc).__name__}: {exc})"
        # CI has Redis and says so: there a missing Redis is a failure, not a skip.
        if os.environ.get("LIANQI_REQUIRE_REDIS"):
            pytest.fail(reason)
        pytest.skip(reason)
    return client


@contextmanager
def borrowed_redis_database() -> Iterator[str]:
    """An empty Redis database of our own for the test's queue, leased through a key in
    database 0 so that parallel test runs never share a queue (and eat each other's jobs)."""
    client = _redis()
    for number in REDIS_DATABASES:
        lease = f"lianqi-test-lease:{number}"
        if client.set(lease, os.getpid(), nx=True, ex=300):
            break
    else:
        pytest.skip("every Redis database lent to tests is in use")
    url = f"{REDIS_URL}/{number}"
    import redis

    borrowed = redis.Redis.from_url(url)
    borrowed.flushdb()
    try:
        yield url
    finally:
        borrowed.flushdb()
        client.delete(lease)


def states(url: str) -> dict[int, tuple[str, int]]:
    """Each notification's state and attempts as the workers left them."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
            rows = db.execute("SELECT id, state, attempts FROM notifications_notification").fetchall()
        return {pk: (state, attempts) for pk, state, attempts in rows}
    return {n.pk: (n.state, n.attempts) for n in Notification.objects.all()}


class Workers:
    """Starts manage.py commands as the deployed site would, with the slow gateway configured."""

    def __init__(self, tmp_path: Path, database_url: str, redis_url: str = "") -> None:
        self.started = tmp_path / "started.txt"
        self.delivered = tmp_path / "delivered.txt"
        self.log = tmp_path / "workers.log"
        env = process_env(
            tmp_path,
            database_url,
            "config.settings.base",
            LIANQI_SMS_SENDER="lianqi.notifications.tests.slow_sender.SlowFileSmsSender",
            LIANQI_TEST_STARTED_FILE=str(self.started),
            LIANQI_TEST_DELIVERED_FILE=str(self.delivered),
            LIANQI_LOG_LEVEL="WARNING",
        )
        if redis_url:
            env["LIANQI_REDIS_URL"] = redis_url
        self.env = env

    def start(self, *command: str, send_seconds: float = 0) -> subprocess.Popen[bytes]:
        # Its own process group, so that kill -9 reaches RQ's work horse as well as the worker.
        with self.log.open("ab") as log:
            return subprocess.Popen(
                [sys.executable, "manage.py", *command],
                cwd=REPO,
                env={**self.env, "LIANQI_TEST_SEND_SECONDS": str(send_seconds)},
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def run(self, *command: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=REPO,
            env={**self.env, "LIANQI_TEST_SEND_SECONDS": "0"},
            capture_output=True,
            text=True,
            timeout=120,
        )
        with self.log.open("a") as log:
            log.write(done.stdout + done.stderr)
        assert done.returncode == 0, done.stderr + self.log_text()
        return done.stdout

    def lines(self, path: Path) -> list[int]:
        """The notification ids in one of the gateway's files, in order."""
        return [int(line.split()[0]) for line in path.read_text().splitlines()] if path.exists() else []

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def kill_mid_send(self, worker: subprocess.Popen[bytes]) -> int:
        """Wait until the gateway is busy with a message, then kill -9 the worker's process
        group and the process sending (RQ's work horse runs in a session of its own), as a
        machine or systemd's control-group stop would; returns the id of the message in flight."""
        deadline = time.monotonic() + 60
        while not self.started.exists() or not self.started.read_text().endswith("\n"):
            assert worker.poll() is None, f"the worker died on its own:\n{self.log_text()}"
            assert time.monotonic() < deadline, f"the worker never started a delivery:\n{self.log_text()}"
            time.sleep(0.1)
        sender_pid = int(self.started.read_text().split()[1])
        os.killpg(worker.pid, signal.SIGKILL)
        with contextlib.suppress(ProcessLookupError):
            os.kill(sender_pid, signal.SIGKILL)
        worker.wait(timeout=30)
        (in_flight,) = self.lines(self.started)
        assert self.lines(self.delivered) == []
        return in_flight


def queue_messages() -> list[int]:
    """Three SMS queued by a committed workflow: each becomes a delivery task at commit."""
    with transaction.atomic():
        notes = [
            actions.queue_notification(
                channel=Channel.SMS, address=f"1381234567{i}", subject=f"诉求已逾期 {i}"
            )
            for i in range(MESSAGES)
        ]
    return [n.pk for n in notes]


def assert_each_delivered_once(workers: Workers, url: str, ids: list[int], in_flight: int) -> None:
    # The restarted worker sent everything but the message the dead one held …
    left = {pk for pk, (state, _) in states(url).items() if state != NotificationState.SENT}
    assert left == {in_flight}
    # … which the outbox sweep delivers.
    assert "attempted 1 notification(s)" in workers.run("send_notifications")
    assert {pk: state for pk, (state, _) in states(url).items()} == dict.fromkeys(ids, NotificationState.SENT)
    assert Counter(workers.lines(workers.delivered)) == Counter(ids)
    # Sweeping again (a cron that fires twice) sends nothing more.
    workers.run("send_notifications")
    assert Counter(workers.lines(workers.delivered)) == Counter(ids)


def test_killed_db_worker_loses_no_message_and_sends_none_twice(world: Any, tmp_path: Path) -> None:
    with override_settings(TASKS=DATABASE_TASKS):
        ids = queue_messages()
    url = database_url_for_processes(tmp_path)
    workers = Workers(tmp_path, url)

    first = workers.start(
        "db_worker", "--no-reload", "--no-startup-delay", "--interval", "0.2", send_seconds=60
    )
    in_flight = workers.kill_mid_send(first)
    assert in_flight in ids

    workers.run("db_worker", "--batch", "--no-reload", "--no-startup-delay")
    assert_each_delivered_once(workers, url, ids, in_flight)


def test_killed_rq_worker_loses_no_message_and_sends_none_twice(world: Any, tmp_path: Path) -> None:
    with borrowed_redis_database() as redis_url:
        with override_settings(TASKS=RQ_TASKS, RQ_QUEUES={"default": {"URL": redis_url}}):
            ids = queue_messages()
        url = database_url_for_processes(tmp_path)
        workers = Workers(tmp_path, url, redis_url)
        rqworker = ("rqworker", "default", "--job-class", "django_tasks_rq.backend.Job")

        first = workers.start(*rqworker, send_seconds=60)
        in_flight = workers.kill_mid_send(first)
        assert in_flight in ids

        workers.run(*rqworker, "--burst")
        assert_each_delivered_once(workers, url, ids, in_flight)
