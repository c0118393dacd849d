"""Corpus index: parse a folder of notices once, keep Parquet tables, JSON trees and an n-gram index.

Layout of an index directory::

    documents.parquet   one row per parsed document (name, path, sha256, title, date, ...)
    errors.parquet      files that failed to parse (path, sha256, error)
    clauses.parquet / sentences.parquet / targets.parquet / citations.parquet
    ngrams.parquet      name, n_ngrams, sample: the search structure. Each document's folded clause
                        text is cut into character NGRAM-grams, hashed to 64 bits, and the hashes
                        that are 0 modulo SAMPLE are kept (sorted, unique). The sample is consistent
                        across documents, so shared sampled hashes estimate shared text; lineage turns
                        the table into a sparse document × n-gram matrix (an inverted index).
    index.json          format version and the n-gram parameters (a change re-parses everything)
    docs/<name>.json    the parsed Document (what lineage feeds to compare)
    search/             clause search: folded clause texts and a character-bigram inverted index,
                        rebuilt from clauses.parquet after every run (see corpus/search.py; a search
                        that finds it stale rebuilds it, so it needs no format version here)
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

SUPPORTED = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
NGRAM = 8  # characters per n-gram: long enough that shared 8-grams mean copied text
SAMPLE = 4  # keep hashes ≡ 0 (mod SAMPLE): ~1,000 per 4,000-character notice
FORMAT = 3  # 3: documents.lineage
CONFIG = {"format": FORMAT, "ngram": NGRAM, "sample": SAMPLE, "hash": "poly64-splitmix", "text": "folded clause policy_text"}

TABLES = ("documents", "clauses", "sentences", "targets", "citations", "ngrams")
FLUSH_EVERY = 256  # documents buffered before their rows go to the Parquet writers


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

_B = np.uint64(1099511628211)  # FNV prime as the polynomial base


def ngram_hashes(text: str, k: int = NGRAM, sample: int = SAMPLE) -> np.ndarray:
    """Sorted unique 64-bit hashes of the character k-grams of `text` that are 0 modulo `sample`.

    A rolling polynomial over code points (k vectorized passes), then a splitmix finalizer so
    the low bits are uniform and the modulo sample is unbiased.
    """
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cp) < k:
        cp = np.concatenate([cp, np.zeros(k - len(cp), np.uint64)]) if len(cp) else cp
    m = len(cp) - k + 1
    if m <= 0:
        return np.zeros(0, np.uint64)
    h = np.zeros(m, np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _B + cp[j : j + m]
        h ^= h >> np.uint64(31)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(29)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(32)
    h = np.unique(h)
    return h[h % np.uint64(sample) == 0] if sample > 1 else h


def doc_body(doc: Any) -> str:
    """Folded policy text of all clauses: headers, footers and surface noise stay out of the n-grams."""
    from policydiff.align.clauses import fold

    body = "".join(fold(c.policy_text) for c in doc.clauses)
    return body or fold(doc.text)


def _all_citations(doc: Any) -> list[Any]:
    """The document's citations (clauses, section text, preamble: the extractor collects them all), once each by
    number or title, never the document itself (a news lead names its own title and number)."""
    from policydiff.extract.citations import normalize_title

    own = {doc.metadata.doc_number.normalized} if doc.metadata.doc_number else set()
    own_titles = {normalize_title(t) for t in (doc.metadata.title, doc.metadata.plan_title) if t}
    seen: set[tuple[str, str]] = set()
    out = []
    for c in doc.citations:
        number = c.number.normalized if c.number else None
        if (number and number in own) or (not number and c.title and normalize_title(c.title) in own_titles):
            continue
        key = (number or "", c.title or c.raw)
        if key not in seen:
            seen.add(key)
            out.append(c)
    return out


def parse_one(path: str, name: str, sha: str, out_dir: str) -> dict[str, Any]:
    """Parse one file, write docs/<name>.json, return its table rows and sampled n-gram hashes."""
    from policydiff.corpus.lineage_facts import lineage_facts

    try:
        doc = _parse(Path(path), name)
    except Exception as exc:  # noqa: BLE001 - a bad file is a record, not a crash
        return {"name": name, "path": path, "sha256": sha, "error": f"{type(exc).__name__}: {exc}"[:500]}
    Path(out_dir, "docs", f"{name}.json").write_text(doc.model_dump_json(), encoding="utf-8")
    body = doc_body(doc)
    sample = ngram_hashes(body)
    full = max(0, len(body) - NGRAM + 1)
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
                "lineage": lineage_facts(doc),
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
            for t in doc.all_targets()
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
        "ngrams": [{"name": name, "n_ngrams": full, "sample": sample}],
    }
    return rows


def _parse(path: Path, name: str) -> Any:
    from policydiff import parse_file

    doc = parse_file(path, require_structure=False)
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
                ("lineage", s),  # corpus/lineage_facts.py: what lineage reads of a document, as JSON
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
        "ngrams": pa.schema([("name", s), ("n_ngrams", pa.int64()), ("sample", pa.list_(pa.uint64()))]),
        "errors": pa.schema([("name", s), ("path", s), ("sha256", s), ("error", s)]),
    }


def _key(table: str) -> str:
    return "name" if table in ("documents", "ngrams", "errors") else "doc"


def _old_rows(path: Path, table: str, keep: set[str], schema: Any) -> Iterator[Any]:
    """The rows of an existing table whose document is kept, row group by row group (Arrow, no Python objects)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    if not path.exists() or not keep:
        return
    f = pq.ParquetFile(path)
    if f.schema_arrow != schema:
        return
    wanted = pa.array(sorted(keep), pa.string())
    for g in range(f.num_row_groups):
        t = f.read_row_group(g, use_threads=False)
        yield t.filter(pc.is_in(t[_key(table)], value_set=wanted))


