"""An SMS "gateway" for the killed-worker tests, used by worker processes the tests start: it
notes that an attempt began, waits as a slow gateway would (long enough to be killed in the
middle), then records the message as delivered. Both records are lines in files named by the
environment, written through to disk, so the test can count them after a `kill -9`."""

from __future__ import annotations

import os
import time
from pathlib import Path

from lianqi.notifications.models import Notification


def _append(path: str, line: str) -> None:
    with Path(path).open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")
        handle.flush()
        os.fsync(handle.fileno())


class SlowFileSmsSender:
    """Appends the notification's id and the sending process's to LIANQI_TEST_STARTED_FILE, sleeps
    LIANQI_TEST_SEND_SECONDS, then appends it to LIANQI_TEST_DELIVERED_FILE."""

    def send(self, notification: Notification) -> None:
        # The process too: RQ sends from a work horse in a session of its own.
        _append(os.environ["LIANQI_TEST_STARTED_FILE"], f"{notification.pk} {os.getpid()}")
        time.sleep(float(os.environ.get("LIANQI_TEST_SEND_SECONDS", "0")))
        _append(os.environ["LIANQI_TEST_DELIVERED_FILE"], str(notification.pk))
