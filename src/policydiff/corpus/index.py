"""Corpus index: parse a folder of notices once, keep Parquet tables, JSON trees and an n-gram index.

Layout of an index directory::

    documents.parquet   one row per parsed document (name, path, sha256, title, date, ...)
    errors.parquet      files that failed to parse (name, path, sha256, error)
    clauses.parquet / targets.parquet / citations.parquet
    ngrams.parquet      name, n_ngrams, sample: the search structure. Each document's folded clause
                        text is cut into character NGRAM-grams, hashed to 64 bits, and the hashes
                        that are 0 modulo SAMPLE are kept (sorted, unique). The sample is consistent
                        across documents, so shared sampled hashes estimate shared text; lineage turns
                        the table into a sparse document × n-gram matrix (an inverted index).
    index.json          format version and the n-gram parameters (a change re-parses everything)
    docs/<name>.json.zst  the parsed Document, zstd-compressed JSON (what lineage feeds to compare;
                        `load_doc` reads it). Plain JSON was ten times the text: the tree repeats it.
    search/             clause search: folded clause texts and a character-bigram inverted index,
                        rebuilt from clauses.parquet after every run (see corpus/search.py)
    manifest.json       size and sha256 of every file above, written last (see corpus/store.py)

A document's name (its id) is its path relative to the corpus folder, POSIX, without the suffix
(`宪法/宪法`); two files that differ only in suffix keep it (`plans/a.txt`, `plans/a.docx`). Every table
is sorted by name (rows of one document in document order), so the same corpus gives the same bytes
whatever the hash seed, the worker count or the order in which workers finish.
"""

from __future__ import annotations

import errno
import json
import os
import time
from collections.abc import Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from policydiff._atomic import atomic_write_bytes
from policydiff._files import display_path, scan_inputs
from policydiff.api import SUPPORTED_SUFFIXES
from policydiff.corpus import store
from policydiff.corpus.docstore import DOC_SUFFIX, doc_path, reusable_doc, zstd_compress
from policydiff.corpus.index_tables import TABLES, TableWriters, old_rows, read_table, table_schemas, write_final
from policydiff.corpus.lineage_facts import lineage_facts
from policydiff.corpus.parallel import ProgressBar, map_dask
from policydiff.corpus.search import build_search_index
from policydiff.corpus.store import sha256_file
from policydiff.errors import FileMissingError, OutputPathError, PolicydiffError, UsageError
from policydiff.extract.citations import normalize_title

NGRAM = 8  # characters per n-gram: long enough that shared 8-grams mean copied text
SAMPLE = 4  # keep hashes ≡ 0 (mod SAMPLE): ~1,000 per 4,000-character notice
FORMAT = 4  # 3: documents.lineage; 4: relative-path names, docs/*.json.zst, no sentences table
CONFIG = {"format": FORMAT, "ngram": NGRAM, "sample": SAMPLE, "hash": "poly64-splitmix", "text": "folded clause policy_text"}


@dataclass
class IndexStats:
    parsed: int = 0
    reused: int = 0
    removed: int = 0
    failed: int = 0
    total: int = 0
    errors: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0


# --- worker side -------------------------------------------------------------

_B = np.uint64(1099511628211)  # FNV prime as the polynomial base


