"""Clause search over an index: rapidfuzz over clause policy texts, then a finer score."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from policydiff.corpus.index import _read_table


@dataclass
class Hit:
    doc: str
    clause_id: str
    label: str
    heading: str
    similarity: float


def _resolve_query(index_dir: Path, query: str, rows: list[dict[str, str]]) -> str:
    """`FILE:CLAUSE_ID` (file stem or path; clause id or label) stands for that clause's policy text."""
    if ":" in query and "\n" not in query:
        ref, key = query.rsplit(":", 1)
        stem = Path(ref).stem
        for r in rows:
            if r["doc"] == stem and key in (r["clause_id"], r["label"]):
                return r["policy_text"]
    return query


def search_clauses(index_dir: Path, query: str, top: int = 20) -> list[Hit]:
    """Clauses most like `query`: rapidfuzz partial-token prefilter, then Indel similarity on folded text."""
    from rapidfuzz import fuzz, process
    from rapidfuzz.distance import Indel

    from policydiff.align.clauses import fold

    rows = _read_table(Path(index_dir) / "clauses.parquet")
    q = fold(_resolve_query(Path(index_dir), query, rows))
    if not q or not rows:
        return []
    texts = [fold(r["policy_text"]) for r in rows]
    # partial_ratio finds a short query inside a long clause; keep a generous pool for the finer score.
    pool = process.extract(q, texts, scorer=fuzz.partial_ratio, limit=max(top * 5, 50), score_cutoff=30)
    hits = []
    for _, partial, i in pool:
        whole = Indel.normalized_similarity(q, texts[i])
        # Whole-text similarity ranks the clause itself and its copies first; partial rescues excerpts.
        sim = max(whole, 0.9 * partial / 100) if len(q) < 0.5 * len(texts[i]) else whole
        r = rows[i]
        hits.append(Hit(r["doc"], r["clause_id"], r["label"], r["heading"], round(sim, 3)))
    hits.sort(key=lambda h: (-h.similarity, h.doc, h.clause_id))
    return hits[:top]
