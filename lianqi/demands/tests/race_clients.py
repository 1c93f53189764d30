"""Two API clients racing, run as its own process by `test_race_api` against a database file or
PostgreSQL: for each demand, two threads (each with its own database connection, so real
concurrent transactions) wait at a barrier and post their step at the same moment. Reads the
plan as JSON on stdin and prints, per round, each client's status and error code."""

from __future__ import annotations

import json
import sys
import threading
from typing import Any


def post(contender: dict[str, Any], demand: dict[str, Any], barrier: threading.Barrier) -> dict[str, Any]:
    """One client's step on the demand, posted once every contender is at the barrier."""
    from django.db import connections
    from django.test import Client

    client = Client(HTTP_AUTHORIZATION=f"Token {contender['token']}")
    body = {"expected_version": demand["version"], **contender["data"]}
    url = f"/api/v1/demands/{demand['pk']}/actions/{contender['action']}/"
    try:
        barrier.wait()
        # The test client raises what the view raised: a 500 shows up as the exception.
        response = client.post(url, body, content_type="application/json")
        payload = response.json()
        error = payload.get("error", {}) if isinstance(payload, dict) else {}
        return {
            "action": contender["action"],
            "status": response.status_code,
            "code": error.get("code"),
            "message": error.get("message"),
        }
    except BaseException as exc:
        return {"action": contender["action"], "status": None, "code": repr(exc), "message": None}
    finally:
        connections.close_all()


def race(demand: dict[str, Any], contenders: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One round: every contender in its own thread, all posting together."""
    barrier = threading.Barrier(len(contenders), timeout=30)
    results: list[dict[str, Any]] = []
    lock = threading.Lock()

    def run(contender: dict[str, Any]) -> None:
        outcome = post(contender, demand, barrier)
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=run, args=(c,)) for c in contenders]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def main() -> None:
    import django

    django.setup()
    plan = json.load(sys.stdin)
    print(json.dumps([race(demand, plan["contenders"]) for demand in plan["demands"]]))


if __name__ == "__main__":
    main()
