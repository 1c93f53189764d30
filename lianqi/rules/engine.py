"""Matching many rules against many subjects at once.

`Engine.compile` turns every condition of every rule into an *atom* — conditions with the same
attribute, operator, value and (absolute) year share one — and evaluates each atom once over the
whole subject table into two bitsets packed in uint64 words: T (known and true) and F (known and
false); unknown is neither. The rule trees are rewritten with `not` pushed down to the atoms
(Kleene logic keeps De Morgan's laws) and nested `all`/`any` flattened, then laid out as one
flat program: groups sorted by height, each batch of same-kind groups reduced with one
`reduceat` over gathered child rows. For `all`, T is the AND of the children's T and F the OR of
their F; `any` is the dual. The same program runs

- over blocks of subject words (full matching; blocks spread over threads), and
- over one subject's atom values as small integers (0 false, 1 unknown, 2 true: `all` = min,
  `any` = max), which answers "which of the 12,000 rules fit this enterprise" in about a
  millisecond, and with costs (0 true, 1 false, ∞ unknown; `all` = sum, `any` = min) finds the
  rules one condition away.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import os
import threading
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from .catalogue import ENTERPRISE_CATALOGUE, AttributeKind, Catalogue, years_elapsed
from .errors import RuleError
from .evaluate import NEGATED_OP, absolute_year, normalised_codes, read_condition, target_value
from .model import (
    FALSE,
    TRUE,
    UNKNOWN,
    VERDICT_OF,
    AllOf,
    Condition,
    Declaration,
    Fixed,
    Node,
    Not,
    Parameters,
    Percentage,
    Rule,
    RuleSet,
    Tiered,
    Verdict,
)
from .subjects import (
    CodeColumn,
    DateColumn,
    NumberColumn,
    Profile,
    SubjectTable,
    TagsColumn,
    YearlyColumn,
    normalise_record,
)
from .validation import validate_rule

WORD = np.dtype("<u8")
_T = TypeVar("_T")
ALL, ANY = 0, 1
_COMPARE_ARRAYS = {
    ">=": np.greater_equal,
    ">": np.greater,
    "<=": np.less_equal,
    "<": np.less,
    "==": np.equal,
    "!=": np.not_equal,
}


@dataclass(frozen=True)
class AtomKey:
    """A condition resolved at the evaluation date: codes normalised and sorted, the year made
    absolute, a parameter replaced by its value (None when it has none then: always unknown)."""

    attribute: str
    op: str
    value: Any
    year: int | None = None


DECLARED = AtomKey("", "declare", None)


def atom_key(
    condition: Condition | Declaration, catalogue: Catalogue, parameters: Parameters, as_of: dt.date
) -> AtomKey:
    if isinstance(condition, Declaration):
        return DECLARED
    value = target_value(condition, parameters, as_of)
    if condition.op in ("prefix", "in"):
        value = (
            normalised_codes(condition, catalogue) if condition.op == "prefix" else tuple(sorted(set(value)))
        )
    elif value is not None and condition.op not in ("has", "lacks"):
        value = float(value)
    return AtomKey(condition.attribute, condition.op, value, absolute_year(condition.year, as_of))


def atom_arrays(key: AtomKey, table: SubjectTable) -> tuple[np.ndarray, np.ndarray]:
    """(known, truth) boolean arrays of a code, enum or tag atom over every subject."""
    n = len(table)
    if key.op == "declare" or key.value is None:
        return np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    column = table.columns[key.attribute]
    if isinstance(column, CodeColumn):
        if key.op == "prefix":
            codes = key.value
            truth = np.fromiter(
                (u.startswith(codes) for u in column.uniques), dtype=bool, count=len(column.uniques)
            )
        else:
            wanted = set(key.value)
            truth = np.fromiter((u in wanted for u in column.uniques), dtype=bool, count=len(column.uniques))
        return column.lookup(truth)
    if isinstance(column, TagsColumn):
        has = column.has(key.value)
        return column.known.copy(), (has if key.op == "has" else ~has)
    raise TypeError(f"{key.attribute} is numeric: use numeric_arrays")


def numeric_arrays(key: AtomKey, table: SubjectTable, as_of: dt.date) -> tuple[np.ndarray, np.ndarray]:
    values, known = numeric_column(key.attribute, key.year, table, as_of)
    if key.value is None:
        return np.zeros(len(table), dtype=bool), np.zeros(len(table), dtype=bool)
    with np.errstate(invalid="ignore"):
        truth = _COMPARE_ARRAYS[key.op](values, key.value)
    return known, truth & known


def numeric_column(
    attribute: str, year: int | None, table: SubjectTable, as_of: dt.date
) -> tuple[np.ndarray, np.ndarray]:
    """(values, known) of a numeric attribute over the table; a date gives full years elapsed."""
    column = table.columns[attribute]
    if isinstance(column, DateColumn):
        return column.years_elapsed(as_of), column.known
    if isinstance(column, YearlyColumn):
        assert year is not None
        values = column.year(year)
    elif isinstance(column, NumberColumn):
        values = column.values
    else:
        raise TypeError(f"{attribute} is not numeric")
    return values, ~np.isnan(values)


def condition_arrays(key: AtomKey, table: SubjectTable, as_of: dt.date) -> tuple[np.ndarray, np.ndarray]:
    """(known, truth) of one resolved condition over every subject."""
    if key.op in _COMPARE_ARRAYS:
        return numeric_arrays(key, table, as_of)
    return atom_arrays(key, table)


def unpack(words: np.ndarray, n: int) -> np.ndarray:
    return np.unpackbits(words.view(np.uint8), bitorder="little", count=n).astype(bool)


class BlockBits:
    """T and F bitsets of K items (atoms or rules) over n subjects, block-major: `data` is
    (blocks, K, 2, width) uint64, subject i being bit i % 64 of word i // 64, that word
    sitting in block word // width. Each block is one contiguous piece, so the program reads
    and writes it without copies; words past the last subject are 0 (neither T nor F)."""

    def __init__(self, data: np.ndarray, n: int) -> None:
        self.data = data
        self.n = n

    @classmethod
    def empty(cls, items: int, n: int, width: int) -> BlockBits:
        blocks = max(1, -(-((n + 63) // 64) // width))
        return cls(np.zeros((blocks, items, 2, width), dtype=WORD), n)

    @property
    def width(self) -> int:
        return int(self.data.shape[3])

    def words(self, item: int, side: int) -> np.ndarray:
        """One item's T (side 0) or F (side 1) words, in subject order."""
        return self.data[:, item, side, :].reshape(-1)

    @property
    def padded_words(self) -> int:
        return int(self.data.shape[0] * self.data.shape[3])

    def fill(self, first: int, true: np.ndarray, false: np.ndarray) -> None:
        """Set items first, first + 1, … from (k, subjects) boolean arrays of T and F."""
        self.fill_words(first, self.pack(true), self.pack(false))

    def pack(self, bits: np.ndarray) -> np.ndarray:
        """(k, subjects) booleans → (k, padded words) uint64."""
        packed = np.zeros((bits.shape[0], self.padded_words * 8), dtype=np.uint8)
        raw = np.packbits(np.ascontiguousarray(bits), axis=1, bitorder="little")
        packed[:, : raw.shape[1]] = raw
        return packed.view(WORD)

    def fill_words(self, first: int, true: np.ndarray, false: np.ndarray) -> None:
        """Set items first, first + 1, … from (k, padded words) arrays of T and F words."""
        blocks, width = self.data.shape[0], self.width
        k = true.shape[0]
        self.data[:, first : first + k, 0, :] = true.reshape(k, blocks, width).transpose(1, 0, 2)
        self.data[:, first : first + k, 1, :] = false.reshape(k, blocks, width).transpose(1, 0, 2)

    def _where(self, row: int) -> tuple[int, int, np.uint64]:
        block, word = divmod(row >> 6, self.width)
        return block, word, np.uint64(row & 63)

    def values(self, row: int) -> np.ndarray:
        """Kleene value (0/1/2) of every item for one subject."""
        block, word, bit = self._where(row)
        one = np.uint64(1)
        true = (self.data[block, :, 0, word] >> bit) & one
        false = (self.data[block, :, 1, word] >> bit) & one
        return (UNKNOWN + true.astype(np.int8) - false.astype(np.int8)).astype(np.int8)

    def set_values(self, row: int, values: np.ndarray) -> None:
        block, word, bit = self._where(row)
        mask = np.uint64(1) << bit
        column = self.data[block, :, :, word]  # a view: (items, 2)
        column &= ~mask
        column[values == TRUE, 0] |= mask
        column[values == FALSE, 1] |= mask

    def counts(self) -> np.ndarray:
        """(items × 3): how many subjects are T, F, unknown for each item."""
        per_side = np.bitwise_count(self.data).sum(axis=(0, 3), dtype=np.int64)
        return np.column_stack([per_side[:, 0], per_side[:, 1], self.n - per_side.sum(axis=1)])


