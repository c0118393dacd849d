"""Evidence of an edge from shared text: reused share both ways and inherited clauses, by exact 8-grams.

compare() aligns clauses sentence by sentence and costs ~0.4 s for two laws of a hundred articles:
too slow for thousands of edges. Lineage measures reuse as a plagiarism checker does (文字重复率):
a character of the child is reused when it lies in a character 8-gram that also occurs in the
parent (folded clause text, every 8-gram, not the index's sample). A child clause is inherited
when at least INHERITED_MIN of its characters are reused. The parent's share is the same count the
other way. compare() stays for the per-edge reports (`lineage --reports`) and the brute-force
baseline of benchmarks/bench_lineage.py. Both run in a process pool or on Dask.
"""

from __future__ import annotations

import functools
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from policydiff._atomic import atomic_write_bytes
from policydiff.corpus.docstore import doc_json, load_doc
from policydiff.corpus.index import rolling_hashes
from policydiff.corpus.parallel import ProgressBar, map_dask
from policydiff.errors import UsageError

if TYPE_CHECKING:
    from policydiff.schema import Edge

PARENT_RELATIONS = ("implements", "revises")  # the edges whose evidence is measured and reported
GRAM = 8  # characters: as the index's n-grams, long enough that a shared 8-gram is copied text
INHERITED_MIN = 0.5  # share of a child clause's characters found in the parent for it to count as inherited


def pair_error(child: str, parent: str, exc: BaseException) -> dict[str, str]:
    """A pair that could not be measured or reported: an issue of the run, which goes on."""
    return {"child": child, "parent": parent, "error": f"{type(exc).__name__}: {exc}"[:300]}


@functools.lru_cache(maxsize=512)
def clause_texts(index_dir: str, name: str) -> tuple[str, ...]:
    """Folded policy text of each clause of an indexed document (plain JSON: no model validation)."""
    # align.clauses (rapidfuzz) loads only when clause texts are measured, not to read an index
    from policydiff.align.clauses import fold

    data = json.loads(doc_json(index_dir, name))
    texts = tuple(t for t in (fold(c.get("policy_text") or c.get("text") or "") for c in data.get("clauses", [])) if t)
    return texts


def _gram_hashes(text: str, k: int = GRAM) -> np.ndarray:
    """Hash of the k-gram starting at each position (len(text) - k + 1 values)."""
    return rolling_hashes(np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64), k)


def _covered(clauses: tuple[str, ...], other: np.ndarray, k: int = GRAM) -> np.ndarray:
    """Reused characters per clause: those inside a k-gram found in `other` (sorted unique hashes)."""
    if not clauses:
        return np.zeros(0, np.int64)
    text = "\x00".join(clauses)  # a gram across two clauses holds \x00 and matches nothing
    h = _gram_hashes(text, k)
    if len(other) == 0 or len(h) == 0:
        return np.zeros(len(clauses), np.int64)
    pos = np.searchsorted(other, h)
    hit = other[np.minimum(pos, len(other) - 1)] == h
    diff = np.zeros(len(text) + 1, np.int64)
    starts = np.flatnonzero(hit)
    np.add.at(diff, starts, 1)
    np.add.at(diff, starts + k, -1)
    covered = (np.cumsum(diff)[: len(text)] > 0).astype(np.int64)
    bounds = np.cumsum([0] + [len(c) + 1 for c in clauses[:-1]])
    per = np.add.reduceat(covered, bounds)
    return per  # type: ignore[no-any-return]


def _grams(clauses: tuple[str, ...]) -> np.ndarray:
    return np.unique(_gram_hashes("\x01".join(clauses)))


def text_evidence(index_dir: str, child: str, parent: str) -> dict[str, Any]:
    """reuse_share (of the child's characters), parent_share (of the parent's), inherited child clauses."""
    c, p = clause_texts(index_dir, child), clause_texts(index_dir, parent)
    c_cov, p_cov = _covered(c, _grams(p)), _covered(p, _grams(c))
    c_len = np.array([len(x) for x in c], np.int64)
    p_total = sum(len(x) for x in p)
    return {
        "child": child,
        "parent": parent,
        "reuse_share": float(c_cov.sum() / c_len.sum()) if len(c) else 0.0,
        "parent_share": float(p_cov.sum() / p_total) if p_total else 0.0,
        "inherited": int(np.sum(c_cov >= INHERITED_MIN * c_len)) if len(c) else 0,
    }


# --- running it (in workers) ------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _load(index_dir: str, name: str) -> Any:
    return load_doc(index_dir, name)


def evidence(index_dir: str, child: str, parents: list[str]) -> list[dict[str, Any]]:
    """compare(parent, child) for each parent: reused shares both ways and inherited child clauses.

    A pair that cannot be compared gives {"error": …} instead: the caller records it and goes on."""
    # the aligner loads only when evidence is measured, not to read an index
    from policydiff.align import compare

    out: list[dict[str, Any]] = []
    for p in parents:
        try:
            a = compare(_load(index_dir, p), _load(index_dir, child))
        except Exception as exc:  # noqa: BLE001 - one bad pair is an issue of the run, not its end
            out.append(pair_error(child, p, exc))
            continue
        kids = {x.b_id for x in a.pairs if x.relation not in ("added", "dropped") and x.b_id}
        elders = {x.a_id for x in a.pairs if x.relation not in ("added", "dropped") and x.a_id}
        out.append(
            {
                "child": child,
                "parent": p,
                "reuse_share": a.figures.reuse_share,
                "parent_share": len(elders) / a.figures.parent_clauses if a.figures.parent_clauses else 0.0,
                "inherited": len(kids),
            }
        )
    return out


