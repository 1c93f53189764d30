"""The English interface: the pages a visitor sees after switching to English, and the catalogue
behind them (every Chinese msgid translated, placeholders kept, the compiled file current, and
no string in the code missing from it)."""

from __future__ import annotations

import html
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import translation

from lianqi.core.roles import Role
from lianqi.enterprises import creditcode
from lianqi.enterprises.choices import EnterpriseKind
from lianqi.testing.world import PASSWORD, World, credit_code

CATALOGUE = Path(settings.BASE_DIR) / "lianqi" / "locale" / "en" / "LC_MESSAGES" / "django.po"
#: Kept in step with scripts/messages.sh.
IGNORED = [".venv", "var", "bench", "build", "test-artifacts", "node_modules"]
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|%%")


# --- A small reader for .po files (the project depends on no gettext library) ---------------


@dataclass
class Entry:
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def _unquote(text: str) -> str:
    body = text.strip()
    assert body.startswith('"') and body.endswith('"'), body
    escapes = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}
    return re.sub(r"\\(.)", lambda m: escapes.get(m.group(1), m.group(1)), body[1:-1])


def read_po(path: Path) -> list[Entry]:
    """Every live entry of a .po file, the header (msgid "") first; obsolete ones are skipped."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] = ("", 0)
    pending_flags: set[str] = set()
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            continue
        if line.startswith("#,"):
            pending_flags |= {f.strip() for f in line[2:].split(",")}
            continue
        if line.startswith("#"):
            continue
        keyword, _, rest = line.partition(" ")
        if keyword == "msgid":
            current = Entry(msgid=_unquote(rest), flags=pending_flags, line=number)
            entries.append(current)
            pending_flags = set()
            target = ("msgid", 0)
        elif keyword == "msgid_plural":
            assert current is not None
            current.msgid_plural = _unquote(rest)
            target = ("msgid_plural", 0)
        elif keyword.startswith("msgstr"):
            assert current is not None
            index = int(keyword[7:-1]) if keyword.startswith("msgstr[") else 0
            current.msgstr[index] = _unquote(rest)
            target = ("msgstr", index)
        elif line.startswith('"'):
            assert current is not None
            piece = _unquote(line)
            if target[0] == "msgid":
                current.msgid += piece
            elif target[0] == "msgid_plural":
                current.msgid_plural = (current.msgid_plural or "") + piece
            else:
                current.msgstr[target[1]] += piece
        else:
            raise AssertionError(f"{path}:{number}: cannot read {raw!r}")
    return entries


def messages(path: Path = CATALOGUE) -> list[Entry]:
    return [e for e in read_po(path) if e.msgid]


# --- Pages in English -------------------------------------------------------------------------


def english_client(user: Any | None = None) -> Client:
    """A browser that has pressed the language switch (the cookie `set_language` leaves)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    return client


def page_text(response: Any) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def test_login_page_in_english_after_the_switch(db: None) -> None:
    page = page_text(english_client().get(reverse("login")))
    assert '<html lang="en">' in page
    for english in ("Sign in", "Enterprise service and dispatch platform for industrial parks", "Lianqi"):
        assert english in page
    for chinese in ("登录", "园区企业服务与调度平台", "忘记密码"):
        assert chinese not in page
    assert "简体中文" in page  # the way back is named in its own language