def evaluate_atoms(keys: Sequence[AtomKey], table: SubjectTable, as_of: dt.date, bits: BlockBits) -> None:
    """Every atom's T and F bits over the table. Atoms on a code column are done together:
    each distinct code is matched once against all their prefixes (by looking its own prefixes
    up), and the table's codes then pick rows of that (codes × atoms) truth table."""
    atom = 0
    while atom < len(keys):
        key = keys[atom]
        column = table.columns.get(key.attribute)
        if not isinstance(column, CodeColumn) or key.value is None:
            known, truth = condition_arrays(key, table, as_of)
            bits.fill(atom, (known & truth)[None], (known & ~truth)[None])
            atom += 1
            continue
        end = atom
        while end < len(keys) and keys[end].attribute == key.attribute and keys[end].value is not None:
            end += 1
        _evaluate_code_atoms(keys, atom, end, column, bits)
        atom = end


def _evaluate_code_atoms(
    keys: Sequence[AtomKey], first: int, end: int, column: CodeColumn, bits: BlockBits
) -> None:
    """Atoms first … end - 1, all on one code column. Each distinct code's rows are packed
    once; an atom's T words are the OR of the rows of the distinct codes it accepts (found by
    looking each code's own prefixes up), its F words the known rows that are not T."""
    distinct = len(column.uniques)
    rows_of = np.empty((distinct, bits.padded_words), dtype=WORD)
    for start in range(0, distinct, 64):
        codes = np.arange(start, min(start + 64, distinct), dtype=np.int32)
        rows_of[start : start + 64] = bits.pack(column.codes[None, :] == codes[:, None])
    known = np.bitwise_or.reduce(rows_of, axis=0) if distinct else np.zeros(bits.padded_words, dtype=WORD)
    accepted: list[list[int]] = [[] for _ in range(end - first)]
    by_code: dict[str, list[int]] = defaultdict(list)
    prefixes: dict[str, list[int]] = defaultdict(list)
    for j in range(end - first):
        key = keys[first + j]
        for code in key.value:
            (prefixes if key.op == "prefix" else by_code)[code].append(j)
    for u, value in enumerate(column.uniques):
        hits = set(by_code.get(value, ()))
        for length in range(1, len(value) + 1):
            hits.update(prefixes.get(value[:length], ()))
        for j in hits:
            accepted[j].append(u)
    for start in range(0, end - first, 256):
        chunk = accepted[start : start + 256]
        true = np.zeros((len(chunk), bits.padded_words), dtype=WORD)
        for j, accepted_codes in enumerate(chunk):
            if accepted_codes:
                np.bitwise_or.reduce(rows_of[accepted_codes], axis=0, out=true[j])
        bits.fill_words(first + start, true, known & ~true)


# --- rule trees as a flat program ---------------------------------------------------------

# A literal is (atom id, negated, leaf path); a normalised tree is a literal or (kind, [trees]).
Literal = tuple[int, bool, str]


@dataclass
class Batch:
    """Groups [lo, hi) of one kind and height, ordered by decreasing number of children:
    their children's buffer rows concatenated, with each group's first position in `starts`
    (for one subject, a `reduceat`), and the same rows by child position in `columns`: the
    j-th children of the first len(columns[j]) groups (for bitsets, a few long operations)."""

    kind: int
    lo: int
    hi: int
    rows: np.ndarray
    starts: np.ndarray
    columns: list[np.ndarray]


@dataclass
class Program:
    atoms: int
    groups: int
    batches: list[Batch]
    roots: np.ndarray  # buffer row of each rule's root

    @property
    def size(self) -> int:
        return 2 * self.atoms + self.groups

    def run_scalar(self, values: np.ndarray) -> np.ndarray:
        """Kleene value (0/1/2) of every rule for one subject whose atom values are given."""
        buffer = np.empty(self.size, dtype=np.int8)
        buffer[: self.atoms] = values
        buffer[self.atoms : 2 * self.atoms] = TRUE - values
        base = 2 * self.atoms
        for batch in self.batches:
            reduce = np.minimum if batch.kind == ALL else np.maximum
            buffer[base + batch.lo : base + batch.hi] = reduce.reduceat(buffer[batch.rows], batch.starts)
        return buffer[self.roots]

    def run_costs(self, values: np.ndarray) -> np.ndarray:
        """For each rule, how many false conditions must turn true for it to hold (∞ when an
        unknown stands in every way)."""
        costs = np.where(values == TRUE, 0.0, np.where(values == FALSE, 1.0, np.inf))
        flipped = np.where(values == FALSE, 0.0, np.where(values == TRUE, 1.0, np.inf))
        buffer = np.empty(self.size, dtype=np.float64)
        buffer[: self.atoms] = costs
        buffer[self.atoms : 2 * self.atoms] = flipped
        base = 2 * self.atoms
        for batch in self.batches:
            reduce = np.add if batch.kind == ALL else np.minimum
            buffer[base + batch.lo : base + batch.hi] = reduce.reduceat(buffer[batch.rows], batch.starts)
        return buffer[self.roots]

    def run_bits(self, atoms: np.ndarray, out: np.ndarray, scratch: dict[str, np.ndarray]) -> None:
        """T and F words of every rule for one block of subject words. `atoms` is
        (atoms, 2, width): each atom's T and F words side by side, so that one gathered row
        carries both; `out` is (rules, 2, width). `scratch` keeps this thread's buffers
        between blocks (fresh large arrays would cost a page fault per page each time)."""
        a, width = self.atoms, atoms.shape[2]
        buffer = scratch.get("buffer")
        if buffer is None or buffer.shape[2] != width:
            buffer = scratch["buffer"] = np.empty((self.size, 2, width), dtype=WORD)
            widest = max((len(c) for b in self.batches for c in b.columns), default=0)
            scratch["taken"] = np.empty((widest, 2, width), dtype=WORD)
        taken = scratch["taken"]
        buffer[:a] = atoms
        buffer[a : 2 * a, 0] = atoms[:, 1]  # a negated atom: its T is the atom's F and vice versa
        buffer[a : 2 * a, 1] = atoms[:, 0]
        base = 2 * a
        for batch in self.batches:
            group = buffer[base + batch.lo : base + batch.hi]
            np.take(buffer, batch.columns[0], axis=0, out=group, mode="clip")
            true_op, false_op = (
                (np.bitwise_and, np.bitwise_or) if batch.kind == ALL else (np.bitwise_or, np.bitwise_and)
            )
            for column in batch.columns[1:]:
                n = len(column)
                np.take(buffer, column, axis=0, out=taken[:n], mode="clip")
                true_op(group[:n, 0], taken[:n, 0], out=group[:n, 0])
                false_op(group[:n, 1], taken[:n, 1], out=group[:n, 1])
        np.take(buffer, self.roots, axis=0, out=out, mode="clip")


