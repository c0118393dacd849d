"""Which document each plan was copied from.

Candidates come from the index's sampled n-gram hashes (a sparse document × n-gram matrix):
documents that share rare n-grams with a child, not dated after it, plus the documents it
cites. Each candidate is scored by the Jaccard similarity of the full n-gram samples; the
parent is the best-scoring earlier candidate, and a grandparent that scores close to it is
told apart by the n-grams the child shares with one and not the other (a parent's own edits
reach the child, a grandparent's lost text does not). Below a calibrated score a document is
a root. Only then does compare() run, once per chosen edge, for the evidence: share of reused
text and inherited clauses.
"""

from __future__ import annotations

import functools
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from policydiff.corpus.index import _read_table, map_dask

# Calibrated on make_corpus --seed 1 (N=1,000), validated on --seed 2; see benchmarks/calibrate_lineage.py.
MIN_SCORE = 0.248  # Jaccard of n-gram samples below which a document has no parent
CITED_MIN_SCORE = 0.17  # a cited document needs less shared text
CLOSE = 0.03  # candidates this close to the best are re-ranked by the n-grams only one of them shares ...
EXCLUSIVE_RATIO = 2.0  # ... when the child holds this many times more of one's private n-grams
DF_CAP = 48  # n-grams in more documents than this are boilerplate: not used to find candidates
CAND_K = 8  # candidates kept per document from the n-gram index
BLOCK = 512  # documents per block of the sparse product (bounds memory)


@dataclass
class Edge:
    child: str
    parent: str
    citation: bool
    reuse_share: float  # compare(): share of the child's text reused from the parent
    inherited_clauses: int  # compare(): child clauses paired with a parent clause
    date_order: str  # "before" (parent dated before child), "same", "unknown"
    score: float  # Jaccard of the two documents' n-gram samples
    containment: float  # share of the child's n-grams found in the parent
    runner_up: str | None = field(default=None)  # the next best candidate, if any


@dataclass
class _Meta:
    name: str
    date: str | None
    year: int | None


# --- citations -----------------------------------------------------------------


def _citation_targets(index_dir: Path, docs: list[dict[str, Any]], near: dict[str, set[str]] | None = None) -> dict[str, set[str]]:
    """child → names it cites: resolved_to when the extractor set it, else by document number, else by title.

    A title that matches no title exactly is scored against the citing document's n-gram
    candidates `near` only (all documents when None, on corpora of up to 2,000)."""
    from policydiff.extract.citations import normalize_title

    by_number: dict[str, str] = {}
    by_title: dict[str, str] = {}
    by_name = {d["name"]: d for d in docs}
    names = set(by_name)
    for d in docs:
        if d["doc_number"]:
            by_number.setdefault(d["doc_number"], d["name"])
        for t in (d["plan_title"], d["title"]):
            if t:
                by_title.setdefault(normalize_title(t), d["name"])
    out: dict[str, set[str]] = {}
    for c in _read_table(index_dir / "citations.parquet"):
        target = c["resolved_to"] if c["resolved_to"] in names else None
        if target is None and c["number"]:
            target = by_number.get(c["number"])
        if target is None and c["title"]:  # number unknown to the corpus (or none): by title
            target = by_title.get(normalize_title(c["title"]))
            if target is not None and c["number"] and by_name[target]["doc_number"] not in (None, c["number"]):
                target = None  # the titles agree, the numbers say another document
            if target is None:
                pool = docs if near is None else [by_name[x] for x in sorted(near.get(c["doc"], ())) if x in by_name]
                target = _fuzzy_title(c["title"], c["number"], c["doc"], pool)
        if target and target != c["doc"]:
            out.setdefault(c["doc"], set()).add(target)
    return out


def _fuzzy_title(title: str, number: str | None, own: str, docs: list[dict[str, Any]]) -> str | None:
    """The extractor's title score (period- and wrapper-blind); a linear scan, so only on small corpora."""
    if len(docs) > 2000:
        return None
    from policydiff.extract.citations import TITLE_MATCH_RATIO, title_score

    best, best_score = None, 0.0
    for d in docs:
        if d["name"] == own or (number and d["doc_number"] and d["doc_number"] != number):
            continue  # the citation's number says it is another document
        for t in (d["plan_title"], d["title"]):
            if t and (sc := title_score(title, t)) > best_score:
                best, best_score = d["name"], sc
    return best if best_score >= TITLE_MATCH_RATIO else None


