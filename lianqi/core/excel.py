"""Reading and writing the Excel files a government office exchanges (.xlsx via openpyxl).

Reading maps the header row to known columns by their Chinese (or English) titles and reports
missing or unknown headers; writing streams rows with a bold, frozen header. A column whose
personal data was masked for the user who exported it says so in its header (`MASKED_TITLE`), and
reading such a file back ignores that column's cells: a masked number is not data."""

from __future__ import annotations

import io
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop, override
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

#: The header of a column whose values were masked for the user who exported it.
MASKED_TITLE = gettext_noop("%(title)s（已脱敏）")


def masked_title(title: str) -> str:
    """A column's header marked as masked, in the current language."""
    return _(MASKED_TITLE) % {"title": title}


def unmarked(header: str) -> tuple[str, bool]:
    """A header without its masked mark (in Chinese or English, whichever language wrote the
    file), and whether it carried one."""
    with override("en"):
        english = _(MASKED_TITLE) % {"title": ""}
    for mark in (MASKED_TITLE % {"title": ""}, english):
        if mark.strip() and header.endswith(mark):
            return header[: -len(mark)].strip(), True
    return header, False


@dataclass(frozen=True)
class Column:
    key: str
    title: str
    required: bool = False
    aliases: tuple[str, ...] = ()

    def matches(self, header: str) -> bool:
        return header == self.title or header in self.aliases or header == self.key


class HeaderError(ValueError):
    """The header row does not fit: names the missing and unknown columns."""

    def __init__(self, missing: list[str], unknown: list[str]) -> None:
        self.missing = missing
        self.unknown = unknown
        super().__init__(f"missing={missing} unknown={unknown}")


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    return value


def read_rows(
    source: str | IO[bytes], columns: Sequence[Column]
) -> tuple[int, Iterator[tuple[int, dict[str, Any]]]]:
    """Open the first sheet, check its header and return (row count, iterator of (Excel row
    number, {key: value})). Fully empty rows are skipped."""
    workbook = load_workbook(source, read_only=True, data_only=True)
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    try:
        header = [str(h).strip() if h is not None else "" for h in next(rows)]
    except StopIteration:
        raise HeaderError([c.title for c in columns if c.required], []) from None
    mapping: dict[int, str] = {}
    unknown: list[str] = []
    masked: set[int] = set()
    for index, raw_title in enumerate(header):
        if not raw_title:
            continue
        title, was_masked = unmarked(raw_title)
        column = next((c for c in columns if c.matches(title)), None)
        if column is None:
            unknown.append(raw_title)
        else:
            mapping[index] = column.key
            if was_masked:
                masked.add(index)
    missing = [c.title for c in columns if c.required and c.key not in mapping.values()]
    if missing or unknown:
        raise HeaderError(missing, unknown)
    if sheet.max_row is None:
        # Files written in write-only mode (ours included) do not record their dimensions.
        sheet.calculate_dimension(force=True)
    total = max(0, (sheet.max_row or 1) - 1)

    def iterate() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, values in enumerate(rows, start=2):
            record = {
                key: _clean(values[i]) if i < len(values) and i not in masked else None
                for i, key in mapping.items()
            }
            if any(v is not None for v in record.values()):
                yield number, record
        workbook.close()

    return total, iterate()


def append_header(sheet: Any, titles: Iterable[Any]) -> None:
    """Append a row of bold titles to a write-only sheet (the header of a table)."""
    bold = Font(bold=True)
    cells = []
    for title in titles:
        cell = WriteOnlyCell(sheet, value=str(title))
        cell.font = bold
        cells.append(cell)
    sheet.append(cells)


def write_workbook(
    columns: Sequence[Column],
    rows: Iterable[Sequence[Any]],
    sheet_title: str = "Sheet1",
    masked: Collection[str] = (),
) -> bytes:
    """An .xlsx file with a header of column titles and the given rows (write-only mode, so a
    100,000-row export does not hold every cell object in memory). The columns whose keys are
    in `masked` say in their header that their values are masked (`masked_title`)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    append_header(sheet, [masked_title(c.title) if c.key in masked else c.title for c in columns])
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