class _ProgramBuilder:
    def __init__(self) -> None:
        self.kinds: list[int] = []
        self.heights: list[int] = []
        self.children: list[list[tuple[str, int, bool]]] = []  # ("atom", id, negated) / ("group", id, False)

    def add(self, tree: Any) -> tuple[int, int]:
        """(group id, height) of a normalised tree; a bare literal becomes a one-child `all`."""
        if _is_literal(tree):
            tree = (ALL, [tree])
        kind, items = tree
        refs: list[tuple[str, int, bool]] = []
        height = 1
        for item in items:
            if _is_literal(item):
                refs.append(("atom", item[0], item[1]))
            else:
                group, child_height = self.add(item)
                refs.append(("group", group, False))
                height = max(height, child_height + 1)
        self.kinds.append(kind)
        self.heights.append(height)
        self.children.append(refs)
        return len(self.kinds) - 1, height

    def build(self, roots: list[int], atoms: int) -> Program:
        # Groups ordered by height, then kind, then decreasing number of children.
        order = sorted(
            range(len(self.kinds)), key=lambda g: (self.heights[g], self.kinds[g], -len(self.children[g]))
        )
        new_id = np.empty(len(order), dtype=np.int64)
        new_id[order] = np.arange(len(order))
        base = 2 * atoms

        def row(ref: tuple[str, int, bool]) -> int:
            kind, index, negated = ref
            if kind == "atom":
                return index + atoms if negated else index
            return base + int(new_id[index])

        batches: list[Batch] = []
        start = 0
        while start < len(order):
            key = (self.heights[order[start]], self.kinds[order[start]])
            end = start
            while end < len(order) and (self.heights[order[end]], self.kinds[order[end]]) == key:
                end += 1
            members = [[row(ref) for ref in self.children[g]] for g in order[start:end]]
            starts = np.cumsum([0] + [len(m) for m in members[:-1]])
            columns = [
                np.asarray([m[j] for m in members if len(m) > j], dtype=np.intp)
                for j in range(len(members[0]))
            ]
            batches.append(
                Batch(
                    kind=key[1],
                    lo=start,
                    hi=end,
                    rows=np.asarray([r for m in members for r in m], dtype=np.intp),
                    starts=starts.astype(np.intp),
                    columns=columns,
                )
            )
            start = end
        return Program(
            atoms=atoms,
            groups=len(order),
            batches=batches,
            roots=np.asarray([base + int(new_id[r]) for r in roots], dtype=np.intp),
        )


def _normalise(node: Node, negate: bool, path: str, atom_of: Any) -> Any:
    """`not` pushed to the leaves, nested groups of one kind merged, one-child groups removed."""
    if isinstance(node, Not):
        return _normalise(node.child, not negate, f"{path}.1", atom_of)
    if isinstance(node, Condition | Declaration):
        return (atom_of(node), negate, path)
    kind = ALL if isinstance(node, AllOf) else ANY
    if negate:
        kind = ANY if kind == ALL else ALL
    items: list[Any] = []
    for i, child in enumerate(node.children, start=1):
        tree = _normalise(child, negate, f"{path}.{i}", atom_of)
        if not _is_literal(tree) and tree[0] == kind:
            items.extend(tree[1])
        else:
            items.append(tree)
    return items[0] if len(items) == 1 else (kind, items)


def _is_literal(tree: Any) -> bool:
    return len(tree) == 3


def _tree_value(tree: Any, values: np.ndarray, flipped: str | None = None) -> int:
    if _is_literal(tree):
        atom, negated, path = tree
        value = int(values[atom])
        if negated:
            value = TRUE - value
        return TRUE if path == flipped else value
    kind, items = tree
    results = [_tree_value(item, values, flipped) for item in items]
    return min(results) if kind == ALL else max(results)


def _literals(tree: Any) -> Iterator[Literal]:
    if _is_literal(tree):
        yield tree
    else:
        for item in tree[1]:
            yield from _literals(item)


# --- evaluating atoms for one subject ----------------------------------------------------