class _Writers:
    """One Parquet writer per table; new rows arrive in batches so memory stays bounded on big corpora."""

    def __init__(self, out_dir: Path, schemas: dict[str, Any]) -> None:
        import pyarrow.parquet as pq

        self.out_dir, self.schemas = out_dir, schemas
        self.tmp = {t: out_dir / f"{t}.parquet.part" for t in TABLES}
        self.w = {t: pq.ParquetWriter(self.tmp[t], schemas[t]) for t in TABLES}
        self.buf: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
        self.pending = 0

    def add_table(self, table: str, parts: Iterable[Any]) -> None:
        for arrow in parts:
            if arrow.num_rows:
                self.w[table].write_table(arrow, row_group_size=FLUSH_EVERY if table == "ngrams" else None)

    def add(self, result: dict[str, Any]) -> None:
        for t in TABLES:
            self.buf[t].extend(result[t])
        self.pending += 1
        if self.pending >= FLUSH_EVERY:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa

        for t in TABLES:
            rows = self.buf[t]
            if not rows:
                continue
            if t == "ngrams":
                arr = [np.asarray(r["sample"], dtype=np.uint64) for r in rows]
                offsets = np.concatenate([[0], np.cumsum([len(a) for a in arr])]).astype(np.int32)
                values = pa.array(np.concatenate(arr) if arr else np.zeros(0, np.uint64), pa.uint64())
                table = pa.table(
                    {
                        "name": pa.array([r["name"] for r in rows], pa.string()),
                        "n_ngrams": pa.array([r["n_ngrams"] for r in rows], pa.int64()),
                        "sample": pa.ListArray.from_arrays(pa.array(offsets), values),
                    },
                    schema=self.schemas[t],
                )
            else:
                table = pa.Table.from_pylist(rows, schema=self.schemas[t])
            self.w[t].write_table(table)
            self.buf[t] = []
        self.pending = 0

    def close(self) -> None:
        """Flush and move the tables into place. Rows are in the order documents finished parsing
        (reused ones first); only the small documents table is sorted, so memory stays bounded."""
        import pyarrow.parquet as pq

        self.flush()
        for t in TABLES:
            self.w[t].close()
            if t == "documents":
                table = pq.read_table(self.tmp[t])
                pq.write_table(table.sort_by([("name", "ascending")]), self.tmp[t])
                del table
            os.replace(self.tmp[t], self.out_dir / f"{t}.parquet")

    def abort(self) -> None:
        for t in TABLES:
            try:
                self.w[t].close()
            finally:
                self.tmp[t].unlink(missing_ok=True)


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

    cfg_path = out_dir / "index.json"
    same_format = cfg_path.exists() and json.loads(cfg_path.read_text(encoding="utf-8")) == CONFIG
    old_docs = {r["name"]: r["sha256"] for r in _read_table(out_dir / "documents.parquet")} if same_format else {}
    old_errors = {r["name"]: r for r in _read_table(out_dir / "errors.parquet")} if same_format else {}
    keep = {n for n, sha in old_docs.items() if shas.get(n) == sha and (out_dir / "docs" / f"{n}.json").exists()}
    keep_err = {n for n, r in old_errors.items() if shas.get(n) == r["sha256"]}
    todo = [n for n in files if n not in keep and n not in keep_err]
    removed = (set(old_docs) | set(old_errors)) - set(files)
    for n in set(old_docs) - keep:  # changed or removed: its JSON must not outlive it
        (out_dir / "docs" / f"{n}.json").unlink(missing_ok=True)

    schemas = _schemas()
    writers = _Writers(out_dir, schemas)
    try:
        for t in TABLES:
            writers.add_table(t, _old_rows(out_dir / f"{t}.parquet", t, keep, schemas[t]))
        stats = IndexStats(reused=len(keep) + len(keep_err), removed=len(removed))
        errors = [old_errors[n] for n in sorted(keep_err)]
        tasks = [(str(files[n]), n, shas[n], str(out_dir)) for n in todo]
        for r in _run(tasks, engine=engine, scheduler=scheduler, workers=workers, progress=progress):
            if r.get("error"):
                errors.append({k: r[k] for k in ("name", "path", "sha256", "error")})
                stats.errors.append((r["path"], r["error"]))
                continue
            stats.parsed += 1
            writers.add(r)
        writers.close()
    except BaseException:
        writers.abort()
        raise
    errors.sort(key=lambda r: r["name"])
    stats.errors.sort()
    stats.failed = len(errors)
    _write_table(out_dir / "errors.parquet", errors, schemas["errors"])
    for stale in ("minhash.parquet", "lsh.json"):  # format 1 leftovers
        (out_dir / stale).unlink(missing_ok=True)
    cfg_path.write_text(json.dumps(CONFIG), encoding="utf-8")
    from policydiff.corpus.search import build_search_index

    build_search_index(out_dir)  # search/: the clause search's bigram index (rebuilt whole: seconds per 10,000 notices)
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
                    r = parse_one(*t)
                    advance()
                    yield r
                return
            n = workers or os.cpu_count() or 1
            with ProcessPoolExecutor(max_workers=n) as ex:
                # A bounded window of tasks in flight: results are consumed as they come, so
                # memory does not grow with the corpus.
                it = iter(tasks)
                live: set[Future[dict[str, Any]]] = set()
                for t in it:
                    live.add(ex.submit(parse_one, *t))
                    if len(live) >= 8 * n:
                        break
                while live:
                    done, live = wait(live, return_when=FIRST_COMPLETED)
                    for f in done:
                        nxt = next(it, None)
                        if nxt is not None:
                            live.add(ex.submit(parse_one, *nxt))
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
            f.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


class _progress:
    """Rich progress bar (files done / total, elapsed, time left) when asked; a no-op callable otherwise."""

    def __init__(self, total: int, enabled: bool, label: str) -> None:
        self.total, self.enabled, self.label = total, enabled, label
        self._bar: Any = None

    def __enter__(self) -> Callable[[], None]:
        if not self.enabled:
            return lambda: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self._bar = Progress(
            TextColumn("[progress.description]{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("files"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            console=Console(stderr=True),
            transient=False,
        )
        self._bar.start()
        task = self._bar.add_task(self.label, total=self.total)
        return lambda: self._bar.advance(task)

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()
