"""Clause search over an index: a character-bigram inverted index picks candidates, rapidfuzz scores them.

The similarity of a query q to a clause t (both folded, see `align.clauses.fold`) is the Indel
similarity of the whole texts, and for a clause more than twice as long as the query also
0.9 × rapidfuzz `partial_ratio` (the query found inside the clause), whichever is higher;
rounded to 3 decimals. Hits are ordered by similarity, then document and clause id.

Scoring every clause (`scan=True`) is exact but slow at corpus scale (partial_ratio costs up to
a millisecond per long clause). The default path reads the search structure the index keeps in
``INDEX_DIR/search/``::

    meta.json      format, gram size, fold probe and the clauses.parquet it was built from
    text.u16.zst   folded clause texts, UTF-16-LE, concatenated, zstd-compressed (a third of the plain size,
                   which kept the index under 3x its corpus); read into memory whole. offsets.npy (code units) cuts them
    lengths.npy    characters per folded clause; grams.npy distinct bigrams per clause
    keyrank.npy    rank of (doc, clause_id): the tie-break order
    vocab.npy      sorted distinct bigram keys (two code points, 21 bits each)
    indptr.npy / postings.npy   for vocab[g], the clauses holding it: postings[indptr[g]:indptr[g+1]]

A query's bigrams, through the postings, give every clause the number of the query's distinct
bigrams it holds, and the number S of the query's bigram positions whose bigram it holds. Two ranked
candidate lists come from them (ties by doc and clause id):

- every clause by the Dice coefficient of the bigram sets, for the whole-text similarity;
- clauses more than twice the query's length by S, for the partial one.

Each list is read in prefixes and scored exactly (whole texts down the first, partial_ratio down the
second, and for the longer clauses of the first), at least FIRST deep and then to twice the deepest
candidate that reached the current top-k (and a step past it): a list is read further only while it
keeps finding top-k clauses. Then the bounds: in a common subsequence of length l of q and a text w,
S >= 3 l - |q| - |w| - 1 (see `ClauseSearcher.bounds`), which caps both similarities of every clause.
Every clause whose cap still reaches the k-th score is scored too, when they are few enough
(CERTIFY_*); if none is left, the top-k is provably the full scan's (`last_exact`). The caps say
nothing below 2/3, so the certificate comes with a high k-th score (a clause copied k times, most
excerpts and short queries); below, the ranked lists find the top-k, and benchmarks/bench_search.py
measures how often that equals a full scan (on generated corpora of 10,000 notices, 179 of 180 clause
queries, verbatim or edited, gave exactly the scan's top-20; the other had a clause at 0.46 in place
of one at 0.459). A query none of whose bigrams is in the corpus is scanned. One-character queries have no bigram: the clauses
holding the character are found from the bigrams around it and certified the same way.

`policydiff index` builds the structure; a search that finds it missing or stale (clauses.parquet
changed, another fold) rebuilds it.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from policydiff.corpus.search_build import (
    _CP_BITS,
    GRAM,
    SEARCH_DIR,
    _codepoints,
    _decompress_file,
    _fold,
    _gram_keys,
    _runs,
    _sizes,
    _source,
    build_search_index,
)
from policydiff.corpus.search_rank import RankedPrefix, ScoreOrder, partial_cost
from policydiff.corpus.store import check_readable
from policydiff.errors import UsageError

PARTIAL_WEIGHT = 0.9  # a query found inside a longer clause scores at most 0.9
# Candidates read per list: at least FIRST, and GAP (or as many again) past the deepest that reached the top-k.
FIRST_WHOLE, GAP_WHOLE = 1000, 500  # whole-text scores cost about 2 µs each
PARTIAL_STEP_US = 30_000  # partial_ratio costs 3 µs to 150 µs with the query's length: a step is this long
PARTIAL_STEP_MIN, PARTIAL_STEP_MAX = 100, 2000
# Then clauses whose upper bound still reaches the k-th score are scored too, up to these budgets.
CERTIFY_WHOLE = 10_000  # whole-text scores (about 2 µs each)
CERTIFY_PARTIAL_US = 100_000  # estimated microseconds of partial_ratio


@dataclass
class Hit:
    doc: str
    clause_id: str
    label: str
    heading: str
    similarity: float


class ClauseSearcher:
    """An index's clauses, ready for many queries: `ClauseSearcher(INDEX_DIR).search(query, top)`."""

    def __init__(self, index_dir: Path, *, search_dir: Path | None = None, build: bool = True) -> None:
        """The structure is INDEX_DIR/search (or `search_dir`); missing or stale, it is (re)built there,
        or in a temporary folder when that is not writable; with build=False that is an error."""
        self.index_dir = Path(index_dir)
        self._tmp: tempfile.TemporaryDirectory[str] | None = None
        self.n = 0
        self.source: dict[str, Any] | None = None
        self.last_exact = True  # whether the last search's top-k is provably a full scan's
        if not (self.index_dir / "clauses.parquet").exists():
            return
        path = Path(search_dir) if search_dir is not None else self.index_dir / SEARCH_DIR
        if not self._fresh(path):
            if not build:
                raise FileNotFoundError(f"no up-to-date search structure in {path}")
            try:
                build_search_index(self.index_dir, path)
            except OSError:  # a read-only index: build next to the process instead
                self._tmp = tempfile.TemporaryDirectory(prefix="policydiff-search-")
                path = build_search_index(self.index_dir, Path(self._tmp.name) / SEARCH_DIR)
        self._load(path)

    def _fresh(self, path: Path) -> bool:
        try:
            meta = json.loads((path / "meta.json").read_text(encoding="utf-8"))
            sizes = meta.pop("sizes", None)
            return bool(meta == _source(self.index_dir) and sizes == _sizes(path))
        except (OSError, ValueError):
            return False

    def is_current(self) -> bool:
        """Whether the index's clauses are still those this searcher loaded."""
        try:
            return self.source is not None and {k: v for k, v in self.source.items() if k != "sizes"} == _source(self.index_dir)
        except OSError:
            return self.source is None

    def _load(self, path: Path) -> None:
        self.source = json.loads((path / "meta.json").read_text(encoding="utf-8"))
        self.offsets = np.load(path / "offsets.npy")
        self.lengths = np.load(path / "lengths.npy").astype(np.int64)
        self.ngrams = np.load(path / "grams.npy").astype(np.int64)
        self.keyrank = np.load(path / "keyrank.npy")
        self.vocab = np.load(path / "vocab.npy")
        self.indptr = np.load(path / "indptr.npy")
        self.postings = np.load(path / "postings.npy", mmap_mode="r" if self.indptr[-1] else None)
        self._text: Any = _decompress_file(path / "text.u16.zst", 2 * int(self.offsets[-1]))
        self.n = len(self.lengths)

    # -- the clauses table, read only where needed --

    def _rows_table(self, rows: np.ndarray) -> Any:
        """doc, clause_id, label, heading of clause rows `rows`, in that order: only their row groups are read."""
        # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
        import pyarrow as pa
        import pyarrow.parquet as pq

        f = pq.ParquetFile(self.index_dir / "clauses.parquet")
        starts = np.cumsum([0] + [f.metadata.row_group(g).num_rows for g in range(f.num_row_groups)])
        groups = np.searchsorted(starts, rows, side="right") - 1
        wanted = np.unique(groups)
        table = f.read_row_groups(wanted.tolist(), columns=["doc", "clause_id", "label", "heading"], use_threads=False)
        base = np.cumsum([0] + [int(starts[g + 1] - starts[g]) for g in wanted])  # where each group starts in `table`
        local = base[np.searchsorted(wanted, groups)] + (rows - starts[groups])
        return table.take(pa.array(local, pa.int64()))

    def clause_text(self, i: int) -> str:
        """Folded policy text of clause row i."""
        return str(self._text[2 * self.offsets[i] : 2 * self.offsets[i + 1]].decode("utf-16-le"))

    def resolve(self, query: str) -> str:
        """Folded query: `DOC:CLAUSE_ID` stands for that clause's text. DOC is a document's name in the index
        (its path in the corpus without the suffix), or the path with its suffix, or a file stem that names
        one document; CLAUSE_ID a clause id or label. A DOC of the index with no such clause is an error;
        a text whose part before the colon names no document is searched as text."""
        if ":" in query and "\n" not in query and self.n:
            # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
            import pyarrow.compute as pc
            import pyarrow.parquet as pq

            ref, key = query.rsplit(":", 1)
            t = pq.read_table(self.index_dir / "clauses.parquet", columns=["doc", "clause_id", "label"])
            doc = _match_doc(sorted(set(t["doc"].unique().to_pylist())), ref)
            if doc is None:
                return _fold(query)
            in_doc = pc.equal(t["doc"], doc)
            mask = pc.and_(in_doc, pc.or_(pc.equal(t["clause_id"], key), pc.equal(t["label"], key)))
            rows = np.flatnonzero(mask.to_numpy(zero_copy_only=False))
            if not len(rows):
                ids = t.filter(in_doc)["clause_id"].to_pylist()
                shown = ", ".join(ids[:5]) + (f", … ({len(ids)} in all)" if len(ids) > 5 else "")
                raise UsageError(
                    f"{doc} has no clause {key!r} in this index. Its clauses: {shown}. Give one of these ids (or a label), "
                    "or search for text instead."
                )
            return self.clause_text(int(rows[0]))
        return _fold(query)

    # -- scoring --

    def texts(self, rows: np.ndarray) -> list[str]:
        return [self.clause_text(int(i)) for i in rows]

    @staticmethod
    def whole(q: str, texts: list[str]) -> np.ndarray:
        """Indel similarity of the whole texts (unrounded)."""
        # rapidfuzz loads only when a query is scored, not to build the index
        from rapidfuzz import process
        from rapidfuzz.distance import Indel

        if not texts:
            return np.zeros(0)
        workers = 1 if len(texts) < 4096 else -1
        return np.asarray(process.cdist([q], texts, scorer=Indel.normalized_similarity, dtype=np.float64, workers=workers)[0])

    @staticmethod
    def partial(q: str, texts: list[str], cutoff: float = 0.0) -> np.ndarray:
        """0.9 × partial_ratio / 100 (unrounded); 0 where it is below `cutoff`."""
        # rapidfuzz loads only when a query is scored, not to build the index
        from rapidfuzz import fuzz, process

        if not texts:
            return np.zeros(0)
        pct = min(100.0, max(0.0, 100 * cutoff / PARTIAL_WEIGHT))
        workers = 1 if len(texts) < 64 else -1
        part = process.cdist([q], texts, scorer=fuzz.partial_ratio, dtype=np.float64, workers=workers, score_cutoff=pct)[0]
        return np.asarray(PARTIAL_WEIGHT * part / 100)

    def score(self, q: str, rows: np.ndarray) -> np.ndarray:
        """Similarity of `q` to the clauses `rows`, every part computed."""
        texts = self.texts(rows)
        sim = self.whole(q, texts)
        long = np.flatnonzero(self.lengths[rows] > 2 * len(q))  # len(q) < 0.5 len(t)
        if len(long):
            sim[long] = np.maximum(sim[long], self.partial(q, [texts[j] for j in long]))
        return np.asarray(np.round(sim, 3), dtype=np.float64)

    def _top(self, rows: np.ndarray, sims: np.ndarray, top: int) -> np.ndarray:
        """Positions (into rows) of the top-k: similarity descending, then (doc, clause_id)."""
        return np.lexsort((self.keyrank[rows], -sims))[:top]

    def hits(self, rows: np.ndarray, sims: np.ndarray) -> list[Hit]:
        if not len(rows):
            return []
        t = self._rows_table(np.asarray(rows, np.int64))
        cols = [t[c].to_pylist() for c in ("doc", "clause_id", "label", "heading")]
        return [Hit(d, c, lab, h, float(s)) for d, c, lab, h, s in zip(*cols, sims, strict=True)]

    # -- search --

    def search(self, query: str, top: int = 20, *, scan: bool = False) -> list[Hit]:
        """The `top` clauses most similar to `query` (text, or FILE:CLAUSE_ID)."""
        rows, sims = self.search_rows(self.resolve(query) if self.n else "", top, scan=scan)
        return self.hits(rows, sims)

    def search_rows(self, q: str, top: int = 20, *, scan: bool = False) -> tuple[np.ndarray, np.ndarray]:
        """(clause rows, similarities) of the top-k for a folded query."""
        if not q or not self.n or top <= 0:
            return np.zeros(0, np.int64), np.zeros(0)
        self.last_exact = True
        if scan:
            return self._scan(q, top)
        if len(q) < GRAM:
            return self._one_char(q, top)
        return self._prefiltered(q, top)

    def _scan(self, q: str, top: int) -> tuple[np.ndarray, np.ndarray]:
        """Every clause scored: the reference result."""
        rows = np.arange(self.n)
        sims = np.concatenate([self.score(q, rows[lo : lo + 16384]) for lo in range(0, self.n, 16384)])
        best = self._top(rows, sims, top)
        return rows[best], sims[best]

    def shared_grams(self, q: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
        """Per clause: how many of the query's distinct bigrams it holds; how many of the query's bigram
        positions have a bigram it holds (S); the same positions weighted by the bigram's inverse document
        frequency (rare bigrams say more about where the query was copied); and the query's number of
        distinct bigrams."""
        keys = np.sort(_gram_keys(_codepoints(q)))
        grams, _, counts = _runs(keys)
        pos = np.minimum(np.searchsorted(self.vocab, grams), max(len(self.vocab) - 1, 0))
        found = self.vocab[pos] == grams if len(self.vocab) else np.zeros(len(grams), bool)
        pos, counts = pos[found], counts[found]
        lists = [self.postings[self.indptr[p] : self.indptr[p + 1]] for p in pos]
        # bincount casts uint32 slowly; concatenating into intp is several times cheaper
        post = np.concatenate(lists, dtype=np.intp) if lists else np.zeros(0, np.intp)
        distinct = np.bincount(post, minlength=self.n)
        positions = distinct.copy()
        for c, lst in zip(counts, lists, strict=True):  # a bigram seen c times in the query: c positions
            if c > 1:
                positions[lst] += c - 1
        # bigrams in over 5% of the clauses weigh little and hold most of the postings: left out of the weights
        sizes = np.diff(self.indptr)[pos]
        rare = np.flatnonzero(sizes <= max(1, self.n // 20))
        idf = counts[rare] * np.log(self.n / np.maximum(sizes[rare], 1))
        rare_post = np.concatenate([lists[i] for i in rare], dtype=np.intp) if len(rare) else np.zeros(0, np.intp)
        weighted = np.bincount(rare_post, weights=np.repeat(idf, sizes[rare]), minlength=self.n)
        return distinct, positions, weighted, len(grams)

    def bounds(self, q: str, positions: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Upper bounds on the whole-text and the (weighted) partial similarity of every clause, from the
        number of the query's bigram positions whose bigram it holds (S). In a longest common subsequence of
        length l between q and a text w, all but (|q| - l) + (|w| - l) + 1 consecutive matches are adjacent
        in both, and each adjacent pair is a distinct position of q whose bigram w holds: S >= 3 l - |q| - |w| - 1.
        Whole: 2 min(|q|, |t|, (S + |q| + |t| + 1) / 3) / (|q| + |t|). Partial (windows w of t, |w| <= |q|):
        the ratio 2 l / (|q| + |w|) is at most 2 (S + |q| + 1) / (3 |q| + S + 1). Below 2/3 they say nothing."""
        lq = len(q)
        lt = self.lengths
        s = positions.astype(np.float64)
        whole = 2 * np.minimum(np.minimum(lq, lt), (s + lq + lt + 1) / 3) / (lq + lt)
        part = PARTIAL_WEIGHT * np.minimum(1.0, 2 * (s + lq + 1) / (3 * lq + s + 1))
        return whole + 1e-9, np.where(lt > 2 * lq, part + 1e-9, 0.0)

    def _prefiltered(self, q: str, top: int) -> tuple[np.ndarray, np.ndarray]:
        """Top-k from the candidate lists: whole-text scores down the Dice list, partial scores down the
        containment list, each read as deep as twice the deepest candidate that reached the top-k; then
        every clause whose bound still reaches the k-th score is scored too, when they are affordable."""
        distinct, positions, weighted, nq = self.shared_grams(q)
        if not distinct.any():  # no clause holds any of its bigrams: nothing to rank candidates by
            return self._scan(q, top)
        lq = len(q)
        dice = 2 * distinct / (nq + self.ngrams)  # equal fractions give equal floats: ties are exact
        longer = np.flatnonzero((positions > 0) & (self.lengths > 2 * lq))
        step = int(np.clip(PARTIAL_STEP_US / partial_cost(lq), max(PARTIAL_STEP_MIN, 5 * top), max(PARTIAL_STEP_MAX, 5 * top)))
        lists = [
            RankedPrefix(ScoreOrder(np.arange(self.n), dice, self.keyrank), max(FIRST_WHOLE, 25 * top), max(GAP_WHOLE, 12 * top)),
            RankedPrefix(ScoreOrder(longer, weighted[longer], self.keyrank), step, step),
        ]
        run = _Run(self, q, top)
        while any(r.active for r in lists):
            slices = [r.next() if r.active else None for r in lists]
            for sl in slices:
                if sl is not None:
                    run.add_whole(sl)
            # partial scores down the containment list, and for the longer clauses the Dice list brings
            partial = [sl[self.lengths[sl] > 2 * lq] for sl in slices if sl is not None]
            if any(len(p) for p in partial):
                run.rank()
                run.add_partial(np.concatenate(partial), run.cutoff())
            run.rank()
            in_top = np.zeros(self.n, bool)
            in_top[run.top_rows()] = True
            for r, sl in zip(lists, slices, strict=True):
                if sl is not None:
                    r.update(in_top[sl])
        self.last_exact = run.certify(*self.bounds(q, positions))
        # a longer clause in the top-k by its whole-text score alone: its partial score may lift it
        while len(missing := [int(i) for i in run.top_rows() if run.part[i] < 0 and self.lengths[i] > 2 * lq]):
            run.add_partial(np.asarray(missing, np.int64), 0.0)
            run.rank()
        return run.top_rows(), run.top_sims()

    def _one_char(self, q: str, top: int) -> tuple[np.ndarray, np.ndarray]:
        """A one-character query: only the clauses holding it score above 0 (found through the bigrams that
        start or end with it, and the one-character clauses): at most 2 / (1 + |t|) whole, 0.9 partial. The
        best bounds are scored first, then whatever bound can still reach the top-k; the rest, at 0, come by key."""
        c = np.uint64(ord(q))
        lo, hi = np.searchsorted(self.vocab, [c << _CP_BITS, (c + np.uint64(1)) << _CP_BITS])
        ids = np.union1d(np.arange(lo, hi), np.flatnonzero((self.vocab & np.uint64((1 << int(_CP_BITS)) - 1)) == c))
        singles = np.flatnonzero(self.lengths == 1)
        singles = singles[[self.clause_text(int(i)) == q for i in singles]] if len(singles) else singles
        lists = [self.postings[self.indptr[p] : self.indptr[p + 1]] for p in ids]
        holding = np.zeros(self.n, bool)
        holding[np.concatenate([*lists, singles]).astype(np.intp)] = True
        whole_bound = np.where(holding, 2 / (1 + np.maximum(self.lengths, 1)), 0.0) + 1e-9
        part_bound = np.where(holding & (self.lengths > 2), PARTIAL_WEIGHT, 0.0) + 1e-9
        run = _Run(self, q, top)
        first = ScoreOrder(np.arange(self.n), np.maximum(whole_bound, part_bound), self.keyrank).prefix(top)
        run.add_whole(first)
        run.rank()
        run.add_partial(first[self.lengths[first] > 2], 0.0)
        run.rank()
        self.last_exact = run.certify(whole_bound, part_bound)
        return run.top_rows(), run.top_sims()


class _Run:
    """One query's scores so far: whole-text and partial parts per clause (-1: not computed yet)."""

    def __init__(self, searcher: ClauseSearcher, q: str, top: int) -> None:
        self.s, self.q, self.top = searcher, q, top
        self.whole = np.full(searcher.n, -1.0)
        self.part = np.full(searcher.n, -1.0)  # 0 also where it cannot reach the top-k
        self.rows = np.zeros(0, np.int64)
        self.sims = np.zeros(0)
        self.best = np.zeros(0, np.int64)

    def rank(self) -> None:
        self.sims = np.round(np.maximum(self.whole[self.rows], self.part[self.rows]), 3)
        self.best = self.s._top(self.rows, self.sims, self.top)

    def top_rows(self) -> np.ndarray:
        return self.rows[self.best]

    def top_sims(self) -> np.ndarray:
        return self.sims[self.best]

    def cutoff(self) -> float:
        """A clause enters the top-k only at or above the k-th score (ties by key); slack for the rounding."""
        return max(0.0, float(self.sims[self.best[-1]]) - 0.001) if len(self.best) >= self.top else 0.0

    def add_whole(self, new: np.ndarray) -> None:
        new = new[self.whole[new] < 0]
        self.whole[new] = self.s.whole(self.q, self.s.texts(new))
        self.rows = np.concatenate([self.rows, new])

    def add_partial(self, new: np.ndarray, cutoff: float) -> None:
        """Partial scores of longer clauses whose whole score is known; skipped where they cannot reach `cutoff`."""
        new = new[self.part[new] < 0]
        lq = len(self.q)
        # LCS(q, window) <= LCS(q, t) = whole * (|q| + |t|) / 2, and a window's ratio is at most 2 l / (|q| + l)
        lcs = self.whole[new] * (lq + self.s.lengths[new]) / 2
        bound = PARTIAL_WEIGHT * 2 * lcs / (lq + lcs) + 1e-9
        todo = new[(bound >= cutoff) & (bound > self.whole[new])]
        self.part[new] = 0.0
        self.part[todo] = self.s.partial(self.q, self.s.texts(todo), cutoff)

    def certify(self, whole_bound: np.ndarray, part_bound: np.ndarray) -> bool:
        """Score every clause whose bound reaches the k-th score, while that stays within budget.
        True when none is left: the top-k is then exactly a full scan's."""
        lq = len(self.q)
        part_cost = partial_cost(lq)
        while True:
            if len(self.best) < self.top:
                return False
            cut = self.cutoff()
            # a clause that can at best tie with the k-th and comes after it by key cannot enter either
            kth = self.best[-1]
            after = self.s.keyrank > self.s.keyrank[self.rows[kth]]
            tau = self.sims[kth]
            reach_whole = (whole_bound >= cut) & ~((np.round(whole_bound, 3) <= tau) & after)
            reach_part = (part_bound >= cut) & ~((np.round(part_bound, 3) <= tau) & after)
            need_whole = np.flatnonzero((self.whole < 0) & (reach_whole | reach_part))
            need_part = np.flatnonzero((self.part < 0) & reach_part)
            if not len(need_whole) and not len(need_part):
                return True
            if len(need_whole) > CERTIFY_WHOLE or len(need_part) * part_cost > CERTIFY_PARTIAL_US:
                return False
            self.add_whole(need_whole)
            self.rank()
            self.add_partial(need_part, self.cutoff())
            self.rank()


_CACHE: dict[Path, ClauseSearcher] = {}


def open_searcher(index_dir: Path) -> ClauseSearcher:
    """A ClauseSearcher for the index, kept for the process while its clauses.parquet is unchanged."""
    key = Path(index_dir).resolve()
    s = _CACHE.get(key)
    if s is None or not s.is_current():
        s = ClauseSearcher(key)
        _CACHE.clear()  # one index at a time: the arrays are memory-mapped, but the rest is not small
        _CACHE[key] = s
    return s


def _match_doc(names: list[str], ref: str) -> str | None:
    """The document `ref` names: exactly, without its suffix, or by file stem when one document has it."""
    if ref in names:
        return ref
    stripped = ref[: -len(Path(ref).suffix)] if Path(ref).suffix else ref
    if stripped in names:
        return stripped
    stem = Path(ref).stem
    by_stem = [n for n in names if n.rsplit("/", 1)[-1] == stem]
    return by_stem[0] if len(by_stem) == 1 else None


def search_clauses(index_dir: Path, query: str, top: int = 20, *, scan: bool = False) -> list[Hit]:
    """Clauses most like `query` (text, or FILE:CLAUSE_ID): bigram-index candidates, then exact rapidfuzz scores.
    `scan=True` scores every clause instead (the slow reference). Raises an IndexUnusableError for a folder
    that is not a complete, undamaged index."""
    check_readable(Path(index_dir))
    return open_searcher(Path(index_dir)).search(query, top, scan=scan)