class _ScalarAtoms:
    """Atoms grouped so that one subject's values for all of them take a few numpy calls."""

    def __init__(self, keys: Sequence[AtomKey], catalogue: Catalogue) -> None:
        self.count = len(keys)
        numeric: dict[tuple[str, int | None, str], list[tuple[int, float]]] = defaultdict(list)
        self.prefix: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.member: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.tags: dict[tuple[str, str], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        scope: dict[tuple[str, str], list[int]] = defaultdict(list)  # atoms decided once the value is known
        self.unknown: list[int] = []
        for atom, key in enumerate(keys):
            if key.op == "declare" or key.value is None:
                self.unknown.append(atom)
            elif key.op == "prefix":
                for code in key.value:
                    self.prefix[key.attribute][code].append(atom)
                scope[(key.attribute, "codes")].append(atom)
            elif key.op == "in":
                for value in key.value:
                    self.member[key.attribute][value].append(atom)
                scope[(key.attribute, "codes")].append(atom)
            elif key.op in ("has", "lacks"):
                self.tags[(key.attribute, key.op)][key.value].append(atom)
                scope[(key.attribute, key.op)].append(atom)
            else:
                numeric[(key.attribute, key.year, key.op)].append((atom, key.value))
        self.scope = {k: np.asarray(v, dtype=np.intp) for k, v in scope.items()}
        self.numeric = {
            k: (np.asarray([a for a, _ in v], dtype=np.intp), np.asarray([t for _, t in v], dtype=np.float64))
            for k, v in numeric.items()
        }
        self.catalogue = catalogue

    def evaluate(self, profile: Profile, as_of: dt.date) -> np.ndarray:
        values = np.full(self.count, UNKNOWN, dtype=np.int8)
        for (attribute, scope), atoms in self.scope.items():
            raw = profile.get(attribute)
            if raw is None:
                continue
            if scope == "codes":
                values[atoms] = FALSE
                hits = self.member.get(attribute, {}).get(raw)
                if hits:
                    values[hits] = TRUE
                prefixes = self.prefix.get(attribute, {})
                for length in range(1, len(raw) + 1):
                    hits = prefixes.get(raw[:length])
                    if hits:
                        values[hits] = TRUE
            else:
                has = scope == "has"
                values[atoms] = FALSE if has else TRUE
                for tag in raw:
                    hits = self.tags[(attribute, scope)].get(tag)
                    if hits:
                        values[hits] = TRUE if has else FALSE
        for (attribute, year, op), (atoms, thresholds) in self.numeric.items():
            kind = self.catalogue[attribute].kind
            raw = profile.get(attribute)
            if raw is None:
                continue
            if kind is AttributeKind.YEARLY:
                raw = raw.get(year)
                if raw is None:
                    continue
            elif kind is AttributeKind.DATE:
                raw = years_elapsed(raw, as_of)
            values[atoms] = np.where(_COMPARE_ARRAYS[op](raw, thresholds), TRUE, FALSE)
        return values


# --- results ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Budget:
    """Sum of the amounts of the eligible subjects (the rule's budget), how many are eligible,
    and how many of them have an amount that cannot be computed (base figure missing)."""

    total: float
    eligible: int
    unknown_amounts: int
    unit: str


@dataclass(frozen=True)
class NearMiss:
    """A rule the subject would fit if one condition (at `path`) went the other way.
    `gap` is how far the subject's figure is from the threshold, in `unit`, when numeric."""

    rule: str
    verdict: Verdict
    path: str
    condition: Condition | Declaration
    negated: bool
    used: Any
    target: Any
    gap: float | None
    unit: str
    year: int | None


@dataclass
class SubjectMatch:
    """All rules' verdicts for one subject. `declared` holds the verdicts the subject would
    get if it declared every self-declared condition true: a rule unknown now but eligible
    then is one it can apply for by declaring (`to_declare`)."""

    codes: Sequence[str]
    values: np.ndarray  # Kleene value per rule
    declared: np.ndarray | None = None
    # Each code's position, made on the first `verdict`: a page asking for every rule's
    # verdict in turn must not search the codes each time.
    _positions: dict[str, int] | None = field(default=None, init=False, repr=False, compare=False)

    def verdict(self, code: str) -> Verdict:
        if self._positions is None:
            self._positions = {c: i for i, c in enumerate(self.codes)}
        return VERDICT_OF[int(self.values[self._positions[code]])]

    def _codes(self, value: int) -> list[str]:
        return [self.codes[int(i)] for i in np.flatnonzero(self.values == value)]

    @property
    def eligible(self) -> list[str]:
        return self._codes(TRUE)

    @property
    def ineligible(self) -> list[str]:
        return self._codes(FALSE)

    @property
    def unknown(self) -> list[str]:
        return self._codes(UNKNOWN)

    @property
    def to_declare(self) -> list[str]:
        if self.declared is None:
            return []
        return [
            self.codes[int(i)] for i in np.flatnonzero((self.values == UNKNOWN) & (self.declared == TRUE))
        ]


@dataclass
class Matching:
    """Every rule against every subject: per rule, T (eligible) and F (ineligible) bits;
    subjects in neither are unknown."""

    engine: Engine
    bits: BlockBits

    def _rule(self, rule: str | int) -> int:
        return rule if isinstance(rule, int) else self.engine.rule_index[rule]

    def rows(self, rule: str | int, verdict: Verdict) -> np.ndarray:
        """Row numbers (into the subject table) of the subjects with that verdict."""
        r, n = self._rule(rule), self.bits.n
        if verdict is Verdict.ELIGIBLE:
            bits = unpack(self.bits.words(r, 0), n)
        elif verdict is Verdict.INELIGIBLE:
            bits = unpack(self.bits.words(r, 1), n)
        else:
            bits = ~unpack(self.bits.words(r, 0) | self.bits.words(r, 1), n)
        return np.flatnonzero(bits)

    def ids(self, rule: str | int, verdict: Verdict) -> np.ndarray:
        return self.engine.table.ids[self.rows(rule, verdict)]

    def sets(self, rule: str | int) -> dict[Verdict, set[Any]]:
        return {verdict: set(self.ids(rule, verdict).tolist()) for verdict in Verdict}

    def verdict(self, rule: str | int, row: int) -> Verdict:
        return VERDICT_OF[int(self.bits.values(row)[self._rule(rule)])]

    def counts(self) -> np.ndarray:
        """(rules × 3) counts: eligible, ineligible, unknown."""
        return self.bits.counts()

    def amounts(self, rule: str | int) -> tuple[np.ndarray, np.ndarray]:
        """(rows, amounts) of the eligible subjects; NaN where the base figure is missing."""
        r = self._rule(rule)
        rows = self.rows(r, Verdict.ELIGIBLE)
        return rows, self.engine.amounts_for(r, rows)

    def unit(self, rule: str | int) -> str | None:
        """The unit the rule's amounts are in (its benefit's, 万元 unless it says otherwise);
        None for a rule without a benefit."""
        benefit = self.engine.rules[self._rule(rule)].benefit
        return None if benefit is None else benefit.unit

    def budget(self, rule: str | int) -> Budget | None:
        """The rule's budget: the sum of its eligible subjects' amounts."""
        r = self._rule(rule)
        return self._budgets([r]).get(r)

    def budgets(self) -> dict[str, Budget]:
        """Every rule's budget, by code (rules without a benefit are left out)."""
        found = self._budgets(range(len(self.engine.rules)))
        return {self.engine.rules[r].code: budget for r, budget in sorted(found.items())}

    def _budgets(self, rules: Iterable[int]) -> dict[int, Budget]:
        """Counted on the bits where the amount takes few values: a fixed amount is the
        number of eligible subjects times the amount; a tiered one sums, per bracket, the
        bracket's amount times the eligible subjects in it (bit counts of T & bracket mask).
        A percentage is summed over the eligible subjects' own amounts."""
        data = self.bits.data
        result: dict[int, Budget] = {}
        tiered: dict[Tiered, list[int]] = defaultdict(list)
        for r in rules:
            benefit = self.engine.rules[r].benefit
            if isinstance(benefit, Fixed):
                eligible = int(np.bitwise_count(data[:, r, 0, :]).sum())
                result[r] = Budget(eligible * float(benefit.amount), eligible, 0, benefit.unit)
            elif isinstance(benefit, Tiered):
                tiered[benefit].append(r)
            elif isinstance(benefit, Percentage):
                _, amounts = self.amounts(r)
                missing = int(np.isnan(amounts).sum())
                result[r] = Budget(float(np.nansum(amounts)), len(amounts), missing, benefit.unit)
        for benefit, members in tiered.items():
            masks = self.engine.bracket_masks(benefit)  # (blocks, brackets + 1, 2, width)
            eligible_words = data[:, members, 0, :]  # (blocks, rules, width)
            eligible = np.bitwise_count(eligible_words).sum(axis=(0, 2), dtype=np.int64)
            total = np.zeros(len(members))
            for b, bracket in enumerate(benefit.brackets):
                inside = np.bitwise_count(eligible_words & masks[:, b : b + 1, 0, :]).sum(
                    axis=(0, 2), dtype=np.int64
                )
                total += inside * float(bracket.amount)
            missing = np.bitwise_count(eligible_words & masks[:, -1:, 1, :]).sum(axis=(0, 2), dtype=np.int64)
            for i, r in enumerate(members):
                result[r] = Budget(float(total[i]), int(eligible[i]), int(missing[i]), benefit.unit)
        return result


@dataclass
class Engine:
    """Rules compiled against a subject table on one date (see the module docstring)."""

    rules: list[Rule]
    table: SubjectTable
    as_of: dt.date
    parameters: Parameters
    catalogue: Catalogue
    atoms: list[AtomKey]
    atom_bits: BlockBits
    program: Program
    trees: list[Any]
    rule_index: dict[str, int]
    scalar_atoms: _ScalarAtoms
    workers: int = 1
    matching: Matching | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.codes = [rule.code for rule in self.rules]
        self.atom_ids = {key: i for i, key in enumerate(self.atoms)}
        self._masks: dict[Tiered, np.ndarray] = {}
        self._leaves: dict[int, dict[str, Condition | Declaration]] = {}

    @classmethod
    def compile(
        cls,
        rules: RuleSet | Iterable[Rule],
        table: SubjectTable,
        *,
        as_of: dt.date,
        parameters: Parameters | None = None,
        catalogue: Catalogue | None = None,
        workers: int | None = None,
        validate: bool = True,
        block_words: int = 16,
    ) -> Engine:
        """Atoms of all the rules, evaluated over the table on `as_of`, and the rules' program.
        Rules are validated first (RuleError listing every fault) unless `validate` is False
        because they were just loaded through `formats`, which validates."""
        if isinstance(rules, RuleSet):
            parameters = parameters if parameters is not None else rules.parameters
        parameters = parameters if parameters is not None else Parameters()
        catalogue = catalogue or table.catalogue or ENTERPRISE_CATALOGUE
        rule_list = list(rules)
        if validate:
            issues = [
                issue
                for index, rule in enumerate(rule_list, start=1)
                for issue in validate_rule(rule, catalogue, parameters, index=index)
            ]
            if issues:
                raise RuleError(issues)
        # Atoms are numbered in sorted order so that those on one code column are adjacent
        # and evaluated together.
        resolved: dict[Condition | Declaration, AtomKey] = {}  # equal conditions recur across rules
        for rule in rule_list:
            for _, condition in rule.conditions():
                if condition not in resolved:
                    resolved[condition] = atom_key(condition, catalogue, parameters, as_of)
        keys = sorted(set(resolved.values()), key=lambda k: (k.attribute, k.op, repr(k.value), repr(k.year)))
        numbers = {key: i for i, key in enumerate(keys)}
        atom_of = {condition: numbers[key] for condition, key in resolved.items()}.__getitem__

        builder = _ProgramBuilder()
        trees, roots = [], []
        for rule in rule_list:
            tree = _normalise(rule.eligibility, False, "1", atom_of)
            trees.append(tree)
            roots.append(builder.add(tree)[0])
        program = builder.build(roots, len(keys))
        atom_bits = BlockBits.empty(len(keys), len(table), block_words)
        evaluate_atoms(keys, table, as_of, atom_bits)
        return cls(
            rules=rule_list,
            table=table,
            as_of=as_of,
            parameters=parameters,
            catalogue=catalogue,
            atoms=keys,
            atom_bits=atom_bits,
            program=program,
            trees=trees,
            rule_index={rule.code: i for i, rule in enumerate(rule_list)},
            scalar_atoms=_ScalarAtoms(keys, catalogue),
            workers=workers or min(2, os.cpu_count() or 1),
        )

    # Full matching ---------------------------------------------------------------------

    def match(self) -> Matching:
        """Every rule against every subject. The result is kept (`self.matching`) so that
        `update_subject` can keep it current."""
        bits = self.atom_bits
        result = BlockBits(np.empty((bits.data.shape[0], len(self.rules), 2, bits.width), dtype=WORD), bits.n)
        self.match_each(lambda _block, _words: None, into=result.data)
        self.matching = Matching(self, result)
        return self.matching

    def match_each(
        self, consume: Callable[[int, np.ndarray], _T], *, into: np.ndarray | None = None
    ) -> list[_T]:
        """Run every rule over one block of subjects at a time and hand each block's words
        — (rules, 2, width): T then F, for subjects from block × width × 64 — to `consume`,
        returning what it returns, in block order. A table too large to hold every rule's bits
        for every subject is so consumed (counted, written out) block by block; with `into`
        (blocks, rules, 2, width) the words are kept there. Blocks run on `workers` threads
        (numpy releases the GIL in the gathers and bitwise operations); `consume` runs on the
        same thread as its block, before that thread's buffers are reused."""
        atoms = self.atom_bits.data
        local = threading.local()

        def run(block: int) -> _T:
            scratch = getattr(local, "scratch", None)
            if scratch is None:
                scratch = local.scratch = {"out": np.empty((len(self.rules), 2, atoms.shape[3]), dtype=WORD)}
            out = into[block] if into is not None else scratch["out"]
            self.program.run_bits(atoms[block], out, scratch)
            return consume(block, out)

        blocks = range(atoms.shape[0])
        if self.workers <= 1 or len(blocks) <= 1:
            return [run(block) for block in blocks]
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            return list(pool.map(run, blocks))

    # One subject -----------------------------------------------------------------------

    def atom_values(self, subject: int | Mapping[str, Any]) -> np.ndarray:
        """Kleene values of every atom for one subject: a table row (read from the bitsets) or
        a record (evaluated directly; it need not be in the table)."""
        if isinstance(subject, int | np.integer):
            return self.atom_bits.values(int(subject))
        return self.scalar_atoms.evaluate(normalise_record(subject, self.catalogue), self.as_of)

    def match_one(self, subject: int | Mapping[str, Any]) -> SubjectMatch:
        """Every rule's verdict for one subject (a table row, or a record)."""
        return self._subject_match(self.atom_values(subject))

    def _subject_match(self, values: np.ndarray) -> SubjectMatch:
        verdicts = self.program.run_scalar(values)
        declared = None
        declaration = self.atom_ids.get(DECLARED)
        if declaration is not None:
            values = values.copy()
            values[declaration] = TRUE
            declared = self.program.run_scalar(values)
        return SubjectMatch(self.codes, verdicts, declared)

    def update_subject(self, row: int, record: Mapping[str, Any]) -> SubjectMatch:
        """Replace one subject's data (its enterprise changed) and re-match it: the table, the
        atom bitsets and the kept matching are updated in place. Returns its new verdicts."""
        profile = normalise_record(record, self.catalogue)
        self.table.set_profile(row, profile)
        self._masks.clear()  # bracket masks read the table
        if "id" in record:
            self.table.ids[row] = record["id"]
        values = self.scalar_atoms.evaluate(profile, self.as_of)
        self.atom_bits.set_values(row, values)
        result = self._subject_match(values)
        if self.matching is not None:
            self.matching.bits.set_values(row, result.values)
        return result

    def near_misses(self, subject: int | Mapping[str, Any]) -> list[NearMiss]:
        """Rules the subject does not (yet) fit but would if exactly one of its false
        conditions were true, naming the condition and, for figures, the gap."""
        values = self.atom_values(subject)
        costs = self.program.run_costs(values)
        verdicts = self.program.run_scalar(values)
        profile = self.table.profile(int(subject)) if isinstance(subject, int | np.integer) else None
        if profile is None:
            profile = normalise_record(subject, self.catalogue)  # type: ignore[arg-type]
        found: list[NearMiss] = []
        for r in np.flatnonzero((costs == 1) & (verdicts != TRUE)):
            tree = self.trees[r]
            # A plain `all` of conditions costing 1 has exactly one false condition: that one.
            flat = not _is_literal(tree) and tree[0] == ALL and all(_is_literal(item) for item in tree[1])
            for atom, negated, path in _literals(tree):
                literal = TRUE - values[atom] if negated else values[atom]
                if literal != FALSE or (not flat and _tree_value(tree, values, flipped=path) != TRUE):
                    continue
                found.append(self._near_miss(int(r), VERDICT_OF[int(verdicts[r])], path, negated, profile))
        return found

    def _near_miss(self, r: int, verdict: Verdict, path: str, negated: bool, profile: Profile) -> NearMiss:
        rule = self.rules[r]
        leaves = self._leaves.get(r)
        if leaves is None:
            leaves = self._leaves[r] = dict(rule.conditions())
        condition = leaves[path]
        used = target = gap = year = None
        unit = ""
        if isinstance(condition, Condition):
            reading = read_condition(
                condition, profile, catalogue=self.catalogue, parameters=self.parameters, as_of=self.as_of
            )
            used, target, year = reading.used, reading.target, reading.year
            attribute = self.catalogue[condition.attribute]
            unit = attribute.condition_unit
            op = NEGATED_OP.get(condition.op, condition.op) if negated else condition.op
            if attribute.is_numeric and used is not None and target is not None:
                if op in (">=", ">"):
                    gap = float(target) - float(used)
                elif op in ("<=", "<"):
                    gap = float(used) - float(target)
                elif op == "==":
                    gap = abs(float(target) - float(used))
        return NearMiss(rule.code, verdict, path, condition, negated, used, target, gap, unit, year)

    # Amounts ---------------------------------------------------------------------------

    def bracket_masks(self, benefit: Tiered) -> np.ndarray:
        """For each bracket, the subjects whose base falls in it (side T of item b), and the
        subjects whose base is not known (side F of the last item)."""
        cached = self._masks.get(benefit)
        if cached is None:
            values, known = numeric_column(
                benefit.attribute, absolute_year(benefit.year, self.as_of), self.table, self.as_of
            )
            starts = [float(b.start) for b in benefit.brackets] + [math.inf]
            inside = np.stack(
                [known & (values >= low) & (values < high) for low, high in itertools.pairwise(starts)]
                + [np.zeros(len(known), dtype=bool)]
            )
            unknown = np.zeros_like(inside)
            unknown[-1] = ~known
            masks = BlockBits.empty(len(inside), len(known), self.atom_bits.width)
            masks.fill(0, inside, unknown)
            cached = self._masks[benefit] = masks.data
        return cached

    def amounts_for(self, rule: int, rows: np.ndarray) -> np.ndarray:
        """Amounts of one rule's benefit for the given rows, vectorised; NaN where the base
        figure is not known."""
        benefit = self.rules[rule].benefit
        if benefit is None:
            return np.full(len(rows), np.nan)
        if isinstance(benefit, Fixed):
            return np.full(len(rows), float(benefit.amount))
        values, known = numeric_column(
            benefit.attribute, absolute_year(benefit.year, self.as_of), self.table, self.as_of
        )
        base = np.where(known[rows], values[rows].astype(np.float64), np.nan)
        if isinstance(benefit, Tiered):
            starts = np.asarray([b.start for b in benefit.brackets], dtype=np.float64)
            amounts = np.asarray([0.0] + [b.amount for b in benefit.brackets], dtype=np.float64)
            result = amounts[np.searchsorted(starts, np.nan_to_num(base, nan=-math.inf), side="right")]
            result[np.isnan(base)] = np.nan
            return result
        assert isinstance(benefit, Percentage)
        result = np.maximum(base * (benefit.rate / 100), 0.0)
        return result if benefit.cap is None else np.minimum(result, float(benefit.cap))
