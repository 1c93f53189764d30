"""The app template (`lianqi/app_template/`) a new wing starts from: rendered with `startapp`, it
has every room of docs/architecture.md, its Python compiles, ruff finds nothing in it and no
placeholder is left. One rendering is committed as the test suite's sample wing
(`lianqi/testing/sample/`, whose own tests and the registry tests run on it), and a fresh
rendering must equal it, so the template cannot drift from what those tests prove."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[3]
TEMPLATE = REPO / "lianqi" / "app_template"
SAMPLE = REPO / "lianqi" / "testing" / "sample"

#: Every room of a wing (docs/architecture.md), for a wing named `sample`.
ROOMS = (
    "__init__.py",
    "apps.py",
    "models.py",
    "choices.py",
    "workflow.py",
    "actions.py",
    "queries.py",
    "permissions.py",
    "forms.py",
    "filters.py",
    "views.py",
    "urls.py",
    "dashboards.py",
    "measures.py",
    "migrations/__init__.py",
    "api/__init__.py",
    "api/serializers.py",
    "api/views.py",
    "api/urls.py",
    "templates/sample/list.html",
    "templates/sample/detail.html",
    "templates/sample/form.html",
    "templates/sample/enterprise_section.html",
    "templates/sample/code_list.html",
    "tests/__init__.py",
    "tests/factories.py",
    "tests/test_workflow.py",
    "tests/test_actions.py",
    "tests/test_views.py",
    "tests/test_api.py",
)
#: What is left of a placeholder the rendering missed (Django names its URL namespace `app_name`,
#: so that word is only looked for in file names).
PLACEHOLDERS = ("{{", "{%", "camel_case_")


def render(target: Path, name: str) -> Path:
    """`lianqi manage startapp <name> <target> --template lianqi/app_template`."""
    target.mkdir()
    # startapp hands what it wrote to black when black is on the PATH; the project formats with
    # ruff (whose line length differs), so the rendering is taken as the template wrote it.
    with mock.patch("django.core.management.templates.find_formatters", return_value={"black_path": None}):
        call_command("startapp", name, str(target), template=str(TEMPLATE), verbosity=0)
    return target


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("wings") / "sample", "sample")


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # A name with an underscore: the camel-cased one (LandLeases) must be as valid as the plain.
    return render(tmp_path_factory.mktemp("wings") / "land_leases", "land_leases")


def files(root: Path) -> dict[str, str]:
    """Every file of a rendered wing by its path, leaving out what is not the template's: byte
    code, and the migrations `makemigrations` wrote for the committed copy."""
    return {
        path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
        for path in sorted(root.rglob("*"))
        if path.is_file()
        and "__pycache__" not in path.parts
        and not (path.parent.name == "migrations" and path.name != "__init__.py")
    }


def ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, "--config", str(REPO / "pyproject.toml"), "--no-cache"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_template_holds_no_python_file_that_tools_would_pick_up() -> None:
    # `.py-tpl` files are neither imported, collected by pytest, linted nor type-checked.
    assert not list(TEMPLATE.rglob("*.py"))
    assert (TEMPLATE / "models.py-tpl").is_file()


def test_every_room_is_rendered(sample: Path) -> None:
    rendered = files(sample)
    missing = [room for room in ROOMS if room not in rendered]
    assert missing == []


@pytest.mark.parametrize("wing", ["sample", "other"])
def test_every_python_file_compiles_with_no_placeholder_left(
    wing: str, request: pytest.FixtureRequest
) -> None:
    root: Path = request.getfixturevalue(wing)
    for name, text in files(root).items():
        assert "app_name" not in name, name
        if name.endswith(".py"):
            compile(text, name, "exec")
            assert not any(mark in text for mark in PLACEHOLDERS), name
        else:
            # Page templates are copied as they are: they name no app, they are handed URLs.
            assert "camel_case_" not in text and "{{ app_name" not in text, name


def test_ruff_finds_nothing_in_a_rendered_wing(sample: Path, other: Path) -> None:
    checked = ruff("check", str(sample), str(other))
    assert checked.returncode == 0, checked.stdout + checked.stderr
    formatted = ruff("format", "--check", str(sample))
    assert formatted.returncode == 0, formatted.stdout + formatted.stderr


def test_the_committed_sample_wing_is_a_fresh_rendering(sample: Path) -> None:
    fresh, committed = files(sample), files(SAMPLE)
    assert sorted(fresh) == sorted(committed)
    differing = [name for name in fresh if fresh[name] != committed[name]]
    assert differing == [], (
        "lianqi/testing/sample/ differs from the template: render it again with "
        "`lianqi manage startapp sample <folder> --template lianqi/app_template` and copy it over"
    )