def _date_order(parent: _Meta, child: _Meta) -> str:
    """before / same / after / unknown, by issue date, else by the year in the document number."""
    if parent.date and child.date:
        return "before" if parent.date < child.date else "same" if parent.date == child.date else "after"
    py = int(parent.date[:4]) if parent.date else parent.year
    cy = int(child.date[:4]) if child.date else child.year
    if py is not None and cy is not None and py != cy:
        return "before" if py < cy else "after"
    return "unknown"


# --- the n-gram index ------------------------------------------------------------


@dataclass
class NgramIndex:
    names: list[str]
    matrix: Any  # scipy.sparse.csr_matrix, documents × distinct sampled n-grams, 1.0 where present
    sizes: np.ndarray  # sampled n-grams per document
    df: np.ndarray  # documents per n-gram


def load_ngrams(index_dir: Path) -> NgramIndex:
    import pyarrow.parquet as pq
    import scipy.sparse as sp

    # Row group by row group, copied out of Arrow: reading the whole list column at once costs
    # several times its size in decode buffers.
    f = pq.ParquetFile(Path(index_dir) / "ngrams.parquet")
    names: list[str] = []
    parts: list[np.ndarray] = []
    sizes: list[np.ndarray] = []
    for g in range(f.num_row_groups):
        t = f.read_row_group(g, columns=["name", "sample"], use_threads=False)
        names += t["name"].to_pylist()
        for chunk in t["sample"].chunks:
            off = chunk.offsets.to_numpy()
            parts.append(chunk.values.to_numpy()[off[0] : off[-1]].copy())
            sizes.append(np.diff(off))
        del t
    del f
    values = np.concatenate(parts) if parts else np.zeros(0, np.uint64)
    del parts
    offsets = np.concatenate([[0], np.cumsum(np.concatenate(sizes))]) if sizes else np.zeros(1, np.int64)
    try:
        import pyarrow as pa

        pa.default_memory_pool().release_unused()
    except AttributeError:  # pragma: no cover - older pyarrow
        pass
    # Column ids without np.unique(return_inverse=True), which holds several int64 copies at once:
    # sort a copy, keep the distinct values, then look every value up (int32 ids).
    vocab = np.sort(values)
    keep = np.empty(len(vocab), bool)
    if len(vocab):
        keep[0] = True
        np.not_equal(vocab[1:], vocab[:-1], out=keep[1:])
    vocab = vocab[keep]
    del keep
    ids = np.searchsorted(vocab, values).astype(np.int32)
    del values
    m = sp.csr_matrix((np.ones(len(ids), np.float32), ids, offsets.astype(np.int32)), shape=(len(names), len(vocab)))
    df = np.bincount(ids, minlength=len(vocab)).astype(np.int32)
    del ids
    return NgramIndex(names, m, np.diff(offsets).astype(np.int64), df)


