"""Responsible units (责任单位): inline notes in clauses, the alias table, and task tables.

Inline notes come in a few shapes:
    （责任单位：市教体局、市财政局）          labelled list, every unit joint
    （牵头单位：A；配合单位：B、C）            labelled lists, roles from the labels
    （市教育局、市工信局等按职责分工负责）      list ending with a marker
    （市教育局牵头，市财政局配合）             markers per group
PDF extraction may scatter spaces and line breaks through a note (`市 工 信局`, `分工 负责`),
so notes are read from a compact copy of the text with whitespace removed and an index map
back to the original, which keeps `raw` and offsets exact.
"""

from __future__ import annotations

import os
import re
from bisect import bisect_right
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from rapidfuzz import fuzz

from policydiff.errors import UsageError
from policydiff.schema import Clause, ResponsibleUnit, Table
from policydiff.textsim import BigramIndex, bigram_codes, has_space

ALIASES_ENV = "POLICYDIFF_UNIT_ALIASES"

Role = Literal["lead", "joint"]

# A note longer than this is not a note; bounds the bracket scan on unbalanced text.
MAX_NOTE_LEN = 400
# A unit name longer than this is prose, not a unit.
MAX_UNIT_LEN = 30
# Rows scoring below this (0-100, see _row_score) against every clause stay unmatched. On the
# xinzheng task table right links score 66-100 (66: a row merging two clauses), the best wrong
# clause at most 43.
LINK_THRESHOLD = 60.0

