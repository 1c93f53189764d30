"""Every page a role can reach by clicking opens.

The demo park is built once (small scale), then for each demo login the pages are walked
breadth-first from the home page, following every same-origin link. A link shown to a role must
open for that role (no 403, no 404) and no page may fail with a server error. The GET forms on
the pages reached (filters, search, sorting) are then submitted empty and with nonsense values:
bad input in a query string must never cause a server error either.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit

import pytest
from django.db import transaction
from django.test import Client

from lianqi.accounts.models import User
from lianqi.core.roles import STAFF_ROLES
from lianqi.demo.builder import DEMO_USERNAMES, build_demo

SCALE = 0.05
#: Distinct addresses walked per role; enough to reach every kind of page at least once.
MAX_PAGES = 220
#: Query-string variants kept per path; beyond that only the bare path is walked, so that
#: pagination and sorting links do not make the walk explode.
QUERY_VARIANTS = 3
#: Addresses kept per kind of page (the same path with other numbers in it): five enterprise
#: pages prove as much as fifty, and the walk's budget goes to other kinds of page instead.
PER_SHAPE = 5
#: Paths never followed: logging out ends the walk, the language switch and the REST API docs
#: are not pages of the application, the Django admin has its own tests.
SKIP_PREFIXES = ("/accounts/logout/", "/i18n/", "/django-admin/", "/api/", "/static/", "/media/")
#: Nonsense for every kind of filter: unknown choices, non-numbers, numbers too large for a key.
GARBAGE = {
    "kind": "zzz",
    "page": "abc",
    "sort": "bogus",
    "industry": "!!",
    "liaison": "999999999999999999999",
    "q": "%' OR 1=1 --\x00",
    "status": "zzz",
    "tier": "zzz",
    "tag": "999999999999999999999",
    "department": "abc",
    "jurisdiction": "-1",
    "year": "99999999",
    "per_page": "-5",
    "role": "zzz",
    "order": "zzz",
}
#: Values tried for any field name not above.
GARBAGE_ANY = ("zzz", "999999999999999999999", "-1", "!!", "")


class _PageParser(HTMLParser):
    """Collects link targets and the GET forms (action and field names) of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[tuple[str, list[str]]] = []
        self._form: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"] or "")
        elif tag == "form":
            method = (a.get("method") or "get").lower()
            self._form = (a.get("action") or "", []) if method == "get" else None
            if self._form is not None:
                self.forms.append(self._form)
        elif tag in ("input", "select", "textarea") and self._form is not None and a.get("name"):
            self._form[1].append(a["name"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


@dataclass
class Walk:
    """What one role's walk found."""

    role: str
    visited: dict[str, int] = field(default_factory=dict)
    #: (address, page the link was on, status or exception)
    problems: list[str] = field(default_factory=list)
    #: (page address, form action, field names)
    forms: list[tuple[str, str, tuple[str, ...]]] = field(default_factory=list)


def _normalise(href: str, base: str) -> str | None:
    """The same-origin path (with its query) a link points to, or None when it is not followed."""
    href = href.strip()
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
        return None
    parts = urlsplit(urljoin("http://testserver" + base, href))
    if parts.scheme not in ("http", "https") or parts.netloc != "testserver":
        return None
    if parts.path.startswith(SKIP_PREFIXES):
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _shape(path: str) -> str:
    """The kind of page a path is: numbers and public code tokens replaced by a placeholder."""
    path = re.sub(r"^/c/[^/]+/", "/c/<token>/", path)
    return re.sub(r"(?<=/)[0-9][0-9-]*(?=[/.]|$)", "<n>", path)


def _get(client: Client, url: str, data: dict[str, str] | None = None) -> tuple[Any, str | None]:
    try:
        return client.get(url, data), None
    except Exception as exc:  # a server error is what the walk looks for
        return None, f"{type(exc).__name__}: {exc}"[:300]


def _walk(client: Client, role: str) -> Walk:
    walk = Walk(role)
    queue: deque[tuple[str, str]] = deque([("/", "(start)")])
    seen = {"/"}
    variants: dict[str, int] = {}
    shapes: dict[str, int] = {}
    forms_seen: set[tuple[str, tuple[str, ...]]] = set()
    while queue and len(walk.visited) < MAX_PAGES:
        url, source = queue.popleft()
        response, error = _get(client, url)
        if error is not None:
            walk.problems.append(f"{url} (linked from {source}): {error}")
            walk.visited[url] = 500
            continue
        status = response.status_code
        walk.visited[url] = status
        if status not in (200, 302):
            walk.problems.append(f"{url} (linked from {source}): answered {status}")
            continue
        if status == 302:
            target = _normalise(response["Location"], url)
            if target and "/accounts/login/" in target:
                walk.problems.append(f"{url} (linked from {source}): sent to the login page")
            elif target and target not in seen:
                seen.add(target)
                queue.append((target, url))
            continue
        if not response.get("Content-Type", "").startswith("text/html"):
            continue
        parser = _PageParser()
        parser.feed(response.content.decode(response.charset or "utf-8", "replace"))
        for action, names in parser.forms:
            target = _normalise(action, url) if action else url.split("?")[0]
            if target is None:
                continue
            key = (target.split("?")[0], tuple(sorted(set(names))))
            if key not in forms_seen:
                forms_seen.add(key)
                walk.forms.append((url, key[0], key[1]))
        for href in parser.links:
            target = _normalise(href, url)
            if target is None or target in seen:
                continue
            path = target.split("?")[0]
            if "?" in target:
                variants[path] = variants.get(path, 0) + 1
                if variants[path] > QUERY_VARIANTS:
                    target = path
                    if target in seen:
                        continue
            shape = _shape(path)
            if shapes.get(shape, 0) >= PER_SHAPE:
                continue
            shapes[shape] = shapes.get(shape, 0) + 1
            seen.add(target)
            queue.append((target, url))
    return walk


def _submit_forms(client: Client, walk: Walk) -> None:
    """Each GET form: once empty, once with nonsense in every field and the usual filter names."""
    for page, action, names in walk.forms:
        empty = dict.fromkeys(names, "")
        nonsense = {
            name: GARBAGE.get(name, GARBAGE_ANY[i % len(GARBAGE_ANY)]) for i, name in enumerate(names)
        }
        nonsense = {**GARBAGE, **nonsense}
        for label, data in (("empty", empty), ("nonsense", nonsense)):
            response, error = _get(client, action, data)
            where = f"form {action} on {page} ({label}: {urlencode(data)[:200]})"
            if error is not None:
                walk.problems.append(f"{where}: {error}")
            elif response.status_code >= 500 or response.status_code == 403:
                walk.problems.append(f"{where}: answered {response.status_code}")
        # Nonsense also in the query of the page the form was found on (e.g. a sorted list).
        query = dict(parse_qsl(urlsplit(page).query))
        response, error = _get(client, urlsplit(page).path, {**query, **GARBAGE})
        if error is not None:
            walk.problems.append(f"{page} with nonsense query: {error}")
        elif response.status_code >= 500:
            walk.problems.append(f"{page} with nonsense query: answered {response.status_code}")


@pytest.fixture(scope="module")
def demo_park(django_db_setup: Any, django_db_blocker: Any) -> Any:
    """The demo park, built once for the module inside a transaction rolled back at the end."""
    with django_db_blocker.unblock(), transaction.atomic():
        build_demo(scale=SCALE, seed=5)
        yield
        transaction.set_rollback(True)


@pytest.mark.parametrize(
    "role,username", [(r.value, u) for r, u in DEMO_USERNAMES], ids=[u for _, u in DEMO_USERNAMES]
)
def test_every_link_a_role_sees_opens(demo_park: Any, db: Any, role: str, username: str) -> None:
    client = Client()
    client.force_login(User.objects.get(username=username))
    walk = _walk(client, role)
    # Staff pages link to each other: a walk that stops at the home page would prove nothing.
    # (The enterprise and finance roles have only their home page and account in this build.)
    assert walk.visited.get("/") == 200
    if role in STAFF_ROLES:
        assert len(walk.visited) > 3, walk.visited
    _submit_forms(client, walk)
    assert not walk.problems, f"{username}: " + "\n".join(walk.problems)


def test_walk_reaches_the_main_pages_for_the_service_office(demo_park: Any, db: Any) -> None:
    """Guards the walk itself: if links stopped being followed, the test above would pass empty."""
    client = Client()
    client.force_login(User.objects.get(username="office"))
    walk = _walk(client, "office")
    paths = {url.split("?")[0] for url in walk.visited}
    assert "/enterprises/" in paths
    assert any(p.startswith("/enterprises/") and p.rstrip("/").split("/")[-1].isdigit() for p in paths)
    assert {"/liaisons/", "/liaisons/rules/", "/org/staff/", "/workdays/"} <= paths
    assert walk.forms, "no GET form found on any page"