def test_browser_asking_for_english_gets_english(db: None) -> None:
    page = page_text(Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9"))
    assert "Sign in" in page and "登录" not in page
    chinese = page_text(Client().get(reverse("login"), HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9"))
    assert "登录" in chinese and "Sign in" not in chinese


def test_signing_in_in_english_reports_a_wrong_password_in_english(world: World) -> None:
    client = english_client()
    user = world.user(Role.LEADER)
    page = page_text(client.post(reverse("login"), {"username": user.username, "password": PASSWORD + "x"}))
    assert "Please enter a correct username and password" in page
    response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302


def test_leader_home_in_english(world: World) -> None:
    page = page_text(english_client(world.user(Role.LEADER)).get(reverse("home")))
    for english in ("Home", "Enterprises", "Liaison coverage", "Park overview", "Enterprises in the park"):
        assert english in page, english
    assert "Sign out" in page and "Change password" in page
    for chinese in ("首页", "园区概况", "在园企业", "联企覆盖率", "退出登录", "修改密码"):
        assert chinese not in page, chinese


def test_enterprise_list_in_english(world: World) -> None:
    page = page_text(english_client(world.user(Role.LEADER)).get(reverse("enterprises:list")))
    for english in (
        "Enterprise directory",
        "Unified social credit code",
        "Entity type",
        "Export to Excel",
        str(_english(EnterpriseKind.ABOVE_SIZE.label)),
        "1 result",
    ):
        assert english in page, english
    assert world.home.enterprise.name in page  # data stays as entered
    for chinese in ("企业名录", "统一社会信用代码", "主体类型", "导出 Excel", "规上企业", "共 1 条"):
        assert chinese not in page, chinese


def test_enterprise_detail_in_english(world: World) -> None:
    enterprise = world.home.enterprise
    client = english_client(world.user(Role.LEADER))
    page = page_text(client.get(reverse("enterprises:detail", args=[enterprise.pk])))
    for english in (
        "Basic information",
        "Legal representative",
        "Enterprise code",
        "Change history",
        "In the park",
    ):
        assert english in page, english
    for chinese in ("基本信息", "法定代表人", "营商码", "变更记录", "在园"):
        assert chinese not in page, chinese


def test_form_error_in_english_names_the_expected_check_character(world: World) -> None:
    good = credit_code()
    wrong = good[:17] + next(c for c in creditcode.ALPHABET if c != good[17])
    response = english_client(world.user(Role.SERVICE_OFFICE)).post(
        reverse("enterprises:create"),
        {
            "credit_code": wrong,
            "name": "湘潭智造装备有限公司",
            "kind": EnterpriseKind.ABOVE_SIZE,
            "status": "active",
            "industry": "38",
            "jurisdiction": world.home.park.pk,
        },
    )
    page = page_text(response)
    assert f"Wrong check character: the last character should be “{good[17]}”, not “{wrong[17]}”" in page
    assert "校验码错误" not in page and "最后一位应为" not in page
    assert "New enterprise" in page and "湘潭智造装备有限公司" in page  # typed values are kept


def test_switching_back_to_chinese(world: World) -> None:
    client = english_client(world.user(Role.LEADER))
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/"})
    page = page_text(client.get(reverse("home")))
    assert "园区概况" in page and "Park overview" not in page


# --- The catalogue ----------------------------------------------------------------------------


def _english(text: Any) -> str:
    with translation.override("en"):
        return str(text)


def test_catalogue_header_declares_english_plurals() -> None:
    header = read_po(CATALOGUE)[0]
    assert header.msgid == "" and "fuzzy" not in header.flags  # a fuzzy header would be skipped
    assert "Language: en\n" in header.msgstr[0]
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in header.msgstr[0]


def test_every_entry_is_translated_and_none_is_fuzzy() -> None:
    entries = messages()
    assert len(entries) > 500  # the catalogue was actually read
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    empty = [
        e.msgid for e in entries if not all(e.msgstr.get(i) for i in ([0, 1] if e.msgid_plural else [0]))
    ]
    assert fuzzy == [], f"fuzzy entries: {fuzzy}"
    assert empty == [], f"untranslated entries: {empty}"


def test_translations_are_english_and_keep_every_placeholder() -> None:
    cjk = re.compile(r"[\u4e00-\u9fff]")
    for entry in messages():
        wanted = sorted(PLACEHOLDER.findall(entry.msgid))
        for index, text in entry.msgstr.items():
            assert sorted(PLACEHOLDER.findall(text)) == wanted, (entry.line, entry.msgid, text)
            # Chinese may be quoted (a column name, 休/班 of the holiday notice), not left as prose.
            unquoted = re.sub(r"“[^”]*”|\([^)]*\)", "", text)
            assert not cjk.search(unquoted), (entry.line, entry.msgid, text, index)


def test_compiled_catalogue_matches_the_po_file() -> None:
    """django.mo is what Django reads: every msgid of the .po must come out of it as written."""
    stale = []
    with translation.override("en"):
        for entry in messages():
            if entry.msgid_plural is None:
                got = [translation.gettext(entry.msgid)]
            else:
                got = [translation.ngettext(entry.msgid, entry.msgid_plural, n) for n in (1, 2)]
            if got != [entry.msgstr[i] for i in range(len(got))]:
                stale.append((entry.msgid, got))
    assert stale == [], f"django.mo is older than django.po; run scripts/messages.sh: {stale[:5]}"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext (xgettext) is not installed")
def test_every_string_in_the_code_is_in_the_catalogue(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Extract afresh into a scratch folder: a string added to the code or a template without
    running scripts/messages.sh would show Chinese on the English screens."""
    monkeypatch.chdir(settings.BASE_DIR)
    scratch = tmp_path / "locale"
    scratch.mkdir()
    before = CATALOGUE.read_bytes()
    try:
        # Ignoring every folder named "locale" keeps makemessages from finding (and merging into)
        # the real catalogue on its walk; everything then lands in the scratch folder.
        with override_settings(LOCALE_PATHS=[str(scratch)]):
            call_command(
                "makemessages",
                locale=["en"],
                ignore_patterns=[*IGNORED, "locale"],
                no_location=True,
                verbosity=0,
            )
    finally:
        if CATALOGUE.read_bytes() != before:
            CATALOGUE.write_bytes(before)
            pytest.fail("makemessages wrote into the real catalogue (restored)")
    extracted = {(e.msgid, e.msgid_plural) for e in messages(scratch / "en" / "LC_MESSAGES" / "django.po")}
    catalogued = {(e.msgid, e.msgid_plural) for e in messages()}
    assert len(extracted) > 500
    missing = sorted(m for m, _ in extracted - catalogued)
    assert missing == [], f"not in the English catalogue; run scripts/messages.sh and translate: {missing}"
