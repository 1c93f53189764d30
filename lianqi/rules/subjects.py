"""Subjects (enterprises, parcels …) as the engine reads them: a columnar table of numpy arrays
with a mask of which values are known, built from plain records (a list of dicts).

A record maps attribute names to values; a missing key or None means "not known":

    {"id": 17, "jurisdiction": "431302", "industry": "3811", "kind": "above_size",
     "tags": {"专精特新"}, "founded_on": date(2015, 3, 1), "employees": 120,
     "revenue": {2024: 1800, 2023: 1500}}

Codes are kept as indexes into a list of distinct strings (a park has a few thousand distinct
codes, so prefix tests run once per distinct code), tags as a boolean matrix over the tags
seen, yearly figures as a (subjects × years) matrix."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np

from .catalogue import AttributeKind, Catalogue, normalise_industry

Profile = dict[str, Any]  # attribute → normalised value (None when not known)


def _number(value: Any) -> float | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"not a number: {value!r}")
    if isinstance(value, int | float | Decimal | str):
        number = float(value)
        return None if np.isnan(number) else number
    raise ValueError(f"not a number: {value!r}")


def _date(value: Any) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def normalise_record(record: Mapping[str, Any], catalogue: Catalogue) -> Profile:
    """The record's values in the form the engine compares: codes as stripped strings (industry
    with its section letter), tags as a frozenset, numbers as floats, yearly figures as
    {year: float}, dates as dates; anything missing as None. Raises ValueError naming the
    attribute for a value of the wrong type."""
    profile: Profile = {}
    for attribute in catalogue:
        raw = record.get(attribute.name)
        try:
            if attribute.kind in (AttributeKind.CODE, AttributeKind.ENUM):
                profile[attribute.name] = None if raw in (None, "") else str(raw).strip()
            elif attribute.kind is AttributeKind.INDUSTRY:
                profile[attribute.name] = None if raw in (None, "") else normalise_industry(str(raw))
            elif attribute.kind is AttributeKind.TAGS:
                profile[attribute.name] = None if raw is None else frozenset(str(t) for t in raw)
            elif attribute.kind is AttributeKind.NUMBER:
                profile[attribute.name] = _number(raw)
            elif attribute.kind is AttributeKind.YEARLY:
                figures: dict[int, float] = {}
                for year, value in (raw or {}).items():
                    number = _number(value)
                    if number is not None:
                        figures[int(year)] = number
                profile[attribute.name] = figures
            else:
                profile[attribute.name] = _date(raw)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{attribute.name}: {error}") from error
    return profile


class CodeColumn:
    """Strings stored as indexes into `uniques` (-1 = not known)."""

    def __init__(self, values: Sequence[str | None]) -> None:
        self.uniques: list[str] = []
        self._index: dict[str, int] = {}
        self.codes = np.fromiter((self._code(v) for v in values), dtype=np.int32, count=len(values))

    def _code(self, value: str | None) -> int:
        if value is None:
            return -1
        code = self._index.get(value)
        if code is None:
            code = self._index[value] = len(self.uniques)
            self.uniques.append(value)
        return code

    @property
    def known(self) -> np.ndarray:
        return self.codes >= 0

    def get(self, row: int) -> str | None:
        code = int(self.codes[row])
        return None if code < 0 else self.uniques[code]

    def set(self, row: int, value: str | None) -> None:
        self.codes[row] = self._code(value)

    def take(self, rows: np.ndarray) -> CodeColumn:
        copy = CodeColumn([])
        copy.uniques, copy._index, copy.codes = list(self.uniques), dict(self._index), self.codes[rows]
        return copy

    def lookup(self, truth_of_unique: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(known, truth) for every row, given the truth of each distinct value."""
        known = self.codes >= 0
        table = np.append(truth_of_unique.astype(bool), False)  # -1 reads the False sentinel
        return known, table[self.codes]


class TagsColumn:
    """Sets of tags, with a boolean matrix (rows × tags seen) for whole-column tests."""

    def __init__(self, values: Sequence[frozenset[str] | None]) -> None:
        self.sets: list[frozenset[str] | None] = list(values)
        vocabulary = sorted({tag for tags in values if tags for tag in tags})
        self.vocabulary: dict[str, int] = {tag: i for i, tag in enumerate(vocabulary)}
        self.known = np.fromiter((v is not None for v in values), dtype=bool, count=len(values))
        self.matrix = np.zeros((len(values), len(vocabulary)), dtype=bool)
        for row, tags in enumerate(values):
            for tag in tags or ():
                self.matrix[row, self.vocabulary[tag]] = True

    def take(self, rows: np.ndarray) -> TagsColumn:
        copy = TagsColumn([])
        copy.sets = [self.sets[r] for r in rows]
        copy.vocabulary, copy.known, copy.matrix = dict(self.vocabulary), self.known[rows], self.matrix[rows]
        return copy

    def has(self, tag: str) -> np.ndarray:
        column = self.vocabulary.get(tag)
        if column is None:
            return np.zeros(len(self.sets), dtype=bool)
        return self.matrix[:, column]

    def get(self, row: int) -> frozenset[str] | None:
        return self.sets[row]

    def set(self, row: int, value: frozenset[str] | None) -> None:
        for tag in value or ():
            if tag not in self.vocabulary:
                self.vocabulary[tag] = len(self.vocabulary)
                self.matrix = np.hstack([self.matrix, np.zeros((len(self.sets), 1), dtype=bool)])
        self.sets[row] = value
        self.known[row] = value is not None
        self.matrix[row] = False
        for tag in value or ():
            self.matrix[row, self.vocabulary[tag]] = True