def _text_evidence(index_dir: str, child: str, parents: list[str]) -> list[dict[str, Any]]:
    """text_evidence for each parent; a pair that fails gives {"error": …}."""
    out: list[dict[str, Any]] = []
    for p in parents:
        try:
            out.append(text_evidence(index_dir, child, p))
        except Exception as exc:  # noqa: BLE001 - one bad pair is an issue of the run, not its end
            out.append(pair_error(child, p, exc))
    return out


def _evidence_batch(index_dir: str, batch: list[tuple[str, list[str]]], how: str = "compare") -> list[dict[str, Any]]:
    fn = evidence if how == "compare" else _text_evidence
    return [e for child, parents in batch for e in fn(index_dir, child, parents)]


def run_evidence(
    index_dir: str,
    work: list[tuple[str, list[str]]],
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    how: str = "compare",
) -> list[dict[str, Any]]:
    """Evidence for each (child, parents): by compare() (how="compare") or by shared 8-grams (how="text")."""
    # Batches keep per-task overhead low; grouped by parent so a worker's document cache hits.
    work = sorted(work, key=lambda w: (w[1][0] if w[1] else "", w[0]))
    size = max(1, min(64, len(work) // 32 or 1))
    batches = [work[i : i + size] for i in range(0, len(work), size)]
    out: list[dict[str, Any]] = []

    def failed(batch: list[tuple[str, list[str]]], exc: BaseException) -> list[dict[str, Any]]:
        return [pair_error(c, p, exc) for c, ps in batch for p in ps]

    with ProgressBar(len(batches), progress, "comparing") as advance:
        if engine == "dask":
            for part in map_dask(_evidence_batch, [(index_dir, b, how) for b in batches], scheduler=scheduler, workers=workers):
                out.extend(part)
                advance()
        elif engine == "local":
            if len(batches) <= 1 or workers == 1:
                for b in batches:
                    out.extend(_evidence_batch(index_dir, b, how))
                    advance()
            else:
                with ProcessPoolExecutor(max_workers=workers) as ex:
                    futs = [(b, ex.submit(_evidence_batch, index_dir, b, how)) for b in batches]
                    for b, f in futs:
                        try:
                            out.extend(f.result())
                        except Exception as exc:  # noqa: BLE001 - a worker that died takes its batch only
                            out.extend(failed(b, exc))
                        advance()
        else:
            raise UsageError(f"unknown engine {engine!r}: choose local or dask.")
    return sorted(out, key=lambda e: (e["child"], e["parent"]))


# --- compare reports ------------------------------------------------------------


def _report_batch(index_dir: str, out_dir: str, pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Write the reports of `pairs`; the pairs that failed, with their error."""
    # the aligner and the HTML report load only when evidence is measured or --reports written
    from policydiff.align import compare
    from policydiff.render.html import alignment_html
    from policydiff.render.lineage import report_name

    failed = []
    for parent, child in pairs:
        try:
            a, b = _load(index_dir, parent), _load(index_dir, child)
            html = alignment_html(compare(a, b, detail=True), a, b)
            atomic_write_bytes(Path(out_dir, report_name(parent, child)), html.encode("utf-8"))  # no half-written report
        except Exception as exc:  # noqa: BLE001 - one bad pair is an issue of the run, not its end
            failed.append(pair_error(child, parent, exc))
    return failed


def write_reports(
    index_dir: Path,
    edges: list[Edge],
    out_dir: Path,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    issues: list[dict[str, str]] | None = None,
) -> int:
    """One compare report (HTML, with word diffs) per implements/revises edge in `out_dir`, named by
    report_name(); returns how many were written. Pairs that fail are appended to `issues`."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pairs = sorted((e.parent, e.child) for e in edges if e.relation in PARENT_RELATIONS)
    batches = [pairs[i : i + 16] for i in range(0, len(pairs), 16)]
    args = [(str(index_dir), str(out_dir), b) for b in batches]
    if engine == "dask":
        parts = list(map_dask(_report_batch, args, scheduler=scheduler, workers=workers))
    elif len(batches) <= 1 or workers == 1:
        parts = [_report_batch(*a) for a in args]
    else:
        parts = []
        with ProcessPoolExecutor(max_workers=workers) as ex:
            futs = [(batch, ex.submit(_report_batch, *a)) for batch, a in zip(batches, args, strict=True)]
            for batch, fut in futs:
                try:
                    parts.append(fut.result())
                except Exception as exc:  # noqa: BLE001 - a worker that died takes its batch only
                    parts.append([pair_error(child, parent, exc) for parent, child in batch])
    failed = [f for part in parts for f in part]
    if issues is not None:
        issues.extend(failed)
    return len(pairs) - len(failed)