def rolling_hashes(cp: np.ndarray, k: int) -> np.ndarray:
    """The polynomial hash of the k-gram starting at each position of a code-point array (len - k + 1 values)."""
    m = len(cp) - k + 1
    if m <= 0:
        return np.zeros(0, np.uint64)
    h = np.zeros(m, np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _B + cp[j : j + m]
    return h


def ngram_hashes(text: str, k: int = NGRAM, sample: int = SAMPLE) -> np.ndarray:
    """Sorted unique 64-bit hashes of the character k-grams of `text` that are 0 modulo `sample`.

    A rolling polynomial over code points (k vectorized passes), then a splitmix finalizer so
    the low bits are uniform and the modulo sample is unbiased.
    """
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    if len(cp) < k:
        cp = np.concatenate([cp, np.zeros(k - len(cp), np.uint64)]) if len(cp) else cp
    h = rolling_hashes(cp, k)
    if not len(h):
        return h
    with np.errstate(over="ignore"):
        h ^= h >> np.uint64(31)
        h *= np.uint64(0xBF58476D1CE4E5B9)
        h ^= h >> np.uint64(29)
        h *= np.uint64(0x94D049BB133111EB)
        h ^= h >> np.uint64(32)
    h = np.unique(h)
    return h[h % np.uint64(sample) == 0] if sample > 1 else h


def doc_body(doc: Any) -> str:
    """Folded policy text of all clauses: headers, footers and surface noise stay out of the n-grams."""
    # align.clauses (rapidfuzz) loads only where texts are folded
    from policydiff.align.clauses import fold

    body = "".join(fold(c.policy_text) for c in doc.clauses)
    return body or fold(doc.text)


def _all_citations(doc: Any) -> list[Any]:
    """The document's citations (clauses, section text, preamble: the extractor collects them all), once each by
    number or title, never the document itself (a news lead names its own title and number)."""
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
    """Parse one file (or load docs/<name>.json.zst when it holds this very file's parse: a run that was killed
    left it), write docs/<name>.json.zst atomically, and return its table rows and sampled n-gram hashes."""
    shown = display_path(path)
    target = doc_path(out_dir, name)
    doc = reusable_doc(target, sha)
    if doc is None:
        try:
            doc = _parse(Path(path), name)
        except Exception as exc:  # noqa: BLE001 - a bad file is a record, not a crash
            # An input error says itself what is wrong (and names the file); anything else is a bug: its type helps.
            why = str(exc) if isinstance(exc, PolicydiffError) else f"{type(exc).__name__}: {exc}"
            return {"name": name, "path": shown, "sha256": sha, "error": why[:500]}
        try:
            atomic_write_bytes(target, zstd_compress(doc.model_dump_json().encode("utf-8")), mkdir=True)
        except OSError as exc:
            if exc.errno in (errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES):
                raise  # the index's disk or folder: every file would fail, so the run stops
            return {"name": name, "path": shown, "sha256": sha, "error": f"cannot store its parse ({exc.strerror})"}
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
                "path": shown,
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
    # the parser loads only where files are parsed: lineage and search read the index without it
    from policydiff import parse_file

    doc = parse_file(path, require_structure=False)
    if doc.name != name:
        doc = doc.model_copy(update={"name": name})
    return doc


# --- driver ------------------------------------------------------------------


def doc_names(files: list[Path], root: Path) -> dict[str, Path]:
    """name → path: the path relative to `root`, POSIX, without the suffix; files that would share a
    name keep their suffix. Non-UTF-8 bytes of a file name are escaped (\\xNN)."""
    rel = {p: display_path(p.relative_to(root).as_posix()) for p in files}
    stems: dict[str, int] = {}
    for p, r in rel.items():
        key = r[: -len(p.suffix)] if p.suffix else r
        stems[key] = stems.get(key, 0) + 1
    out: dict[str, Path] = {}
    for p, r in rel.items():
        key = r[: -len(p.suffix)] if p.suffix else r
        out[key if stems[key] == 1 else r] = p
    return dict(sorted(out.items()))


def scan(corpus_dir: Path, notes: list[str] | None = None) -> dict[str, Path]:
    """name → path for every supported file of the corpus folder and its subfolders (see doc_names).
    Raises FileMissingError when the folder does not exist or holds no supported file."""
    if not Path(corpus_dir).is_dir():
        raise FileMissingError(
            f"{corpus_dir}: no such corpus folder (nothing was changed in the index). Check the path; "
            "the corpus is the folder of notices, not the index folder."
        )
    found = scan_inputs([corpus_dir], SUPPORTED_SUFFIXES, recursive=True)
    if notes is not None:
        notes.extend(f"skipped {p}: {reason}" for p, reason in found.skipped)
    return doc_names(found.files, Path(corpus_dir))


def build_index(
    corpus_dir: Path,
    out_dir: Path,
    *,
    engine: str = "local",
    scheduler: str | None = None,
    workers: int | None = None,
    progress: bool = False,
    prune: bool = False,
) -> IndexStats:
    """Parse new or changed files of `corpus_dir` into the index at `out_dir`; reuse the rest by sha256.

    Nothing in the index changes when the corpus folder does not exist or holds no supported file, or when
    more than half of the indexed documents would be removed without `prune`. A damaged or incomplete
    index (see corpus/store.py) is repaired: what the manifest cannot vouch for is rebuilt.
    """
    if engine not in ("local", "dask"):
        raise UsageError(f"unknown engine {engine!r}: choose local or dask.")
    t0 = time.perf_counter()
    corpus_dir, out_dir = Path(corpus_dir), Path(out_dir)
    notes: list[str] = []
    files = scan(corpus_dir, notes)  # raises before the index is touched
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputPathError(f"{out_dir}: is a file, not an index folder.", fix="Give a folder for the index.")
    with store.writer_lock(out_dir):
        store.remove_leftovers(out_dir)
        manifest = store.read_manifest(out_dir)
        cfg_path = out_dir / "index.json"
        damaged: dict[str, str] = {}
        trusted = False
        if manifest is not None:
            damaged = store.damaged_files(out_dir, manifest, hash_docs=True)
            tables_ok = not any(not k.startswith(("docs/", "search/")) for k in damaged)
            try:
                trusted = tables_ok and json.loads(cfg_path.read_text(encoding="utf-8")) == CONFIG
            except (OSError, ValueError):
                trusted = False
            for k, why in sorted(damaged.items()):
                notes.append(f"index file {k} was damaged ({why}); rebuilt")
        elif any(out_dir.glob("*.parquet")):
            notes.append("the index was incomplete (no manifest: an earlier run was interrupted); rebuilt from the files it can vouch for")
        old_docs = {r["name"]: r["sha256"] for r in read_table(out_dir / "documents.parquet", ["name", "sha256"])} if trusted else {}
        old_errors = {r["name"]: r for r in read_table(out_dir / "errors.parquet")} if trusted else {}
        # What the index holds, for the --prune guard; untrusted tables: the parses in docs/.
        expected = {doc_path(out_dir, n).relative_to(out_dir).as_posix() for n in files}
        if trusted:
            known, removed = len(set(old_docs) | set(old_errors)), (set(old_docs) | set(old_errors)) - set(files)
            n_removed = len(removed)
        else:
            held = {k for k in manifest["files"] if k.startswith("docs/")} if manifest is not None else _docs_on_disk(out_dir)
            known, n_removed = len(held), len(held - expected)
        if n_removed * 2 > known and not prune:
            raise UsageError(
                f"{display_path(corpus_dir)} lacks {n_removed} of the {known} documents in {out_dir}: "
                "is it the right corpus folder? Nothing was changed.",
                fix="If they are gone from the corpus, prune them from the index (prune=True).", option="prune",
            )
        shas = {name: sha256_file(p) for name, p in files.items()}
        keep = {
            n for n, sha in old_docs.items() if shas.get(n) == sha and f"docs/{n}{DOC_SUFFIX}" not in damaged and doc_path(out_dir, n).exists()
        }
        keep_err = {n for n, r in old_errors.items() if shas.get(n) == r["sha256"]}
        todo = [n for n in files if n not in keep and n not in keep_err]

        store.remove_manifest(out_dir)  # from here the index is "being written" for readers
        for k in damaged:
            if k.startswith("docs/"):
                (out_dir / k).unlink(missing_ok=True)
        for k in _docs_on_disk(out_dir) - expected:  # removed documents' parses must not outlive them
            (out_dir / k).unlink(missing_ok=True)

        schemas = table_schemas()
        writers = TableWriters(out_dir, schemas)
        try:
            for t in TABLES:
                writers.add_table(t, old_rows(out_dir / f"{t}.parquet", t, keep, schemas[t]))
            stats = IndexStats(reused=len(keep) + len(keep_err), removed=n_removed, notes=notes)
            errors = [old_errors[n] for n in sorted(keep_err)]
            tasks = [(str(files[n]), n, shas[n], str(out_dir)) for n in todo]
            for r in _run(tasks, engine=engine, scheduler=scheduler, workers=workers, progress=progress):
                if r.get("error"):
                    errors.append({k: r[k] for k in ("name", "path", "sha256", "error")})
                    continue
                stats.parsed += 1
                writers.add(r)
            writers.close()
        except BaseException:
            writers.abort()
            raise
        # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
        import pyarrow as pa

        err_table = pa.Table.from_pylist(errors, schema=schemas["errors"]) if errors else schemas["errors"].empty_table()
        write_final(err_table, out_dir / "errors.parquet")
        stats.errors = sorted((r["path"], r["error"]) for r in errors)
        stats.failed = len(errors)
        for stale in ("minhash.parquet", "lsh.json", "sentences.parquet"):  # earlier formats' leftovers
            (out_dir / stale).unlink(missing_ok=True)

        atomic_write_bytes(cfg_path, json.dumps(CONFIG).encode("utf-8"))
        build_search_index(out_dir)  # search/: the clause search's bigram index (rebuilt whole: seconds per 10,000 notices)
        store.write_manifest(out_dir, str(corpus_dir))
    stats.total = len(keep) + stats.parsed
    stats.seconds = time.perf_counter() - t0
    return stats


def _docs_on_disk(out_dir: Path) -> set[str]:
    """docs/* files of the index, as paths relative to it; plain JSON of format 2 is among them, so it goes."""
    docs = out_dir / "docs"
    if not docs.is_dir():
        return set()
    return {p.relative_to(out_dir).as_posix() for p in docs.rglob("*") if p.is_file() and not p.name.startswith(".")}


def _run(
    tasks: list[tuple[str, str, str, str]], *, engine: str, scheduler: str | None, workers: int | None, progress: bool
) -> Iterator[dict[str, Any]]:
    if not tasks:
        return
    with ProgressBar(len(tasks), progress, "parsing") as advance:
        if engine == "dask":
            for r in map_dask(parse_one, tasks, scheduler=scheduler, workers=workers):
                advance()
                yield r
        elif len(tasks) < 4 or workers == 1:  # a pool costs more than a handful of parses
            for t in tasks:
                r = parse_one(*t)
                advance()
                yield r
        else:
            for r in _run_pool(tasks, workers or os.cpu_count() or 1):
                advance()
                yield r


def _run_pool(tasks: list[tuple[str, str, str, str]], n: int) -> Iterator[dict[str, Any]]:
    """parse_one over a process pool, a bounded window of tasks in flight (memory does not grow with the
    corpus). A worker that dies (killed, out of memory) breaks the pool: the tasks it took down are run
    again one at a time in a fresh pool, and a task that kills that one too is reported as failed."""
    pending = list(reversed(tasks))
    suspects: list[tuple[str, str, str, str]] = []
    while pending or suspects:
        if suspects:
            t = suspects.pop()
            try:
                with ProcessPoolExecutor(max_workers=1) as solo:
                    yield solo.submit(parse_one, *t).result()
            except BrokenProcessPool:
                yield {"name": t[1], "path": _shown(t[0]), "sha256": t[2], "error": "the worker parsing it died (killed, or out of memory)"}
            continue
        ex = ProcessPoolExecutor(max_workers=n)
        live: dict[Future[dict[str, Any]], tuple[str, str, str, str]] = {}
        try:
            while pending or live:
                while pending and len(live) < 8 * n:
                    t = pending.pop()
                    live[ex.submit(parse_one, *t)] = t
                done, _ = wait(live, return_when=FIRST_COMPLETED)
                for f in sorted(done, key=lambda f: live[f][1]):
                    r = f.result()  # BrokenProcessPool here leaves f in `live`: it is retried
                    del live[f]
                    yield r
        except BrokenProcessPool:
            suspects.extend(sorted(live.values(), key=lambda t: t[1], reverse=True))
        finally:
            ex.shutdown(wait=True, cancel_futures=True)


def _shown(path: str) -> str:
    return display_path(path)
