"""Forms of the working-day calendar: entering a newly announced year by pasting its lines, and
adding or correcting one day."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lianqi.core.actions import MAX_YEAR, MIN_YEAR, NOTE_LENGTH, DayEntry, entry_problems
from lianqi.core.forms import StyledForm
from lianqi.core.models import SpecialDay

#: Words accepted for each kind at the end of a line: the notice itself says 休 / 班.
KIND_WORDS = {
    "休": SpecialDay.Kind.HOLIDAY,
    "假": SpecialDay.Kind.HOLIDAY,
    "放假": SpecialDay.Kind.HOLIDAY,
    "休息": SpecialDay.Kind.HOLIDAY,
    "holiday": SpecialDay.Kind.HOLIDAY,
    "班": SpecialDay.Kind.WORKDAY,
    "上班": SpecialDay.Kind.WORKDAY,
    "补班": SpecialDay.Kind.WORKDAY,
    "workday": SpecialDay.Kind.WORKDAY,
}
RANGE_WORDS = {"至", "到", "~", "～"}
#: One holiday period is at most nine days; a longer range is a typing mistake.
MAX_RANGE_DAYS = 31
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_SEPARATORS = re.compile(r"[\s,，、;；]+")
MAX_LINES = 400


def parse_date(text: str) -> dt.date | None:
    """A date written as 2027-01-01, 2027/1/1, 2027.1.1 or 2027年1月1日; None if it is not one."""
    match = _DATE.match(text.strip())
    if not match:
        return None
    try:
        return dt.date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def _split_range(tokens: list[str]) -> tuple[str, list[str]]:
    """The date part of a line (a date or a range ``A~B`` / ``A 至 B``) and the rest."""
    if len(tokens) >= 3 and tokens[1] in RANGE_WORDS:
        return f"{tokens[0]}~{tokens[2]}", tokens[3:]
    return tokens[0], tokens[1:]


def parse_line(line: str, year: int) -> tuple[list[DayEntry], list[str]]:
    """The days one line describes, or what is wrong with it."""
    tokens = [t for t in _SEPARATORS.split(line.strip()) if t]
    if not tokens:
        return [], []
    date_part, rest = _split_range(tokens)
    if not rest:
        return [], [_("缺少类型，行末应写“休”或“班”")]
    kind = KIND_WORDS.get(rest[-1].lower())
    if kind is None:
        return [], [_("类型“%(kind)s”无效，行末应写“休”或“班”") % {"kind": rest[-1]}]
    name = " ".join(rest[:-1])
    pieces = re.split(r"[~～至到]", date_part)
    if len(pieces) > 2:
        return [], [_("日期“%(text)s”无效") % {"text": date_part}]
    dates = [parse_date(p) for p in pieces]
    for piece, parsed in zip(pieces, dates, strict=True):
        if parsed is None:
            return [], [_("日期“%(text)s”无效，应写成 %(year)d-01-01") % {"text": piece, "year": year}]
    first, last = dates[0], dates[-1]
    assert first is not None and last is not None
    if last < first:
        return [], [_("日期范围“%(text)s”的结束早于开始") % {"text": date_part}]
    if (last - first).days >= MAX_RANGE_DAYS:
        return [], [_("日期范围“%(text)s”超过 %(n)d 天") % {"text": date_part, "n": MAX_RANGE_DAYS}]
    entries = [DayEntry(first + dt.timedelta(days=i), kind, name) for i in range((last - first).days + 1)]
    problems: list[str] = []
    for entry in entries:
        problems += entry_problems(entry, year)
    return entries, problems


def parse_lines(text: str, year: int) -> tuple[list[DayEntry], list[str]]:
    """Every day of a pasted arrangement, and one message per bad line naming that line.
    Blank lines and lines starting with # are skipped."""
    entries: list[DayEntry] = []
    errors: list[str] = []
    first_line: dict[dt.date, int] = {}
    lines = text.splitlines()
    if len(lines) > MAX_LINES:
        return [], [_("一次最多 %(n)d 行") % {"n": MAX_LINES}]
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        found, problems = parse_line(line, year)
        for entry in found:
            if entry.day in first_line:
                problems.append(
                    _("%(day)s 与第 %(n)d 行重复")
                    % {"day": entry.day.isoformat(), "n": first_line[entry.day]}
                )
            else:
                first_line[entry.day] = number
        for problem in problems:
            errors.append(
                _("第 %(n)d 行“%(line)s”：%(problem)s") % {"n": number, "line": line, "problem": problem}
            )
        entries += found
    if not entries and not errors:
        errors.append(_("请至少填写一行，例如“%(year)d-01-01 元旦 休”") % {"year": year})
    return entries, errors


class EnterYearForm(StyledForm):
    """A newly announced year, pasted line by line from the State Council's notice."""

    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=MIN_YEAR, max_value=MAX_YEAR)
    lines = forms.CharField(
        label=gettext_lazy("节假日安排"),
        widget=forms.Textarea(attrs={"rows": 14, "spellcheck": "false"}),
        help_text=gettext_lazy(
            "每行一天或一段：日期、名称、休或班。例如“2027-01-01 元旦 休”、"
            "“2027-02-05~2027-02-12 春节 休”、“2027-02-14 春节 班”。周末放假的日子也要写上。"
        ),
    )
    note = forms.CharField(
        label=gettext_lazy("备注"),
        required=False,
        max_length=NOTE_LENGTH,
        help_text=gettext_lazy("例如通知文号：国办发明电〔2026〕×号"),
    )
    replace = forms.BooleanField(label=gettext_lazy("替换该年已有数据"), required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        year = cleaned.get("year")
        text = cleaned.get("lines")
        if year is not None and text is not None:
            entries, errors = parse_lines(text, year)
            if errors:
                self.add_error("lines", ValidationError(errors))
            else:
                cleaned["days"] = entries
        return cleaned


class DayForm(StyledForm):
    """One special day of an entered year: add it or correct it."""

    day = forms.DateField(
        label=gettext_lazy("日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=SpecialDay.Kind.choices)
    name = forms.CharField(
        label=gettext_lazy("名称"), required=False, max_length=60, help_text=gettext_lazy("例如 春节、国庆节")
    )

    def __init__(self, *args: Any, year: int, **kwargs: Any) -> None:
        self.year = year
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, kind = cleaned.get("day"), cleaned.get("kind")
        if day is not None and kind is not None:
            for problem in entry_problems(DayEntry(day, kind, cleaned.get("name", "")), self.year):
                self.add_error("day", problem)
        return cleaned


class DeadlineForm(StyledForm):
    """Try the clock: the due date of something assigned on a day with n working days."""

    start = forms.DateField(
        label=gettext_lazy("交办日期"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    n = forms.IntegerField(label=gettext_lazy("办理时限（工作日）"), min_value=0, max_value=250)