def _candidate_pairs(ix: NgramIndex, allowed: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
    """(child, candidate) index pairs: per document the k documents sharing most rare n-grams with it,
    among those `allowed(rows, cols)` (not dated after it). Row blocks keep memory bounded."""
    keep = (ix.df >= 2) & (ix.df <= DF_CAP)
    rare = ix.matrix[:, np.flatnonzero(keep)].tocsr()
    rare_t = rare.T.tocsr()
    rows_out, cols_out = [], []
    n = len(ix.names)
    for lo in range(0, n, BLOCK):
        hi = min(n, lo + BLOCK)
        prod = (rare[lo:hi] @ rare_t).tocoo()
        r, c, v = prod.row + lo, prod.col, prod.data
        ok = (r != c) & allowed(r, c)
        r, c, v = r[ok], c[ok], v[ok]
        # top k per row: sort by row, then by count descending, then by column (deterministic)
        order = np.lexsort((c, -v, r))
        r, c = r[order], c[order]
        first = np.searchsorted(r, r, side="left")
        rank = np.arange(len(r)) - first
        sel = rank < k
        rows_out.append(r[sel])
        cols_out.append(c[sel])
    if not rows_out:
        return np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(rows_out).astype(np.int64), np.concatenate(cols_out).astype(np.int64)


def _intersections(ix: NgramIndex, a: np.ndarray, b: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """|A ∩ B| of the n-gram samples for each pair (a[i], b[i])."""
    out = np.zeros(len(a), np.int64)
    m = ix.matrix
    for lo in range(0, len(a), chunk):
        hi = min(len(a), lo + chunk)
        out[lo:hi] = np.asarray(m[a[lo:hi]].multiply(m[b[lo:hi]]).sum(axis=1)).ravel()
    return out


def _exclusive(ix: NgramIndex, child: int, p: int, q: int) -> tuple[int, int]:
    """N-grams the child shares with p and not q, and with q and not p."""
    m = ix.matrix
    c = m.indices[m.indptr[child] : m.indptr[child + 1]]
    sp_ = m.indices[m.indptr[p] : m.indptr[p + 1]]
    sq = m.indices[m.indptr[q] : m.indptr[q + 1]]
    with_p = np.intersect1d(c, sp_, assume_unique=True)
    with_q = np.intersect1d(c, sq, assume_unique=True)
    return len(np.setdiff1d(with_p, sq, assume_unique=True)), len(np.setdiff1d(with_q, sp_, assume_unique=True))


# --- choosing parents -------------------------------------------------------------


@dataclass
class Choice:
    child: str
    parent: str
    score: float
    containment: float
    cited: bool
    date_order: str
    runner_up: str | None


def candidates(
    index_dir: Path, k: int = CAND_K
) -> tuple[NgramIndex, dict[str, list[tuple[str, float, float]]], dict[str, set[str]], dict[str, _Meta]]:
    """child → [(candidate, Jaccard, containment of child in candidate)], best first; cited documents always included."""
    index_dir = Path(index_dir)
    docs = _read_table(index_dir / "documents.parquet")
    meta = {d["name"]: _Meta(d["name"], d["date"], d["doc_year"]) for d in docs}
    ix = load_ngrams(index_dir)
    pos = {n: i for i, n in enumerate(ix.names)}
    # Date keys for a vectorized "candidate not after child": ISO date, else the number's year, else unknown.
    known = np.array([bool(meta[n].date or meta[n].year) for n in ix.names], bool)
    day = np.array([_day_key(meta[n]) for n in ix.names], np.int64)
    exact = np.array([bool(meta[n].date) for n in ix.names], bool)

    def allowed(r: np.ndarray, c: np.ndarray) -> np.ndarray:
        both = known[r] & known[c]
        # with two dates: c strictly earlier or same day; with a year only: not a later year
        exact_ok = day[c] <= day[r]
        year_ok = day[c] // 10000 <= day[r] // 10000
        return ~both | np.where(exact[r] & exact[c], exact_ok, year_ok)

    r, c = _candidate_pairs(ix, allowed, k)
    near: dict[str, set[str]] = {}
    for a, b in zip(r.tolist(), c.tolist(), strict=True):
        near.setdefault(ix.names[a], set()).add(ix.names[b])
    cites = _citation_targets(index_dir, docs, near if len(docs) > 200 else None)
    extra = [(pos[ch], pos[p]) for ch, ps in cites.items() if ch in pos for p in sorted(ps) if p in pos]
    if extra:
        r = np.concatenate([r, np.array([a for a, _ in extra], np.int64)])
        c = np.concatenate([c, np.array([b for _, b in extra], np.int64)])
        pairs = np.unique(np.stack([r, c], axis=1), axis=0)
        r, c = pairs[:, 0], pairs[:, 1]
    inter = _intersections(ix, r, c)
    union = ix.sizes[r] + ix.sizes[c] - inter
    jac = np.where(union > 0, inter / np.maximum(union, 1), 0.0)
    cont = np.where(ix.sizes[r] > 0, inter / np.maximum(ix.sizes[r], 1), 0.0)
    out: dict[str, list[tuple[str, float, float]]] = {n: [] for n in ix.names}
    for a, b, j, ct in zip(r.tolist(), c.tolist(), jac.tolist(), cont.tolist(), strict=True):
        out[ix.names[a]].append((ix.names[b], j, ct))
    for lst in out.values():
        lst.sort(key=lambda x: (-x[1], x[0]))
    return ix, out, cites, meta


def _day_key(m: _Meta) -> int:
    if m.date:
        y, mo, d = (int(x) for x in m.date[:10].split("-"))
        return y * 10000 + mo * 100 + d
    return (m.year or 0) * 10000 + 1231


def choose(
    ix: NgramIndex, cands: dict[str, list[tuple[str, float, float]]], cites: dict[str, set[str]], meta: dict[str, _Meta]
) -> list[Choice]:
    """The best earlier candidate per document; roots (best score under MIN_SCORE, uncited) get none."""
    pos = {n: i for i, n in enumerate(ix.names)}
    best: dict[str, Choice] = {}
    for child in sorted(cands):
        ok = []
        for p, jac, cont in cands[child]:
            order = _date_order(meta[p], meta[child])
            if order == "after" or (order in ("same", "unknown") and child in cites.get(p, ())):
                continue  # the parent cannot be later, nor cite its own child
            cited = p in cites.get(child, ())
            if jac >= MIN_SCORE or (cited and jac >= CITED_MIN_SCORE):
                ok.append((p, jac, cont, cited, order))
        if not ok:
            continue
        top = ok[0]
        # Close calls: a parent and its own parent both share much of the child. The one whose
        # private n-grams the child holds clearly more of is the source: a parent's edits reach
        # the child, the text it dropped from the grandparent does not.
        # A cited candidate about as close as an uncited one (often a sibling) is the source.
        for other in ok[1:]:
            if ok[0][1] - other[1] > CLOSE:
                break
            if other[3] and not top[3]:
                top = other
                break
            mine, theirs = _exclusive(ix, pos[child], pos[top[0]], pos[other[0]])
            if theirs >= EXCLUSIVE_RATIO * max(mine, 1):
                top = other
        runner = next((x[0] for x in ok if x[0] != top[0]), None)
        best[child] = Choice(child, top[0], round(top[1], 4), round(top[2], 4), top[3], top[4], runner)
    return _break_cycles(best)


def _break_cycles(best: dict[str, Choice]) -> list[Choice]:
    """Drop the weakest edge of every cycle so the result is a forest."""
    for start in sorted(best):
        seen: list[str] = []
        n = start
        while n in best and n not in seen:
            seen.append(n)
            n = best[n].parent
        if n in seen:  # cycle n → … → n
            cyc = seen[seen.index(n) :]
            weakest = min(cyc, key=lambda x: (best[x].score, x))
            del best[weakest]
    return [best[c] for c in sorted(best)]


# --- evidence (runs in workers) -----------------------------------------------


@functools.lru_cache(maxsize=256)
def _load(index_dir: str, name: str) -> Any:
    from policydiff.corpus.index import load_doc  # docs/<name>.json.zst: zstd-compressed JSON

    return load_doc(index_dir, name)


def evidence(index_dir: str, child: str, parents: list[str]) -> list[dict[str, Any]]:
    """compare(parent, child) for each given parent: the share of reused text and the inherited clauses."""
    from policydiff.align import compare

    c = _load(index_dir, child)
    out = []
    for p in parents:
        a = compare(_load(index_dir, p), c)
        out.append(
            {
                "child": child,
                "parent": p,
                "reuse_share": a.figures.reuse_share,
                "inherited": sum(1 for x in a.pairs if x.relation not in ("added", "dropped")),
            }
        )
    return out


def _evidence_batch(index_dir: str, batch: list[tuple[str, list[str]]]) -> list[dict[str, Any]]:
    return [e for child, parents in batch for e in evidence(index_dir, child, parents)]


def run_evidence(
    index_dir: str, work: list[tuple[str, list[str]]], *, engine: str = "local", scheduler: str | None = None, workers: int | None = None
) -> list[dict[str, Any]]:
    # Batches keep per-task overhead low; grouped by parent so a worker's document cache hits.
    work = sorted(work, key=lambda w: (w[1][0] if w[1] else "", w[0]))
    size = max(1, min(64, len(work) // 32 or 1))
    batches = [work[i : i + size] for i in range(0, len(work), size)]
    out: list[dict[str, Any]] = []
    if engine == "dask":
        for part in map_dask(_evidence_batch, [(index_dir, b) for b in batches], scheduler=scheduler, workers=workers):
            out.extend(part)
    elif engine == "local":
        if len(batches) <= 1 or workers == 1:
            for b in batches:
                out.extend(_evidence_batch(index_dir, b))
        else:
            with ProcessPoolExecutor(max_workers=workers) as ex:
                for part in ex.map(_evidence_batch, [index_dir] * len(batches), batches):
                    out.extend(part)
    else:
        raise ValueError(f"unknown engine {engine!r} (local or dask)")
    return sorted(out, key=lambda e: (e["child"], e["parent"]))


# --- driver --------------------------------------------------------------------


def find_lineage(
    index_dir: Path,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    top_k: int = CAND_K,
    workers: int | None = None,
    evidence: bool = True,
    timings: dict[str, float] | None = None,
) -> list[Edge]:
    """One parent per document that has one (roots get none), with its evidence.

    The choice is made on the n-gram index in this process (cheap, vectorized); compare() runs
    once per chosen edge, in a process pool or on Dask, for the reuse share and inherited clauses.
    """
    index_dir = Path(index_dir)
    if not (index_dir / "ngrams.parquet").exists():
        from policydiff.errors import UsageError

        raise UsageError(f"{index_dir}: no ngrams.parquet; re-run `policydiff index` to build the index in the current format.")
    clock = time.perf_counter()
    tm = timings if timings is not None else {}
    ix, cands, cites, meta = candidates(index_dir, top_k)
    tm["candidates"], clock = time.perf_counter() - clock, time.perf_counter()
    chosen = choose(ix, cands, cites, meta)
    del ix, cands
    tm["choose"], clock = time.perf_counter() - clock, time.perf_counter()
    ev: dict[tuple[str, str], dict[str, Any]] = {}
    if evidence and chosen:
        rows = run_evidence(str(index_dir), [(ch.child, [ch.parent]) for ch in chosen], engine=engine, scheduler=scheduler, workers=workers)
        ev = {(e["child"], e["parent"]): e for e in rows}
    tm["evidence"] = time.perf_counter() - clock
    out = []
    for ch in chosen:
        e = ev.get((ch.child, ch.parent), {})
        out.append(
            Edge(
                ch.child,
                ch.parent,
                ch.cited,
                round(float(e.get("reuse_share", ch.containment)), 4),
                int(e.get("inherited", 0)),
                ch.date_order,
                ch.score,
                ch.containment,
                ch.runner_up,
            )
        )
    return out


def document_names(index_dir: Path) -> list[str]:
    """Every document of the index (roots included), for outputs that draw all nodes."""
    import pyarrow.parquet as pq

    return sorted(pq.read_table(Path(index_dir) / "documents.parquet", columns=["name"])["name"].to_pylist())


# --- outputs -------------------------------------------------------------------


def lineage_rows(edges: list[Edge]) -> list[dict[str, Any]]:
    return [asdict(e) for e in edges]


def lineage_graphml(edges: list[Edge], docs: list[str] | None = None) -> str:
    """GraphML: one node per document (all of `docs`, plus any edge end), parent → child edges."""
    nodes = sorted(set(docs or []) | {e.child for e in edges} | {e.parent for e in edges})
    out = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
        '  <key id="reuse" for="edge" attr.name="reuse_share" attr.type="double"/>',
        '  <key id="citation" for="edge" attr.name="citation" attr.type="boolean"/>',
        '  <key id="inherited" for="edge" attr.name="inherited_clauses" attr.type="int"/>',
        '  <key id="score" for="edge" attr.name="score" attr.type="double"/>',
        '  <key id="date_order" for="edge" attr.name="date_order" attr.type="string"/>',
        '  <graph id="lineage" edgedefault="directed">',
    ]
    out += [f'    <node id="{escape(n, {chr(34): "&quot;"})}"/>' for n in nodes]
    for i, e in enumerate(edges):
        q = {chr(34): "&quot;"}
        out.append(f'    <edge id="e{i}" source="{escape(e.parent, q)}" target="{escape(e.child, q)}">')
        out.append(f'      <data key="reuse">{e.reuse_share}</data>')
        out.append(f'      <data key="citation">{str(e.citation).lower()}</data>')
        out.append(f'      <data key="inherited">{e.inherited_clauses}</data>')
        out.append(f'      <data key="score">{e.score}</data>')
        out.append(f'      <data key="date_order">{escape(e.date_order)}</data>')
        out.append("    </edge>")
    out += ["  </graph>", "</graphml>", ""]
    return "\n".join(out)


def report_name(e: Edge) -> str:
    """File name of an edge's compare report."""
    return f"{e.parent}__{e.child}.html"


def _report_batch(index_dir: str, out_dir: str, pairs: list[tuple[str, str]]) -> int:
    from policydiff._atomic import atomic_write_bytes
    from policydiff.align import compare
    from policydiff.render.html import alignment_html

    for parent, child in pairs:
        a, b = _load(index_dir, parent), _load(index_dir, child)
        html = alignment_html(compare(a, b, detail=True), a, b)
        # atomic: a full disk leaves no truncated report (mkdir: names with a folder part, from relative ids)
        atomic_write_bytes(Path(out_dir, f"{parent}__{child}.html"), html.encode("utf-8"), mkdir=True)
    return len(pairs)


def write_reports(
    index_dir: Path, edges: list[Edge], out_dir: Path, *, engine: str = "local", scheduler: str | None = None, workers: int | None = None
) -> int:
    """One compare report (HTML, with word diffs) per edge in `out_dir`, named by report_name()."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pairs = sorted((e.parent, e.child) for e in edges)
    batches = [pairs[i : i + 16] for i in range(0, len(pairs), 16)]
    args = [(str(index_dir), str(out_dir), b) for b in batches]
    if engine == "dask":
        return sum(map_dask(_report_batch, args, scheduler=scheduler, workers=workers))
    if len(batches) <= 1 or workers == 1:
        return sum(_report_batch(*a) for a in args)
    with ProcessPoolExecutor(max_workers=workers) as ex:
        return sum(ex.map(_report_batch, *zip(*args, strict=True)))


def lineage_html(edges: list[Edge], docs: list[str] | None = None, reports: str | None = None) -> str:
    """Self-contained HTML page with an inline SVG forest: roots on the left, children one column per generation.

    With `reports` (a folder or URL prefix holding write_reports() output), each edge links to its compare report."""
    nodes = sorted(set(docs or []) | {e.child for e in edges} | {e.parent for e in edges})
    parent = {e.child: e.parent for e in edges}

    def depth(n: str) -> int:
        d, seen = 0, set()
        while n in parent and n not in seen:
            seen.add(n)
            n, d = parent[n], d + 1
        return d

    kids: dict[str, list[str]] = {}
    for e in edges:
        kids.setdefault(e.parent, []).append(e.child)
    order: list[str] = []

    def walk(n: str) -> None:
        order.append(n)
        for k in sorted(kids.get(n, [])):
            walk(k)

    for n in nodes:
        if n not in parent:
            walk(n)
    pos = {n: (20 + 220 * depth(n), 30 + 28 * i) for i, n in enumerate(order)}
    width = 260 + 220 * max((depth(n) for n in nodes), default=0)
    height = 40 + 28 * len(order)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="{width}" height="{height}" font-family="sans-serif" font-size="12">'
    ]
    q = {chr(34): "&quot;"}
    for e in edges:
        (x1, y1), (x2, y2) = pos[e.parent], pos[e.child]
        colour = "#c0392b" if e.citation else "#555"
        tip = (
            f"{e.parent} → {e.child}: reuse {e.reuse_share:.2f}, {e.inherited_clauses} inherited clauses, "
            f"{'cited' if e.citation else 'not cited'}, parent dated {e.date_order}"
        )
        edge = (
            f'<g><title>{escape(tip)}</title><line x1="{x1 + 180}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}" stroke-width="1.5"/>'
            f'<text x="{(x1 + 180 + x2) / 2:.0f}" y="{(y1 + y2) / 2 - 3:.0f}" fill="{colour}">{e.reuse_share:.2f}</text></g>'
        )
        if reports is not None:
            href = reports.rstrip("/") + "/" + report_name(e) if reports else report_name(e)
            edge = f'<a href="{escape(href, q)}">{edge}</a>'
        parts.append(edge)
    for n, (x, y) in pos.items():
        parts.append(f'<rect x="{x}" y="{y - 10}" width="180" height="20" rx="4" fill="#eef" stroke="#88a"/>')
        parts.append(f'<text x="{x + 5}" y="{y + 4}">{escape(n[:28])}</text>')
    parts.append("</svg>")
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>policydiff lineage</title></head><body>\n'
        "<p>Edges: parent → child, labelled with the child's reuse share (red: the child cites the parent)"
        + ("; click an edge for its compare report" if reports is not None else "")
        + ".</p>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )
