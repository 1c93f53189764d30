"""The reference implementation printed in docs/inspection-draws.md, loaded from the page
itself, so that the tests hold the engine and the documentation to the same result."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

DOCS = Path(__file__).resolve().parents[4] / "docs" / "inspection-draws.md"


def docs_text() -> str:
    return DOCS.read_text(encoding="utf-8")


def _load() -> Callable[[dict[str, Any]], list[dict[str, Any]]]:
    section = docs_text().split("## Reference implementation", 1)[1]
    code = re.search(r"```python\n(.*?)```", section, re.S)
    assert code, "the reference implementation's code block is missing from the docs"
    namespace: dict[str, Any] = {}
    exec(compile(code.group(1), str(DOCS), "exec"), namespace)
    return namespace["recompute"]


recompute = _load()
