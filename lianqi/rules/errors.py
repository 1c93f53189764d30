"""Errors found in rules, each located precisely enough for the author to find it: the rule
(index from 1 and code), the node's tree path, the field, and where the file allows it the line
(YAML / JSON) or the sheet and row (spreadsheet)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Issue:
    message: str
    rule: int | None = None  # position of the rule in its file, from 1
    code: str = ""
    path: str = ""  # tree path (1.2.1), or "benefit", "tests.2", "parameters.threshold"
    field: str = ""
    line: int | None = None  # YAML / JSON line, or spreadsheet row
    sheet: str = ""

    def located(self, *, line: int | None = None, sheet: str = "") -> Issue:
        return replace(self, line=line, sheet=sheet or self.sheet)

    def __str__(self) -> str:
        where = []
        if self.sheet:
            where.append(
                f"工作表「{self.sheet}」第 {self.line} 行" if self.line else f"工作表「{self.sheet}」"
            )
        elif self.line:
            where.append(f"第 {self.line} 行")
        if self.rule is not None:
            where.append(f"第 {self.rule} 条规则" + (f"（{self.code}）" if self.code else ""))
        if self.path:
            where.append(f"位置 {self.path}")
        if self.field:
            where.append(f"字段 {self.field}")
        return ("，".join(where) + "：" if where else "") + self.message


class RuleError(ValueError):
    """A rule or rule file refused as a whole; `issues` lists every error found."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))