# Half-width punctuation to the full-width forms Chinese text uses, full-width letters and
# digits to ASCII: one character for one, so offsets survive.
_WIDTH = str.maketrans(
    {
        "(": "（",
        ")": "）",
        ":": "：",
        ";": "；",
        ",": "，",
        **{chr(0xFF10 + i): chr(0x30 + i) for i in range(10)},
        **{chr(0xFF21 + i): chr(0x41 + i) for i in range(26)},
        **{chr(0xFF41 + i): chr(0x61 + i) for i in range(26)},
    }
)
# What _WIDTH changes: translate() is skipped when none occurs (it is slow on CJK text).
_WIDTH_RE = re.compile("[():;,\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_NON_SPACE_RUN_RE = re.compile(r"\S+")


def _unify_width(s: str) -> str:
    return s.translate(_WIDTH) if _WIDTH_RE.search(s) else s


_BRACKET_RE = re.compile(r"[（）()。！？]")
_OPEN = "（("
# A note names a unit with one of these characters (责任单位, 负责, 牵头, 配合, 参与, 协同, 实施单位).
_HINT_CHARS = "责牵配参协单"
_HINT_RE = re.compile(f"[{_HINT_CHARS}]")
_OPEN_RE = re.compile("[（(]")

_LABEL_RE = re.compile(
    r"(?P<label>牵头单位|牵头部门|责任单位|责任部门|主责单位|主责部门|配合单位|配合部门|"
    r"协办单位|协同单位|参与单位|实施单位|责任主体)：?"
)
# Trailing marker of a group in an unlabelled note: 等按职责分工负责, 牵头负责, 配合…
_MARKER_RE = re.compile(
    r"(?:等)?(?:(?:按|根据)?职责(?:分工)?|分工|共同|具体)?"
    r"(?P<kind>牵头|负责|配合|参与|协同|协办)(?:负责|落实|实施|推进)?$"
)
# 市教育局（牵头）
_PAREN_MARKER_RE = re.compile(r"（(?P<kind>牵头|配合|参与|协同|协办|负责)）$")
# Longest match of each (等根据职责分工协办负责, （牵头）). Both end with $, so a search only needs
# to start this far before the end: _MARKER_RE has no literal prefix and re would try it at
# every position. tests/test_units.py checks these against the patterns.
_MARKER_WIDTH = 11
_PAREN_MARKER_WIDTH = 4
_LEAD_KINDS = {"牵头"}
# Last characters of a _MARKER_RE match (牵头, 负责, 配合, 参与, 协同, 协办, …落实/实施/推进); tests check them.
_MARKER_LAST = frozenset("头责合与同办实施进")

# What a unit's name ends with (its bracketed tail removed) or starts with.
_ORG_SUFFIX_RE = re.compile(
    r"(?:局|委|办|部|厅|会|院|府|室|中心|单位|部门|政府|公司|集团|队|所|站|处|社|署|联|团|"
    r"镇|乡|街道|区|县|市|省|组|馆|台|校|学校|机构|企业|银行|法院|检察院)$"
)
_ORG_PREFIX_RE = re.compile(r"^(?:各|市|县|区|省|镇|乡|中共|共青团)")
_TAIL_PARENS_RE = re.compile(r"（[^（）]*）$")


# ResponsibleUnit from a dict of its fields: the same validation as ResponsibleUnit(**fields), faster.
_new_unit: Callable[[dict[str, Any]], ResponsibleUnit] = ResponsibleUnit.__pydantic_validator__.validate_python


@dataclass
class UnitNote:
    """A responsible-unit note: offsets into the text it was found in, `raw` with its brackets."""

    start: int
    end: int
    raw: str
    units: list[ResponsibleUnit] = field(default_factory=list)


# ---------------------------------------------------------------------------
# compact text with an index map


def _compact(text: str, start: int = 0, end: int | None = None) -> tuple[str, Sequence[int]]:
    """text[start:end] without whitespace and with widths unified; map[i] = original index."""
    end = len(text) if end is None else end
    seg = text[start:end]
    if not has_space(seg):
        return _unify_width(seg), range(start, end)  # no whitespace: the map is the identity
    chars: list[str] = []
    index: list[int] = []
    for m in _NON_SPACE_RUN_RE.finditer(seg):
        chars.append(m.group())
        index.extend(range(start + m.start(), start + m.end()))
    return _unify_width("".join(chars)), index


def normalize_unit_key(name: str) -> str:
    """Lookup key: no whitespace, full-width brackets and punctuation, ASCII letters and digits."""
    return _unify_width("".join(name.split()) if has_space(name) else name)


# ---------------------------------------------------------------------------
# alias table


def _read_tsv(lines: Iterator[str], where: str) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for n, line in enumerate(lines, 1):
        line = line.rstrip("\r\n")
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cols = [c.strip() for c in line.split("\t")]
        if len(cols) < 2 or not cols[0] or not cols[1]:
            raise UsageError(
                f"{where}:{n}: expected two tab-separated columns 'canonical<TAB>alias', got {line!r}. "
                "Separate the names with a tab, or start the line with # to comment it out."
            )
        pairs.append((cols[0], cols[1]))
    return pairs


def _read_tsv_file(path: Path) -> list[tuple[str, str]]:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise UsageError(f"{path}: unit alias file not found. Check the path (or the {ALIASES_ENV} variable).") from None
    except UnicodeDecodeError:
        raise UsageError(f"{path}: unit alias file is not UTF-8. Save it as UTF-8 and retry.") from None
    return _read_tsv(iter(text.splitlines()), str(path))


def load_aliases(extra: Path | None = None) -> dict[str, str]:
    """Alias table as {normalized alias or canonical: canonical}.

    Reads the packaged table, then the file named by $POLICYDIFF_UNIT_ALIASES (several joined
    with os.pathsep), then `extra`; later files override earlier ones.
    """
    pkg = resources.files("policydiff").joinpath("data", "unit_aliases.tsv")
    pairs = _read_tsv(iter(pkg.read_text(encoding="utf-8").splitlines()), "unit_aliases.tsv")
    env = os.environ.get(ALIASES_ENV, "")
    for part in env.split(os.pathsep):
        if part.strip():
            pairs.extend(_read_tsv_file(Path(part.strip())))
    if extra is not None:
        pairs.extend(_read_tsv_file(Path(extra)))
    table: dict[str, str] = {}
    for canonical, alias in pairs:
        canonical, alias = normalize_unit_key(canonical), normalize_unit_key(alias)
        table[alias] = canonical
        if table.get(canonical, alias) == alias:
            # New, or a later file swapping canonical and alias: the later file wins.
            table[canonical] = canonical
    # A user file may name as canonical something that is itself an alias: follow the chain.
    for key in list(table):
        seen = {key}
        target = table[key]
        while table.get(target, target) != target and target not in seen:
            seen.add(target)
            target = table[target]
        table[key] = target
    return table


@lru_cache(maxsize=8)
def _cached_aliases(env_value: str) -> dict[str, str]:
    # Keyed by the variable's value so that changing it takes effect without a restart.
    return load_aliases()


def _alias_table(aliases: Mapping[str, str] | None) -> Mapping[str, str]:
    """`aliases`, or the default table; callers resolve it once per call, not once per unit."""
    return aliases if aliases is not None else _cached_aliases(os.environ.get(ALIASES_ENV, ""))


def canonical_unit(name: str, aliases: Mapping[str, str] | None = None) -> str:
    """Canonical name of a unit; unknown names come back cleaned (no spaces, full-width brackets)."""
    table = _alias_table(aliases)
    key = normalize_unit_key(name)
    return table.get(key, key)


# ---------------------------------------------------------------------------
# splitting unit lists


@cache
def _between_re(seps: str) -> re.Pattern[str]:
    return re.compile(f"[^{re.escape(seps)}]+")


@cache
def _split_marks_re(seps: str) -> re.Pattern[str]:
    return re.compile(f"[（）{re.escape(seps)}]")


def _split_depth0(s: str, seps: str) -> list[tuple[int, int]]:
    """Spans of `s` between separators that are outside brackets (各乡镇（街道、管委会） stays whole)."""
    if "（" not in s and "）" not in s:
        return [m.span() for m in _between_re(seps).finditer(s)]  # no brackets: a plain split
    spans: list[tuple[int, int]] = []
    depth = 0
    begin = 0
    for m in _split_marks_re(seps).finditer(s):  # brackets and separators only, not every character
        c = m.group()
        if c == "（":
            depth += 1
        elif c == "）":
            depth = max(0, depth - 1)
        elif depth == 0:
            i = m.start()
            spans.append((begin, i))
            begin = i + 1
    spans.append((begin, len(s)))
    return [(a, b) for a, b in spans if b > a]


_PROSE_CHAR_RE = re.compile('[。；：“”"]')


def _looks_like_unit(name: str) -> bool:
    if not 2 <= len(name) <= MAX_UNIT_LEN or _PROSE_CHAR_RE.search(name) or any(map(str.isdigit, name)):
        return False
    base = _TAIL_PARENS_RE.sub("", name)
    return bool(_ORG_SUFFIX_RE.search(base) or _ORG_PREFIX_RE.search(base))


@dataclass(slots=True)
class _Item:
    start: int  # offsets into the compact string
    end: int
    marker: str | None  # kind of marker found after the name, if any


def _parse_item(s: str, a: int, b: int) -> _Item | None:
    """Strip 由 / markers / 等 around one list item s[a:b]; None when nothing is left."""
    if s.startswith("由", a):
        a += 1
    marker = None
    last = s[b - 1] if b > a else ""
    # Both marker patterns end the item, so its last character rules them out (most names end in 局).
    m = _PAREN_MARKER_RE.search(s, max(a, b - _PAREN_MARKER_WIDTH), b) if last == "）" else None
    if m:
        marker, b = m.group("kind"), m.start()
    elif last in _MARKER_LAST:
        m = _MARKER_RE.search(s, max(a, b - _MARKER_WIDTH), b)
        if m and m.start() > a:
            marker, b = m.group("kind"), m.start()
    if b > a and s[b - 1] == "等":
        b -= 1
    if b <= a:
        return None
    return _Item(a, b, marker)


def _make_units(
    items: Sequence[tuple[_Item, Role]],
    compact: str,
    index: Sequence[int],
    text: str,
    aliases: Mapping[str, str] | None,
) -> list[ResponsibleUnit]:
    """ResponsibleUnits for (item, role) pairs; `raw` is the name as written in `text`."""
    out: list[ResponsibleUnit] = []
    seen: dict[str, int] = {}
    table = _alias_table(aliases)
    for item, role in items:
        raw = text[index[item.start] : index[item.end - 1] + 1]
        # `compact` is already a lookup key (no spaces, widths unified): canonical_unit without the cleaning.
        key = compact[item.start : item.end]
        name = table.get(key, key)
        if name in seen:  # same unit twice: keep the first, lead wins
            if role == "lead":
                out[seen[name]] = out[seen[name]].model_copy(update={"role": "lead"})
            continue
        seen[name] = len(out)
        out.append(_new_unit({"name": name, "role": role, "raw": raw}))
    return out


def _role(kind: str | None, default: Role = "joint") -> Role:
    if kind is None:
        return default
    return "lead" if kind in _LEAD_KINDS else "joint"


def _labelled_items(compact: str) -> list[tuple[_Item, Role]] | None:
    """Items of a note that starts with a label (责任单位：…；配合单位：…)."""
    if not _LABEL_RE.match(compact):
        return None  # the first label must open the note
    labels = list(_LABEL_RE.finditer(compact))
    items: list[tuple[_Item, Role]] = []
    for k, lab in enumerate(labels):
        seg_end = labels[k + 1].start() if k + 1 < len(labels) else len(compact)
        default: Role = "lead" if lab.group("label").startswith("牵头") else "joint"
        for a, b in _split_depth0(compact[lab.end() : seg_end], "、，；"):
            item = _parse_item(compact, lab.end() + a, lab.end() + b)
            if item is not None:
                items.append((item, _role(item.marker, default)))
    return items


def _marker_items(compact: str) -> list[tuple[_Item, Role]] | None:
    """Items of an unlabelled note ending with a marker (…等按职责分工负责, …牵头负责)."""
    if not _MARKER_RE.search(compact, max(0, len(compact) - _MARKER_WIDTH)):
        return None
    items: list[tuple[_Item, Role]] = []
    pending: list[_Item] = []
    for a, b in _split_depth0(compact, "、，；"):
        item = _parse_item(compact, a, b)
        if item is None:
            continue
        if not _looks_like_unit(compact[item.start : item.end]):
            return None
        pending.append(item)
        if item.marker is not None:
            # A marker closes its group: 市教育局、市财政局牵头 makes both lead.
            items.extend((p, _role(item.marker)) for p in pending)
            pending = []
    if pending or not items:  # the note must end with a marker
        return None
    return items


def _parse_note(text: str, open_at: int, close_at: int, aliases: Mapping[str, str] | None) -> UnitNote | None:
    compact, index = _compact(text, open_at + 1, close_at)
    if not compact:
        return None
    items = _labelled_items(compact)
    if items is None:
        items = _marker_items(compact)
    if items is None:
        return None
    units = _make_units(items, compact, index, text, aliases)
    return UnitNote(start=open_at, end=close_at + 1, raw=text[open_at : close_at + 1], units=units)


def _matching_close(text: str, open_at: int) -> int | None:
    """Index of the bracket closing text[open_at], nested brackets counted; None if none nearby."""
    depth = 0
    for m in _BRACKET_RE.finditer(text, open_at, min(len(text), open_at + MAX_NOTE_LEN)):
        c = m.group()
        if c in _OPEN:
            depth += 1
        elif c in "）)":
            depth -= 1
            if depth == 0:
                return m.start()
        else:  # end of sentence: notes never hold one
            return None
    return None


def find_unit_notes(text: str, aliases: Mapping[str, str] | None = None) -> list[UnitNote]:
    """Responsible-unit notes in `text`, in order; offsets index `text`."""
    if ("（" not in text and "(" not in text) or not _HINT_RE.search(text):
        return []
    aliases = _alias_table(aliases)
    notes: list[UnitNote] = []
    pos = 0
    n = len(text)
    while pos < n:
        m = _OPEN_RE.search(text, pos)
        if m is None:
            break
        open_at = m.start()
        close_at = _matching_close(text, open_at)
        if close_at is not None and _HINT_RE.search(text, open_at, close_at):
            note = _parse_note(text, open_at, close_at, aliases)
            if note is not None:
                notes.append(note)
                pos = close_at + 1
                continue
        pos = open_at + 1
    return notes


def remove_unit_notes(text: str, notes: Sequence[UnitNote] | None = None) -> str:
    """`text` without its responsible-unit notes (what Clause.policy_text holds)."""
    if notes is None:
        notes = find_unit_notes(text)
    parts: list[str] = []
    pos = 0
    for note in notes:
        parts.append(text[pos : note.start])
        pos = note.end
    parts.append(text[pos:])
    return "".join(parts).rstrip()


def parse_unit_list(cell: str, aliases: Mapping[str, str] | None = None, default_role: Role = "joint") -> list[ResponsibleUnit]:
    """Units in a table cell or a bare list: `市教育局（牵头）、市财政局`, `市教育局牵头，市财政局配合`."""
    compact, index = _compact(cell)
    if not compact:
        return []
    aliases = _alias_table(aliases)
    labelled = _labelled_items(compact)
    if labelled is not None:
        return _make_units(labelled, compact, index, cell, aliases)
    items: list[tuple[_Item, Role]] = []
    pending: list[_Item] = []
    for a, b in _split_depth0(compact, "、，；/"):
        item = _parse_item(compact, a, b)
        if item is None:
            continue
        pending.append(item)
        if item.marker is not None:
            items.extend((p, _role(item.marker)) for p in pending)
            pending = []
    items.extend((p, default_role) for p in pending)
    return _make_units(items, compact, index, cell, aliases)


# ---------------------------------------------------------------------------
# task tables (工作任务清单)

_TASK_HEADER_RE = re.compile(r"(?:工作|重点|主要|具体)?任务|工作(?:内容|措施|要求)|任务(?:内容|举措)|主要内容|重点工作|具体措施")
_UNIT_HEADER_RE = re.compile(r"(?:牵头|责任|主责|配合|协办|协同|参与|实施)(?:单位|部门)|责任主体")
_FRAGMENT_RE = re.compile(r"[^。；！？，]+[。；！？，]?")
# Fragments shorter than this align anywhere by chance: they are joined to the one before.
MIN_FRAGMENT_LEN = 8


@dataclass
class TableLinks:
    """Task-table rows linked to clauses.

    links: (row index, clause id, score 0-100) for each linked row.
    unmatched: indexes of data rows that matched no clause well enough.
    units_by_clause: units from the linked rows, by clause id, in row order.
    """

    links: list[tuple[int, str, float]] = field(default_factory=list)
    unmatched: list[int] = field(default_factory=list)
    units_by_clause: dict[str, list[ResponsibleUnit]] = field(default_factory=dict)


def _header_key(cell: str) -> str:
    return normalize_unit_key(cell)


def _task_column(header: Sequence[str]) -> int | None:
    for i, h in enumerate(header):
        if _TASK_HEADER_RE.search(_header_key(h)):
            return i
    return None


def _unit_columns(header: Sequence[str]) -> list[int]:
    return [i for i, h in enumerate(header) if _UNIT_HEADER_RE.search(_header_key(h))]


def is_task_table(table: Table) -> bool:
    """True when the header has a task column (工作任务…) and a unit column (责任单位, 牵头单位…)."""
    return _task_column(table.header) is not None and bool(_unit_columns(table.header))


# Clauses scored exactly per row, after a bigram-overlap shortlist.
LINK_CANDIDATES = 4


def _match_key(s: str) -> str:
    return normalize_unit_key(s)


def _fragments(key: str) -> list[str]:
    out: list[str] = []
    for m in _FRAGMENT_RE.finditer(key):
        if out and len(out[-1]) < MIN_FRAGMENT_LEN:
            out[-1] += m.group()
        else:
            out.append(m.group())
    return out


class _RowFragments:
    """A row's fragments with what _row_score needs of them whatever the clause: their lengths,
    total weight, and the order to align them in (heaviest first, ties in row order)."""

    __slots__ = ("fragments", "heaviest_first", "lens", "total")

    def __init__(self, fragments: Sequence[str]) -> None:
        self.fragments = fragments
        self.lens = lens = [len(f) for f in fragments]
        self.total = sum(lens)
        self.heaviest_first = sorted(range(len(lens)), key=lambda k: -lens[k])


def _row_score(fragments: Sequence[str] | _RowFragments, clause_key: str, need: float | None = None) -> float | None:
    """How well a row restates a clause, 0-100: length-weighted best alignment of each fragment.

    Rows quote clauses piecemeal: phrases reordered, trimmed, or taken from two clauses. So each
    comma-separated fragment is aligned on its own (partial_ratio) and weighted by its length.

    With `need`, returns None as soon as the score is sure to stay below it: fragments quoted
    verbatim count 100 at no cost, the others are aligned longest first, each with a score_cutoff
    that leaves the row just able to reach `need` if every fragment not yet aligned scored 100.
    Scores that are returned are exact, summed in fragment order. `fragments` may be given as a
    _RowFragments, made once per row for all the clauses it is scored against.
    """
    row = fragments if isinstance(fragments, _RowFragments) else _RowFragments(fragments)
    frags, lens, total = row.fragments, row.lens, row.total
    if not total:
        return 0.0
    # Quoted verbatim: partial_ratio is 100 (and costs ~20 us to say so).
    scores: list[float | None] = [100.0 if frag in clause_key else None for frag in frags]
    rest = 0  # weight not aligned yet
    for w, sc in zip(lens, scores, strict=True):
        if sc is None:
            rest += w
    known = 100.0 * (total - rest)  # weighted score of the fragments aligned (or verbatim) so far
    if need is None:
        for k, sc in enumerate(scores):
            if sc is None:
                scores[k] = fuzz.partial_ratio(frags[k], clause_key)
    elif rest:
        # The heaviest first: a hopeless row shows it soonest.
        for k in row.heaviest_first:
            if scores[k] is not None:
                continue
            frag = frags[k]
            w = lens[k]
            rest -= w
            cutoff = (need * total - known - rest * 100.0) / w - _CUTOFF_MARGIN
            if cutoff > 0.0:
                p = fuzz.partial_ratio(frag, clause_key, score_cutoff=cutoff)
                if p < cutoff:  # 0 means below the cutoff: the row cannot reach `need`
                    return None
            else:
                p = fuzz.partial_ratio(frag, clause_key)
            known += w * p
            scores[k] = p
    score = 0.0
    for w, sc in zip(lens, scores, strict=True):
        assert sc is not None
        score += w * sc
    return score / total


# partial_ratio may report a score equal to its cutoff as 0: cut a little lower, so that only rows
# that certainly stay below `need` are dropped.
_CUTOFF_MARGIN = 1e-3


def _column(header: Sequence[str], name: str) -> int:
    key = _header_key(name)
    for i, h in enumerate(header):
        if _header_key(h) == key:
            return i
    raise UsageError(f"table has no column {name!r}; its columns are: {', '.join(header)}.")


def link_table_rows(
    clauses: list[Clause],
    table: Table,
    *,
    task_col: str | None = None,
    unit_col: str | None = None,
    threshold: float = LINK_THRESHOLD,
    aliases: Mapping[str, str] | None = None,
) -> TableLinks:
    """Link each row of a task table to the clause whose policy text it restates best.

    Rows that repeat the header (tables split over pages) and empty rows are skipped: they are
    neither linked nor unmatched. With no `unit_col`, every unit column is read and a 牵头
    column gives lead units.
    """
    header = table.header
    t_idx = _column(header, task_col) if task_col else _task_column(header)
    if t_idx is None:
        raise UsageError(f"table has no task column; its columns are: {', '.join(header)}. Pass task_col.")
    u_idx = [_column(header, unit_col)] if unit_col else _unit_columns(header)
    header_keys = [_header_key(h) for h in header]

    aliases = _alias_table(aliases)
    n_head = len(header_keys)
    tasks: list[tuple[int, str]] = []  # (row index, task key) of the rows to link
    for r, row in enumerate(table.rows):
        cells = row.cells
        if len(cells) >= n_head and all(_header_key(c) == h for c, h in zip(cells, header_keys)):
            continue  # header repeated after a page break
        task = _match_key(cells[t_idx]) if t_idx < len(cells) else ""
        if task:
            tasks.append((r, task))
    out = TableLinks()
    if not tasks:
        return out
    cell_units: dict[tuple[str, Role], list[ResponsibleUnit]] = {}
    clause_keys = [(c.id, _match_key(c.policy_text or c.text)) for c in clauses]
    verbatim = _VerbatimFinder([k for _, k in clause_keys])
    best_of: dict[int, tuple[str | None, float]] = {}  # row -> (clause id, score)
    to_score: list[tuple[int, str]] = []
    for r, task in tasks:
        # A row quoting a clause verbatim scores 100 there, the most possible. The first clause
        # holding all of the row's bigrams is first on the shortlist (most overlap, lowest index):
        # when it is such a clause, it wins and the shortlist need not be built.
        k = verbatim.first(task) if threshold <= 100.0 else None
        if k is not None:
            best_of[r] = (clause_keys[k][0], 100.0)
        else:
            to_score.append((r, task))
    # Exact scoring is costly (partial alignment per fragment): only for the few
    # clauses sharing the most character bigrams with the row.
    shortlists = verbatim.index.shortlists([bigram_codes(task) for _, task in to_score], LINK_CANDIDATES) if to_score else []
    for (r, task), shortlist in zip(to_score, shortlists, strict=True):
        fragments = _RowFragments(_fragments(task))
        best_id, best = None, -1.0
        for k in shortlist:
            cid, ckey = clause_keys[k]
            # A clause must beat the best so far, and the threshold to be linked at all: lower
            # scores change nothing, so their computation stops early.
            s = _row_score(fragments, ckey, need=max(best, threshold))
            if s is not None and s > best:
                best_id, best = cid, s
        best_of[r] = (best_id, best)
    for r, _task in tasks:
        cells = table.rows[r].cells
        best_id, best = best_of[r]
        if best_id is None or best < threshold:
            out.unmatched.append(r)
            continue
        out.links.append((r, best_id, round(best, 1)))
        units = out.units_by_clause.setdefault(best_id, [])
        for ui in u_idx:
            if ui >= len(cells):
                continue
            default: Role = "lead" if header_keys[ui].startswith("牵头") else "joint"
            # Rows repeat unit lists (市教育局、市人社局…): each distinct cell is read once.
            key = (cells[ui], default)
            parsed = cell_units.get(key)
            if parsed is None:
                parsed = cell_units[key] = parse_unit_list(cells[ui], aliases, default_role=default)
            for unit in parsed:
                _merge_unit(units, unit)
    return out


# A row's bigram that no earlier clause has proves that none holds them all; after this many
# bigrams found in earlier clauses, the bigram sets decide.
_VERBATIM_PROBES = 12
_SEP = "\x00"


class _VerbatimFinder:
    """For a row: the first clause holding all of its bigrams, when that clause quotes it verbatim.

    That is the clause BigramIndex.first_containing names, when it contains the row as a substring;
    found here without bigram sets for most rows. The first clause containing the row (one str.find
    over the clauses joined) is the answer unless an earlier clause holds all the row's bigrams
    without quoting it; a row bigram absent from all earlier clauses rules that out, else (rarely)
    the bigram sets decide.
    """

    def __init__(self, keys: list[str]) -> None:
        self.keys = keys
        self.joined = _SEP.join(keys)
        self.starts: list[int] = []
        pos = 0
        for k in keys:
            self.starts.append(pos)
            pos += len(k) + 1
        self.usable = all(_SEP not in k for k in keys)
        self._index: BigramIndex | None = None

    @property
    def index(self) -> BigramIndex:
        if self._index is None:
            self._index = BigramIndex(self.keys)
        return self._index

    def first(self, task: str) -> int | None:
        if not self.usable or _SEP in task:
            k = self.index.first_containing(task)
            return k if k is not None and task in self.keys[k] else None
        pos = self.joined.find(task) if self.keys else -1
        if pos < 0:
            return None  # no clause quotes it: the first holding its bigrams does not either
        k = bisect_right(self.starts, pos) - 1
        if k == 0:
            return 0
        end = self.starts[k]
        find = self.joined.find
        step = max(1, (len(task) - 1) // _VERBATIM_PROBES)
        for i in range(0, len(task) - 1, step):
            if find(task[i : i + 2], 0, end) < 0:
                return k  # no earlier clause has this bigram
        first = self.index.first_containing(task)
        return k if first == k else None


def _merge_unit(units: list[ResponsibleUnit], unit: ResponsibleUnit) -> None:
    for k, u in enumerate(units):
        if u.name == unit.name:
            if unit.role == "lead" and u.role != "lead":
                units[k] = u.model_copy(update={"role": "lead"})
            return
    units.append(unit)


def apply_table_links(clauses: list[Clause], links: TableLinks) -> None:
    """Add the linked rows' units to each clause's responsible_units (no duplicates)."""
    by_id = {c.id: c for c in clauses}
    for cid, units in links.units_by_clause.items():
        clause = by_id.get(cid)
        if clause is None:
            continue
        for unit in units:
            _merge_unit(clause.responsible_units, unit)
