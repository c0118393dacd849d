"""Task tables (工作任务清单): linking their rows to the clauses they restate, and their units to those clauses."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from policydiff.errors import UsageError
from policydiff.extract.units import Role, UnitMemo, alias_table, normalize_unit_key, parse_unit_list
from policydiff.schema import Clause, ResponsibleUnit, Table
from policydiff.text.ngrams import BigramIndex, bigram_codes

# Rows scoring below this (0-100, see _row_score) against every clause stay unmatched. On the
# xinzheng task table right links score 66-100 (66: a row merging two clauses), the best wrong
# clause at most 43.
LINK_THRESHOLD = 60.0

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


# Clauses on the bigram-overlap shortlist of a row that quotes no clause well enough.
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
                if not _may_reach(frag, clause_key, cutoff):
                    return None
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
# Pieces shorter than this are found in most clauses: not worth looking for.
_MIN_PIECE = 4


def _may_reach(frag: str, text: str, cutoff: float) -> bool:
    """False only when partial_ratio(frag, text) < cutoff for certain, told by a few substring
    searches: partial_ratio costs ~10 us, and most calls with a cutoff are against losing clauses.

    partial_ratio aligns the shorter string with substrings W of the other: 100 * 2 * LCS / (m + |W|),
    m = len(frag). A score c / 100 needs LCS >= c (m + |W|) / 2 with LCS <= m, so |W| <= m (2 - c) / c
    and the insertions and deletions, m + |W| - 2 LCS <= (1 - c)(m + |W|), number at most
    d = 2m (1 - c) / c. Cut frag into d + 1 pieces: an edit falls in at most one, so one piece
    is aligned untouched and appears in text as it is.
    """
    m = len(frag)
    if m >= len(text):
        return True  # text is the shorter (or as long): it is the one aligned
    if cutoff > 100.0:
        return False
    # The slack keeps float rounding from ever dropping an edit.
    edits = int(2.0 * m * (100.0 - cutoff) / cutoff + 1e-6)
    size = m // (edits + 1)
    if size < _MIN_PIECE:
        return True
    return any(frag[i : i + size] in text for i in range(0, size * edits + 1, size))


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
    memo: UnitMemo | None = None,
) -> TableLinks:
    """Link each row of a task table to the clause whose policy text it restates best.

    Rows that repeat the header (tables split over pages) and empty rows are skipped: they are
    neither linked nor unmatched. With no `unit_col`, every unit column is read and a 牵头
    column gives lead units. `memo` (see UnitMemo) shares units with the document's notes.
    """
    header = table.header
    t_idx = _column(header, task_col) if task_col else _task_column(header)
    if t_idx is None:
        raise UsageError(f"table has no task column; its columns are: {', '.join(header)}. Pass task_col.")
    u_idx = [_column(header, unit_col)] if unit_col else _unit_columns(header)
    header_keys = [_header_key(h) for h in header]

    aliases = alias_table(aliases)
    if memo is None:
        memo = UnitMemo()
    n_head = len(header_keys)
    tasks: list[tuple[int, str]] = []  # (row index, task key) of the rows to link
    for r, row in enumerate(table.rows):
        cells = row.cells
        if len(cells) >= n_head and all(_header_key(c) == h for c, h in zip(cells, header_keys, strict=False)):
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
    # Exact scoring is costly (partial alignment per fragment), so each row is scored against few
    # clauses: those it quotes a fragment of verbatim (rows restate clauses piecemeal), and when
    # none of them reaches the threshold, also the clauses sharing the most character bigrams
    # with it (that shortlist costs a bigram set per clause, so it is made only when needed).
    pending: list[tuple[int, str, _RowFragments, str | None, float, list[int]]] = []
    for r, task in to_score:
        fragments = _RowFragments(_fragments(task))
        quoted = verbatim.quoting(fragments.fragments)
        best_id, best = _best_clause(fragments, quoted, clause_keys, threshold, None, -1.0)
        if best >= threshold:
            best_of[r] = (best_id, best)
        else:
            pending.append((r, task, fragments, best_id, best, quoted))
    shortlists = verbatim.index.shortlists([bigram_codes(row[1]) for row in pending], LINK_CANDIDATES) if pending else []
    for (r, _task, fragments, best_id, best, quoted), shortlist in zip(pending, shortlists, strict=True):
        rest = [k for k in shortlist if k not in quoted]
        best_of[r] = _best_clause(fragments, rest, clause_keys, threshold, best_id, best)
    unit_cols: list[tuple[int, Role]] = [(ui, "lead" if header_keys[ui].startswith("牵头") else "joint") for ui in u_idx]
    where_of: dict[str, dict[str, int]] = {}  # clause id -> unit name -> its index in units_by_clause
    for r, _task in tasks:
        cells = table.rows[r].cells
        best_id, best = best_of[r]
        if best_id is None or best < threshold:
            out.unmatched.append(r)
            continue
        out.links.append((r, best_id, round(best, 1)))
        units = out.units_by_clause.get(best_id)
        if units is None:
            units = out.units_by_clause[best_id] = []
            where = where_of[best_id] = {}
        else:
            where = where_of[best_id]
        for ui, default in unit_cols:
            if ui >= len(cells):
                continue
            # Rows repeat unit lists (市教育局、市人社局…): each distinct cell is read once.
            key = (cells[ui], default)
            parsed = cell_units.get(key)
            if parsed is None:
                parsed = cell_units[key] = parse_unit_list(cells[ui], aliases, default, memo)
            for unit in parsed:  # _merge_unit, with the names indexed
                k = where.get(unit.name)
                if k is None:
                    where[unit.name] = len(units)
                    units.append(unit)
                elif unit.role == "lead" and units[k].role != "lead":
                    units[k] = units[k].model_copy(update={"role": "lead"})
    return out


def _best_clause(
    fragments: _RowFragments,
    order: Sequence[int],
    clause_keys: Sequence[tuple[str, str]],
    threshold: float,
    best_id: str | None,
    best: float,
) -> tuple[str | None, float]:
    """The best of (best_id, best) and the clauses `order` names, scored in that order (ties: the first)."""
    for k in order:
        cid, ckey = clause_keys[k]
        # A clause must beat the best so far, and the threshold to be linked at all: lower
        # scores change nothing, so their computation stops early.
        score = _row_score(fragments, ckey, need=max(best, threshold))
        if score is not None and score > best:
            best_id, best = cid, score
    return best_id, best


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

    def quoting(self, fragments: Sequence[str]) -> list[int]:
        """Indexes of the clauses quoting one of `fragments` verbatim, in clause order; fragments
        shorter than MIN_FRAGMENT_LEN are found in too many clauses to count."""
        found: set[int] = set()
        for frag in fragments:
            if len(frag) < MIN_FRAGMENT_LEN:
                continue
            if not self.usable or _SEP in frag:
                found.update(k for k, key in enumerate(self.keys) if frag in key)
                continue
            pos = self.joined.find(frag)
            while pos >= 0:
                k = bisect_right(self.starts, pos) - 1
                found.add(k)
                pos = self.joined.find(frag, self.starts[k] + len(self.keys[k]) + 1)  # the next clause on
        return sorted(found)

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
