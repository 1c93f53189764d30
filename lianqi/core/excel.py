"""Reading and writing the Excel files a government office exchanges (.xlsx via openpyxl).

Reading maps the header row to known columns by their Chinese (or English) titles and reports
missing or unknown headers; writing streams rows with a bold, frozen header."""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import IO, Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font


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
    for index, title in enumerate(header):
        if not title:
            continue
        column = next((c for c in columns if c.matches(title)), None)
        if column is None:
            unknown.append(title)
        else:
            mapping[index] = column.key
    missing = [c.title for c in columns if c.required and c.key not in mapping.values()]
    if missing or unknown:
        raise HeaderError(missing, unknown)
    if sheet.max_row is None:
        # Files written in write-only mode (ours included) do not record their dimensions.
        sheet.calculate_dimension(force=True)
    total = max(0, (sheet.max_row or 1) - 1)

    def iterate() -> Iterator[tuple[int, dict[str, Any]]]:
        for number, values in enumerate(rows, start=2):
            record = {key: _clean(values[i]) if i < len(values) else None for i, key in mapping.items()}
            if any(v is not None for v in record.values()):
                yield number, record
        workbook.close()

    return total, iterate()


def write_workbook(
    columns: Sequence[Column], rows: Iterable[Sequence[Any]], sheet_title: str = "Sheet1"
) -> bytes:
    """An .xlsx file with a header of column titles and the given rows (write-only mode, so a
    100,000-row export does not hold every cell object in memory)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31])
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    from openpyxl.cell import WriteOnlyCell

    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
