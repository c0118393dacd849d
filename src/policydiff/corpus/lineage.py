"""Which document each plan was copied from: candidates by citation and MinHash LSH, evidence by compare()."""

from __future__ import annotations

import functools
import json
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

import numpy as np

from policydiff.corpus.index import _read_table, doc_body, map_dask, shingles

MIN_REUSE = 0.3  # below this share of reused text a document is a root unless it cites its parent
CITED_MIN_REUSE = 0.05  # a cited document that lends no text at all is a reference, not a parent
CITATION_BONUS = 0.1  # grandchildren often cite the grandparent too, so a citation only tips close calls
LSH_MIN_JACCARD = 0.05


@dataclass
class Edge:
    child: str
    parent: str
    citation: bool
    reuse_share: float
    inherited_clauses: int
    date_order: str  # "before" (parent dated before child), "same", "unknown"
    score: float


@dataclass
class _Meta:
    name: str
    date: str | None
    year: int | None


# --- candidates --------------------------------------------------------------


def _citation_targets(index_dir: Path, docs: list[dict[str, Any]]) -> dict[str, set[str]]:
    """child → names it cites: resolved_to when the extractor set it, else by document number, else by exact title."""
    try:
        from policydiff.extract.citations import normalize_title
    except ImportError:  # pragma: no cover

        def normalize_title(title: str) -> str:
            return title

    by_number: dict[str, str] = {}
    by_title: dict[str, str] = {}
    for d in docs:
        if d["doc_number"]:
            by_number.setdefault(d["doc_number"], d["name"])
        for t in (d["plan_title"], d["title"]):
            if t:
                by_title.setdefault(normalize_title(t), d["name"])
    out: dict[str, set[str]] = {}
    for c in _read_table(index_dir / "citations.parquet"):
        target = c["resolved_to"] or (by_number.get(c["number"]) if c["number"] else None)
        if target is None and c["title"]:  # number unknown to the corpus: fall back to the title
            target = by_title.get(normalize_title(c["title"])) or _fuzzy_title(c["title"], c["number"], c["doc"], docs)
        if target and target != c["doc"]:
            out.setdefault(c["doc"], set()).add(target)
    return out


def _fuzzy_title(title: str, number: str | None, own: str, docs: list[dict[str, Any]]) -> str | None:
    """The extractor's title score (period- and wrapper-blind); a linear scan, so only on small corpora."""
    if len(docs) > 2000:
        return None
    try:
        from policydiff.extract.citations import TITLE_MATCH_RATIO, title_score
    except ImportError:  # pragma: no cover
        return None
    best, best_score = None, 0.0
    for d in docs:
        if d["name"] == own or (number and d["doc_number"] and d["doc_number"] != number):
            continue  # the citation's number says it is another document
        for t in (d["plan_title"], d["title"]):
            if t and (sc := title_score(title, t)) > best_score:
                best, best_score = d["name"], sc
    return best if best_score >= TITLE_MATCH_RATIO else None


def _lsh_candidates(index_dir: Path, top_k: int) -> dict[str, list[tuple[str, float]]]:
    from datasketch import LeanMinHash, MinHashLSH

    cfg = json.loads((index_dir / "lsh.json").read_text(encoding="utf-8"))
    rows = _read_table(index_dir / "minhash.parquet")
    names = [r["name"] for r in rows]
    sigs = np.array([r["sig"] for r in rows], dtype=np.uint64).reshape(len(rows), cfg["num_perm"])
    lsh = MinHashLSH(threshold=cfg["threshold"], num_perm=cfg["num_perm"])
    pos = {n: i for i, n in enumerate(names)}
    # datasketch ≥ 2 wants the hash scheme spelled out when rebuilding from stored values.
    kw = {"scheme": cfg["scheme"]} if cfg.get("scheme") else {}
    for i, n in enumerate(names):
        lsh.insert(n, LeanMinHash(seed=cfg["seed"], hashvalues=sigs[i], **kw))
    out: dict[str, list[tuple[str, float]]] = {}
    for i, n in enumerate(names):
        found = [m for m in lsh.query(LeanMinHash(seed=cfg["seed"], hashvalues=sigs[i], **kw)) if m != n]
        if not found:
            out[n] = []
            continue
        idx = np.array([pos[m] for m in found])
        jac = (sigs[idx] == sigs[i]).mean(axis=1)
        order = sorted(zip(found, jac.tolist(), strict=True), key=lambda x: (-x[1], x[0]))
        out[n] = [(m, j) for m, j in order if j >= LSH_MIN_JACCARD][:top_k]
    return out


