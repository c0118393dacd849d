"""Corpus index: parse a folder of notices once, keep Parquet tables, JSON trees and MinHash signatures.

Layout of an index directory::

    documents.parquet   one row per parsed document (name, path, sha256, title, ...)
    errors.parquet      files that failed to parse (path, sha256, error)
    clauses.parquet / sentences.parquet / targets.parquet / citations.parquet
    minhash.parquet     name, n_shingles, sig (num_perm uint64 hash values)
    lsh.json            shingle size, num_perm, seed and LSH threshold used
    docs/<name>.json    the parsed Document (what lineage feeds to compare)
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SUPPORTED = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
SHINGLE = 5
NUM_PERM = 64
MINHASH_SEED = 1
LSH_THRESHOLD = 0.2  # low on purpose: heavily edited children still share ~0.3 of their 5-grams

TABLES = ("documents", "clauses", "sentences", "targets", "citations")


@dataclass
class IndexStats:
    parsed: int = 0
    reused: int = 0
    removed: int = 0
    failed: int = 0
    total: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0


# --- worker side -------------------------------------------------------------


def shingles(text: str, k: int = SHINGLE) -> set[bytes]:
    if len(text) < k:
        return {text.encode("utf-8")} if text else set()
    return {text[i : i + k].encode("utf-8") for i in range(len(text) - k + 1)}


def doc_body(doc: Any) -> str:
    """Folded policy text of all clauses: headers, footers and surface noise stay out of the signature."""
    from policydiff.align.clauses import fold

    body = "".join(fold(c.policy_text) for c in doc.clauses)
    return body or fold(doc.text)


def _all_citations(doc: Any) -> list[Any]:
    """Citations of the tree, plus preamble ones the extractor may not record (the 为贯彻落实《…》 line)."""
    seen: set[tuple[str, str]] = set()
    out = []
    try:
        from policydiff.extract.citations import _doc_citations

        found = list(_doc_citations(doc))
    except ImportError:  # pragma: no cover - older extractor
        found = list(doc.citations)
    try:
        from policydiff.extract.citations import find_citations

        own = [doc.metadata.doc_number.normalized] if doc.metadata.doc_number else []
        for para in doc.preamble:
            found.extend(find_citations(para, exclude_numbers=own))
    except Exception:  # noqa: BLE001, S110 - preamble scan is a bonus, never fatal
        pass
    for c in found:
        key = (c.number.normalized if c.number else "", c.title or c.raw)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def parse_one(path: str, name: str, sha: str, out_dir: str) -> dict[str, Any]:
    """Parse one file, write docs/<name>.json, return the table rows and MinHash signature."""
    try:
        doc = _parse(Path(path), name)
    except Exception as exc:  # noqa: BLE001 - a bad file is a record, not a crash
        return {"name": name, "path": path, "sha256": sha, "error": f"{type(exc).__name__}: {exc}"[:500]}
    from datasketch import MinHash

    Path(out_dir, "docs", f"{name}.json").write_text(doc.model_dump_json(), encoding="utf-8")
    sh = shingles(doc_body(doc))
    mh = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED)
    mh.update_batch(list(sh))
    scheme = getattr(mh, "scheme", None)
    m = doc.metadata
    date = m.issue_date or m.print_date
    rows: dict[str, Any] = {
        "name": name,
        "error": None,
        "documents": [
            {
                "name": name,
                "path": path,
                "sha256": sha,
                "title": m.title,
                "plan_title": m.plan_title,
                "doc_number": m.doc_number.normalized if m.doc_number else None,
                "doc_year": m.doc_number.year if m.doc_number else None,
                "date": date.isoformat() if date else None,
                "n_clauses": len(doc.clauses),
                "doc_type": m.doc_type,
            }
        ],
        "clauses": [
            {"doc": name, "clause_id": c.id, "label": c.label, "heading": c.heading, "policy_text": c.policy_text} for c in doc.clauses
        ],
        "sentences": [{"doc": name, "clause_id": c.id, "index": i, "text": s} for c in doc.clauses for i, s in enumerate(c.sentences)],
        "targets": [
            {
                "doc": name,
                "clause_id": t.clause,
                "subject": t.subject,
                "comparator": str(t.comparator),
                "value": t.value,
                "low": t.low,
                "high": t.high,
                "unit": t.unit,
                "year": t.year,
                "kind": t.kind,
                "raw": t.raw,
            }
            for t in _targets(doc)
        ],
        "citations": [
            {
                "doc": name,
                "raw": c.raw,
                "title": c.title,
                "number": c.number.normalized if c.number else None,
                "resolved_to": c.resolved_to,
            }
            for c in _all_citations(doc)
        ],
        "minhash": [{"name": name, "n_shingles": len(sh), "sig": [int(v) for v in mh.hashvalues]}],
        "scheme": scheme,
    }
    return rows


def _targets(doc: Any) -> Iterator[Any]:
    seen: set[int] = set()
    for c in doc.clauses:
        for t in c.targets:
            seen.add(id(t))
            yield t
    for s in doc.iter_sections():
        for t in s.targets:
            if id(t) not in seen:
                yield t


def _parse(path: Path, name: str) -> Any:
    try:
        from policydiff import parse_file

        try:
            doc = parse_file(path, require_structure=False)
        except TypeError:  # a parse_file without the keyword
            doc = parse_file(path)
    except ImportError:  # ingest being rewritten: plain text still works
        from policydiff import parse_text

        doc = parse_text(path.read_text(encoding="utf-8"), name=name)
    if doc.name != name:
        doc = doc.model_copy(update={"name": name})
    return doc


# --- driver ------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def scan(corpus_dir: Path) -> dict[str, Path]:
    """name → path for every supported file; a stem seen twice keeps its suffix so keys stay unique."""
    files = sorted(p for p in corpus_dir.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
    stems: dict[str, int] = {}
    for p in files:
        stems[p.stem] = stems.get(p.stem, 0) + 1
    out: dict[str, Path] = {}
    for p in files:
        name = p.stem if stems[p.stem] == 1 else f"{p.stem}{p.suffix.lower().replace('.', '_')}"
        out[name] = p
    return out


def _read_table(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    import pyarrow.parquet as pq

    return pq.read_table(path).to_pylist()


def _write_table(path: Path, rows: list[dict[str, Any]], schema: Any = None) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    tmp = path.with_suffix(".tmp")
    if rows:
        table = pa.Table.from_pylist(rows, schema=schema)
    else:
        table = (schema or pa.schema([("doc", pa.string())])).empty_table()
    pq.write_table(table, tmp)
    os.replace(tmp, path)


def _schemas() -> dict[str, Any]:
    import pyarrow as pa

    s = pa.string()
    return {
        "documents": pa.schema(
            [
                ("name", s),
                ("path", s),
                ("sha256", s),
                ("title", s),
                ("plan_title", s),
                ("doc_number", s),
                ("doc_year", pa.int64()),
                ("date", s),
                ("n_clauses", pa.int64()),
                ("doc_type", s),
            ]
        ),
        "clauses": pa.schema([("doc", s), ("clause_id", s), ("label", s), ("heading", s), ("policy_text", s)]),
        "sentences": pa.schema([("doc", s), ("clause_id", s), ("index", pa.int64()), ("text", s)]),
        "targets": pa.schema(
            [
                ("doc", s),
                ("clause_id", s),
                ("subject", s),
                ("comparator", s),
                ("value", pa.float64()),
                ("low", pa.float64()),
                ("high", pa.float64()),
                ("unit", s),
                ("year", pa.int64()),
                ("kind", s),
                ("raw", s),
            ]
        ),
        "citations": pa.schema([("doc", s), ("raw", s), ("title", s), ("number", s), ("resolved_to", s)]),
        "minhash": pa.schema([("name", s), ("n_shingles", pa.int64()), ("sig", pa.list_(pa.uint64()))]),
        "errors": pa.schema([("name", s), ("path", s), ("sha256", s), ("error", s)]),
    }


def build_index(
    corpus_dir: Path,
    out_dir: Path,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
) -> IndexStats:
    """Parse new or changed files of `corpus_dir` into the index at `out_dir`; reuse the rest by sha256."""
    import time

    t0 = time.perf_counter()
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    (out_dir / "docs").mkdir(parents=True, exist_ok=True)
    files = scan(corpus_dir)
    shas = {name: sha256_file(p) for name, p in files.items()}

    old_docs = {r["name"]: r for r in _read_table(out_dir / "documents.parquet")}
    old_errors = {r["name"]: r for r in _read_table(out_dir / "errors.parquet")}
    keep = {n for n, r in old_docs.items() if shas.get(n) == r["sha256"] and (out_dir / "docs" / f"{n}.json").exists()}
    keep_err = {n for n, r in old_errors.items() if shas.get(n) == r["sha256"]}
    todo = [n for n in files if n not in keep and n not in keep_err]
    removed = (set(old_docs) | set(old_errors)) - set(files)
    for n in set(old_docs) - keep:  # changed or removed: its JSON must not outlive it
        (out_dir / "docs" / f"{n}.json").unlink(missing_ok=True)

    tasks = [(str(files[n]), n, shas[n], str(out_dir)) for n in todo]
    results = list(_run(tasks, engine=engine, scheduler=scheduler, workers=workers, progress=progress))

    schemas = _schemas()
    stats = IndexStats(reused=len(keep) + len(keep_err), removed=len(removed))
    new: dict[str, list[dict[str, Any]]] = {t: [] for t in (*TABLES, "minhash")}
    errors = [old_errors[n] for n in sorted(keep_err)]
    scheme = getattr(__import__("datasketch").MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED), "scheme", None)
    for r in sorted(results, key=lambda r: r["name"]):
        if r.get("error"):
            errors.append({k: r[k] for k in ("name", "path", "sha256", "error")})
            stats.errors.append((r["path"], r["error"]))
            continue
        stats.parsed += 1
        for t, rows_t in new.items():
            rows_t.extend(r[t])
    stats.failed = len(errors)
    for t in (*TABLES, "minhash"):
        key = "name" if t in ("documents", "minhash") else "doc"
        old = [row for row in _read_table(out_dir / f"{t}.parquet") if row[key] in keep]
        _write_table(out_dir / f"{t}.parquet", old + new[t], schemas[t])
    _write_table(out_dir / "errors.parquet", errors, schemas["errors"])
    (out_dir / "lsh.json").write_text(
        json.dumps(
            {
                "shingle": SHINGLE,
                "num_perm": NUM_PERM,
                "seed": MINHASH_SEED,
                "threshold": LSH_THRESHOLD,
                "scheme": scheme,
                "text": "folded clause policy_text",
            }
        ),
        encoding="utf-8",
    )
    stats.total = len(keep) + stats.parsed
    stats.seconds = time.perf_counter() - t0
    return stats


def _run(
    tasks: list[tuple[str, str, str, str]], *, engine: str, scheduler: str | None, workers: int | None, progress: bool
) -> Iterator[dict[str, Any]]:
    if not tasks:
        return
    with _progress(len(tasks), progress, "parsing") as advance:
        if engine == "dask":
            for r in map_dask(parse_one, tasks, scheduler=scheduler, workers=workers):
                advance()
                yield r
        elif engine == "local":
            if len(tasks) < 4 or workers == 1:  # a pool costs more than a handful of parses
                for t in tasks:
                    advance()
                    yield parse_one(*t)
                return
            with ProcessPoolExecutor(max_workers=workers) as ex:
                futs = [ex.submit(parse_one, *t) for t in tasks]
                for f in as_completed(futs):
                    advance()
                    yield f.result()
        else:
            raise ValueError(f"unknown engine {engine!r} (local or dask)")


def map_dask(fn: Callable[..., Any], tasks: Iterable[tuple[Any, ...]], *, scheduler: str | None, workers: int | None) -> Iterator[Any]:
    """Run fn(*task) on a dask.distributed cluster: a temporary LocalCluster unless a scheduler address is given."""
    from dask.distributed import Client, LocalCluster
    from dask.distributed import as_completed as dask_completed

    tasks = list(tasks)
    cluster = None
    if scheduler is None:
        cluster = LocalCluster(n_workers=workers or 2, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler)
    try:
        futs = [client.submit(fn, *t, pure=False) for t in tasks]
        for f in dask_completed(futs):
            yield f.result()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class _progress:
    """Rich progress bar when asked; a no-op callable otherwise."""

    def __init__(self, total: int, enabled: bool, label: str) -> None:
        self.total, self.enabled, self.label = total, enabled, label
        self._bar: Any = None

    def __enter__(self) -> Callable[[], None]:
        if not self.enabled:
            return lambda: None
        from rich.progress import Progress

        self._bar = Progress()
        self._bar.start()
        task = self._bar.add_task(self.label, total=self.total)
        return lambda: self._bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
