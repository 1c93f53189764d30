"""The mixed load of `demand_load.py`: demo users of every staff role and the enterprise work
through the demand pages and API as they would in a working day. Read by locust; not run alone.

Each simulated user starts signed in as one of the demo accounts (a session made beforehand by
`demand_load.py`; when none is left, it logs in through the form) and then, with 5–15 s between
clicks (a person reads the page before the next click), opens the pages of its role; some
liaisons file demands through the API. A 409 (someone else changed the demand first) is a
correct answer under contention, not an error."""

from __future__ import annotations

import json
import os
import random
import re
import string
from pathlib import Path
from urllib.parse import urlparse

from locust import HttpUser, between, task

PASSWORD = "lianqi-demo"
#: Signed-in session keys per username, written by `demand_load.py` (none: everyone logs in).
SESSIONS: dict[str, list[str]] = (
    json.loads(Path(os.environ["LIANQI_LOAD_SESSIONS"]).read_text(encoding="utf-8"))
    if os.environ.get("LIANQI_LOAD_SESSIONS")
    else {}
)
#: The share of users that log in through the form rather than resume a session.
LOGIN_SHARE = float(os.environ.get("LIANQI_LOAD_LOGIN_SHARE", "1" if not SESSIONS else "0.1"))
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class _DemoUser(HttpUser):
    abstract = True
    wait_time = between(5, 15)
    username = ""
    demand_ids: list[int] = []

    def on_start(self) -> None:
        if random.random() < LOGIN_SHARE or not self._resume_session():
            self._log_in()
        listing = self.client.get("/api/v1/demands/?page_size=50", name="/api/v1/demands/")
        if listing.ok:
            self.demand_ids = [row["id"] for row in listing.json().get("results", [])]

    def _resume_session(self) -> bool:
        """Take one of the sessions `demand_load.py` signed in beforehand, if any is left. The
        CSRF cookie is a fresh 32-character secret, which Django accepts as the token itself."""
        keys = SESSIONS.get(self.username)
        if not keys:
            return False
        host = urlparse(self.host).hostname or "127.0.0.1"
        self.client.cookies.set("sessionid", keys.pop(), domain=host, path="/")
        secret = "".join(random.choices(string.ascii_letters + string.digits, k=32))
        self.client.cookies.set("csrftoken", secret, domain=host, path="/")
        return True

    def _log_in(self) -> None:
        page = self.client.get("/accounts/login/", name="login page")
        token = CSRF.search(page.text)
        self.client.post(
            "/accounts/login/",
            {
                "username": self.username,
                "password": PASSWORD,
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": f"{self.host}/accounts/login/"},
            name="login",
        )

    def open_demand(self) -> None:
        if self.demand_ids:
            self.client.get(f"/demands/{random.choice(self.demand_ids)}/", name="/demands/[id]/")


class Office(_DemoUser):
    weight = 3
    username = "office"

    @task(4)
    def board(self) -> None:
        self.client.get("/demands/board/", name="/demands/board/")

    @task(2)
    def demand(self) -> None:
        self.open_demand()

    @task(1)
    def search(self) -> None:
        self.client.get("/demands/?q=贷款", name="/demands/?q=")

    @task(1)
    def statistics(self) -> None:
        self.client.get("/demands/statistics/", name="/demands/statistics/")


class Handler(_DemoUser):
    weight = 3
    username = "handler"

    @task(4)
    def inbox(self) -> None:
        self.client.get("/demands/inbox/", name="/demands/inbox/")

    @task(2)
    def demand(self) -> None:
        self.open_demand()


class Liaison(_DemoUser):
    weight = 3
    username = "liaison"

    @task(3)
    def mine(self) -> None:
        self.client.get("/demands/mine/", name="/demands/mine/")

    @task(1)
    def file_demand(self) -> None:
        enterprises = self.client.get("/api/v1/enterprises/?page_size=20", name="/api/v1/enterprises/")
        categories = self.client.get("/api/v1/demand-categories/", name="/api/v1/demand-categories/")
        if not (enterprises.ok and categories.ok):
            return
        mine = enterprises.json().get("results", [])
        kinds = categories.json()
        kinds = kinds.get("results", kinds) if isinstance(kinds, dict) else kinds
        if not mine or not kinds:
            return
        self.client.post(
            "/api/v1/demands/",
            json={
                "enterprise": random.choice(mine)["id"],
                "category": random.choice(kinds)["id"],
                "description": "压力测试：企业反映用工招聘困难，希望协调对接职业院校",
            },
            headers={"X-CSRFToken": self.client.cookies.get("csrftoken", "")},
            name="POST /api/v1/demands/",
        )


class Leader(_DemoUser):
    weight = 1
    username = "leader"

    @task(2)
    def home(self) -> None:
        self.client.get("/", name="/")

    @task(2)
    def statistics(self) -> None:
        self.client.get("/demands/statistics/", name="/demands/statistics/")

    @task(1)
    def legacy(self) -> None:
        self.client.get("/demands/legacy/", name="/demands/legacy/")