def _date_order(parent: _Meta, child: _Meta) -> str:
    """before / same / after / unknown, by issue date, else by the year in the document number."""
    if parent.date and child.date:
        return "before" if parent.date < child.date else "same" if parent.date == child.date else "after"
    py = int(parent.date[:4]) if parent.date else parent.year
    cy = int(child.date[:4]) if child.date else child.year
    if py is not None and cy is not None and py != cy:
        return "before" if py < cy else "after"
    return "unknown"


# --- evidence (runs in workers) -----------------------------------------------


@functools.lru_cache(maxsize=256)
def _load(index_dir: str, name: str) -> Any:
    from policydiff.schema import Document

    return Document.model_validate_json(Path(index_dir, "docs", f"{name}.json").read_bytes())


@functools.lru_cache(maxsize=256)
def _shingles(index_dir: str, name: str) -> frozenset[bytes]:
    return frozenset(shingles(doc_body(_load(index_dir, name))))


def evidence(index_dir: str, child: str, parents: list[str]) -> list[dict[str, Any]]:
    """compare(parent, child) for each candidate, plus exact 5-gram containment both ways (for direction)."""
    from policydiff.align import compare

    c = _load(index_dir, child)
    sc = _shingles(index_dir, child)
    out = []
    for p in parents:
        a = compare(_load(index_dir, p), c)
        sp = _shingles(index_dir, p)
        common = len(sc & sp)
        out.append(
            {
                "child": child,
                "parent": p,
                "reuse_share": a.figures.reuse_share,
                "inherited": sum(1 for x in a.pairs if x.relation not in ("added", "dropped")),
                "parent_in_child": common / len(sp) if sp else 0.0,
                "child_in_parent": common / len(sc) if sc else 0.0,
            }
        )
    return out


def _evidence_batch(index_dir: str, batch: list[tuple[str, list[str]]]) -> list[dict[str, Any]]:
    return [e for child, parents in batch for e in evidence(index_dir, child, parents)]


# --- driver --------------------------------------------------------------------


def candidates(index_dir: Path, top_k: int = 5) -> tuple[dict[str, list[str]], dict[str, set[str]], dict[str, _Meta]]:
    """child → candidate parents (cited first, then LSH by estimated Jaccard), minus parents dated after it."""
    docs = _read_table(index_dir / "documents.parquet")
    meta = {d["name"]: _Meta(d["name"], d["date"], d["doc_year"]) for d in docs}
    cites = _citation_targets(index_dir, docs)
    lsh = _lsh_candidates(index_dir, top_k)
    out: dict[str, list[str]] = {}
    for n in sorted(meta):
        cands = [p for p in sorted(cites.get(n, ())) if p in meta]
        cands += [p for p, _ in lsh.get(n, []) if p not in cands]
        out[n] = [p for p in cands if _date_order(meta[p], meta[n]) != "after"]
    return out, cites, meta


def find_lineage(
    index_dir: Path, *, engine: str = "local", scheduler: str | None = None, top_k: int = 5, workers: int | None = None
) -> list[Edge]:
    """One best parent per document (roots get none), chosen by citation, reuse share, inherited clauses and dates."""
    index_dir = Path(index_dir)
    cands, cites, meta = candidates(index_dir, top_k)
    work = [(c, ps) for c, ps in cands.items() if ps]
    ev = run_evidence(str(index_dir), work, engine=engine, scheduler=scheduler, workers=workers)
    return choose(ev, cites, meta)