class NumberColumn:
    def __init__(self, values: Sequence[float | None]) -> None:
        self.values = np.array([np.nan if v is None else v for v in values], dtype=np.float64)

    def take(self, rows: np.ndarray) -> NumberColumn:
        copy = NumberColumn([])
        copy.values = self.values[rows]
        return copy

    @property
    def known(self) -> np.ndarray:
        return ~np.isnan(self.values)

    def get(self, row: int) -> float | None:
        value = float(self.values[row])
        return None if np.isnan(value) else value

    def set(self, row: int, value: float | None) -> None:
        self.values[row] = np.nan if value is None else value


class YearlyColumn:
    """Figures per (row, year); NaN where not known."""

    def __init__(self, values: Sequence[Mapping[int, float]]) -> None:
        self.years: list[int] = sorted({year for figures in values for year in figures})
        position = {year: i for i, year in enumerate(self.years)}
        self.values = np.full((len(values), len(self.years)), np.nan, dtype=np.float64)
        for row, figures in enumerate(values):
            for year, value in figures.items():
                self.values[row, position[year]] = value

    def take(self, rows: np.ndarray) -> YearlyColumn:
        copy = YearlyColumn([])
        copy.years, copy.values = list(self.years), self.values[rows]
        return copy

    def year(self, year: int) -> np.ndarray:
        """One year's figures for every row (all NaN when no row has that year)."""
        if year not in self.years:
            return np.full(self.values.shape[0], np.nan)
        return self.values[:, self.years.index(year)]

    def get(self, row: int) -> dict[int, float]:
        return {y: float(v) for y, v in zip(self.years, self.values[row], strict=True) if not np.isnan(v)}

    def set(self, row: int, figures: Mapping[int, float]) -> None:
        for year in figures:
            if year not in self.years:
                self.years.append(year)
                self.years.sort()
                at = self.years.index(year)
                self.values = np.insert(self.values, at, np.nan, axis=1)
        self.values[row] = np.nan
        for year, value in figures.items():
            self.values[row, self.years.index(year)] = value


class DateColumn:
    """Dates as YYYYMMDD integers (0 = not known), so that full years elapsed up to a date D
    are (D − d) // 10000 for a whole column at once."""

    def __init__(self, values: Sequence[dt.date | None]) -> None:
        self.values = np.fromiter((_yyyymmdd(v) for v in values), dtype=np.int64, count=len(values))

    @property
    def known(self) -> np.ndarray:
        return self.values > 0

    def take(self, rows: np.ndarray) -> DateColumn:
        copy = DateColumn([])
        copy.values = self.values[rows]
        return copy

    def years_elapsed(self, as_of: dt.date) -> np.ndarray:
        return (_yyyymmdd(as_of) - self.values) // 10000

    def get(self, row: int) -> dt.date | None:
        value = int(self.values[row])
        return None if value == 0 else dt.date(value // 10000, value // 100 % 100, value % 100)

    def set(self, row: int, value: dt.date | None) -> None:
        self.values[row] = _yyyymmdd(value)


def _yyyymmdd(value: dt.date | None) -> int:
    return 0 if value is None else value.year * 10000 + value.month * 100 + value.day


Column = CodeColumn | TagsColumn | NumberColumn | YearlyColumn | DateColumn


@dataclass
class SubjectTable:
    """The subjects, one column per catalogue attribute; `ids` carries each record's "id"
    (its position when it has none)."""

    catalogue: Catalogue
    ids: np.ndarray
    columns: dict[str, Column]

    def __len__(self) -> int:
        return len(self.ids)

    def row_of(self, subject_id: Any) -> int:
        matches = np.flatnonzero(self.ids == subject_id)
        if not len(matches):
            raise KeyError(subject_id)
        return int(matches[0])

    def profile(self, row: int) -> Profile:
        """One subject's values, normalised, as `normalise_record` would give them."""
        return {name: column.get(row) for name, column in self.columns.items()}

    def set_profile(self, row: int, profile: Profile) -> None:
        for name, column in self.columns.items():
            column.set(row, profile[name])

    def take(self, rows: np.ndarray) -> SubjectTable:
        """A new table of the given rows (in that order, repeats allowed): a subset such as
        one park's enterprises, or a larger table for load tests."""
        columns: dict[str, Column] = {name: column.take(rows) for name, column in self.columns.items()}
        return SubjectTable(catalogue=self.catalogue, ids=self.ids[rows], columns=columns)


def build_table(records: Iterable[Mapping[str, Any]], catalogue: Catalogue) -> SubjectTable:
    """The columnar table of plain records (see the module docstring for their shape)."""
    profiles: list[Profile] = []
    ids: list[Any] = []
    for position, record in enumerate(records):
        try:
            profiles.append(normalise_record(record, catalogue))
        except ValueError as error:
            raise ValueError(f"subject {record.get('id', position)!r}: {error}") from error
        ids.append(record.get("id", position))
    columns: dict[str, Column] = {}
    for attribute in catalogue:
        values = [p[attribute.name] for p in profiles]
        if attribute.kind in (AttributeKind.CODE, AttributeKind.INDUSTRY, AttributeKind.ENUM):
            columns[attribute.name] = CodeColumn(values)
        elif attribute.kind is AttributeKind.TAGS:
            columns[attribute.name] = TagsColumn(values)
        elif attribute.kind is AttributeKind.NUMBER:
            columns[attribute.name] = NumberColumn(values)
        elif attribute.kind is AttributeKind.YEARLY:
            columns[attribute.name] = YearlyColumn(values)
        else:
            columns[attribute.name] = DateColumn(values)
    id_array = np.empty(len(ids), dtype=object)
    id_array[:] = ids
    if ids and all(isinstance(i, int) for i in ids):
        id_array = np.asarray(ids, dtype=np.int64)
    return SubjectTable(catalogue=catalogue, ids=id_array, columns=columns)