def run_evidence(
    index_dir: str, work: list[tuple[str, list[str]]], *, engine: str = "local", scheduler: str | None = None, workers: int | None = None
) -> list[dict[str, Any]]:
    # Batches keep per-task overhead low and let the worker's document cache hit for shared parents.
    size = max(1, min(50, len(work) // 16 or 1))
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


def _earlier(a: str, b: str, ev: dict[tuple[str, str], dict[str, Any]], cites: dict[str, set[str]], meta: dict[str, _Meta]) -> str | None:
    """Which of two related documents came first: earlier date, else the one cited, else the one more contained in the other."""
    order = _date_order(meta[a], meta[b])
    if order in ("before", "after"):
        return a if order == "before" else b
    if a in cites.get(b, ()) and b not in cites.get(a, ()):
        return a
    if b in cites.get(a, ()) and a not in cites.get(b, ()):
        return b
    e = ev.get((b, a)) or ev.get((a, b))
    if e is None:
        return None
    # e is (child=x, parent=y). A copy keeps most of its source and adds its own clauses, so the
    # later text holds the earlier one less than the earlier holds it (measured on the synthetic corpus).
    x, y = e["child"], e["parent"]
    if e["child_in_parent"] > e["parent_in_child"]:
        return y
    if e["child_in_parent"] < e["parent_in_child"]:
        return x
    return None


def choose(evidence_rows: list[dict[str, Any]], cites: dict[str, set[str]], meta: dict[str, _Meta]) -> list[Edge]:
    ev = {(e["child"], e["parent"]): e for e in evidence_rows}
    best: dict[str, Edge] = {}
    for (child, parent), e in sorted(ev.items()):
        cited = parent in cites.get(child, ())
        reuse = e["reuse_share"]
        if not (reuse >= MIN_REUSE or (cited and reuse >= CITED_MIN_REUSE)):
            continue
        if _earlier(parent, child, ev, cites, meta) == child:
            continue  # the pair runs the other way
        order = _date_order(meta[parent], meta[child])
        # Inherited clauses and date order only break near ties between candidates.
        score = reuse + (CITATION_BONUS if cited else 0.0) + 0.001 * e["inherited"] + (0.01 if order == "before" else 0.0)
        edge = Edge(child, parent, cited, reuse, e["inherited"], order, round(score, 4))
        cur = best.get(child)
        if cur is None or (edge.score, edge.parent) > (cur.score, cur.parent):
            best[child] = edge
    return _break_cycles(best)


def _break_cycles(best: dict[str, Edge]) -> list[Edge]:
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


def lineage_html(edges: list[Edge], docs: list[str] | None = None) -> str:
    """Self-contained HTML page with an inline SVG forest: roots on the left, children one column per generation."""
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
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">']
    for e in edges:
        (x1, y1), (x2, y2) = pos[e.parent], pos[e.child]
        colour = "#c0392b" if e.citation else "#555"
        parts.append(f'<line x1="{x1 + 180}" y1="{y1}" x2="{x2}" y2="{y2}" stroke="{colour}"/>')
        parts.append(f'<text x="{(x1 + 180 + x2) / 2:.0f}" y="{(y1 + y2) / 2 - 3:.0f}" fill="{colour}">{e.reuse_share:.2f}</text>')
    for n, (x, y) in pos.items():
        parts.append(f'<rect x="{x}" y="{y - 10}" width="180" height="20" rx="4" fill="#eef" stroke="#88a"/>')
        parts.append(f'<text x="{x + 5}" y="{y + 4}">{escape(n[:28])}</text>')
    parts.append("</svg>")
    return (
        '<!DOCTYPE html>\n<html lang="zh"><head><meta charset="utf-8"><title>policydiff lineage</title></head><body>\n'
        "<p>Edges: parent → child, labelled with the child's reuse share (red: the child cites the parent).</p>\n"
        + "\n".join(parts)
        + "\n</body></html>\n"
    )
