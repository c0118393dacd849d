"""Building the search structure of an index (INDEX_DIR/search/, described in `corpus.search`): folded
clause texts, their bigram postings and the tie-break order, a block of clauses at a time."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from policydiff.corpus.docstore import zstd_compress, zstd_decompress
from policydiff.corpus.store import sha256_file

GRAM = 2  # characters per gram: a Chinese word is mostly two characters
SEARCH_FORMAT = 2  # 2: text.u16.zst
SEARCH_DIR = "search"
BLOCK = 8192  # clauses per block when building (bounds memory: ~2M positions at a time)
_LID_BITS = np.uint64(16)  # local clause id bits in the build's combined sort key (BLOCK < 2**16)
_CP_BITS = np.uint64(21)  # bits per code point in a bigram key
_FOLD_PROBE = " 一、总体（要求）：“加快”《方案》【注】 a,b:c\t\n"


def _fold(text: str) -> str:
    # align.clauses (rapidfuzz) loads only where texts are folded
    from policydiff.align.clauses import fold

    return fold(text)


# --- bigrams --------------------------------------------------------------------


def _codepoints(text: str) -> np.ndarray:
    return np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)


def _gram_keys(cp: np.ndarray) -> np.ndarray:
    """Bigram keys of every position of one text (two 21-bit code points)."""
    if len(cp) < GRAM:
        return np.zeros(0, np.uint64)
    return (cp[:-1] << _CP_BITS) | cp[1:]


def _distinct(a: np.ndarray) -> np.ndarray:
    """Sorted distinct values (np.unique hashes 64-bit keys first, which is several times slower here)."""
    a = np.sort(a)
    return a[np.concatenate([[True], a[1:] != a[:-1]])] if len(a) else a


def _block_pairs(cp: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distinct (bigram key, local clause id) of a block of concatenated clauses, sorted by key then clause."""
    if len(cp) < GRAM:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    lid = np.repeat(np.arange(len(lengths), dtype=np.uint64), lengths)
    same = lid[:-1] == lid[1:]  # a bigram never spans two clauses
    comb = (_gram_keys(cp)[same] << _LID_BITS) | lid[:-1][same]
    comb = _distinct(comb)
    return comb >> _LID_BITS, (comb & np.uint64((1 << int(_LID_BITS)) - 1)).astype(np.int64)


def _runs(sorted_keys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(distinct keys, start of each run, run lengths) of a sorted array."""
    if not len(sorted_keys):
        return sorted_keys, np.zeros(0, np.int64), np.zeros(0, np.int64)
    starts = np.flatnonzero(np.concatenate([[True], sorted_keys[1:] != sorted_keys[:-1]]))
    counts = np.diff(np.concatenate([starts, [len(sorted_keys)]]))
    return sorted_keys[starts], starts, counts


# --- building ---------------------------------------------------------------------


def _source(index_dir: Path) -> dict[str, Any]:
    """What the structure was built from: clauses.parquet (size, sha256, rows) and the fold in use. No
    modification time, so that the same clauses give the same bytes."""
    p = Path(index_dir) / "clauses.parquet"
    st = p.stat()
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow.parquet as pq

    return {
        "format": SEARCH_FORMAT,
        "gram": GRAM,
        "clauses_size": st.st_size,
        "clauses_sha256": sha256_file(p),
        "rows": pq.ParquetFile(p).metadata.num_rows,
        "fold_probe": _fold(_FOLD_PROBE),
    }


_STRUCTURE_FILES = ("text.u16.zst", "offsets.npy", "lengths.npy", "grams.npy", "keyrank.npy", "vocab.npy", "indptr.npy", "postings.npy")


def _sizes(path: Path) -> dict[str, int]:
    return {name: (path / name).stat().st_size for name in _STRUCTURE_FILES}


def _compress_file(src: Path, dst: Path) -> None:
    """`src` as one zstd frame in `dst`; `src` is removed."""
    dst.write_bytes(zstd_compress(src.read_bytes()))
    src.unlink()


def _decompress_file(path: Path, size: int) -> bytes:
    """The bytes of a _compress_file output, `size` of them (bytes slice as cheaply as the mmap this replaced)."""
    return zstd_decompress(path.read_bytes(), size) if size else b""


def _folded_blocks(f: Any) -> Iterator[list[str]]:
    """Folded policy texts of a ParquetFile of clauses, at most BLOCK at a time. Row group by row group:
    a batch iterator keeps several times the data in Arrow's pool."""
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow as pa

    for g in range(f.num_row_groups):
        col = f.read_row_group(g, columns=["policy_text"], use_threads=False).column(0)
        for lo in range(0, len(col), BLOCK):
            yield [_fold(t or "") for t in col.slice(lo, BLOCK).to_pylist()]
        del col
        pa.default_memory_pool().release_unused()


def build_search_index(index_dir: Path, out: Path | None = None) -> Path:
    """Write the search structure for the index at `index_dir` (into INDEX_DIR/search unless `out`).

    Blocks of clauses at a time, so memory stays bounded on large corpora: the first pass folds the
    texts, writes them, and spills each block's distinct (bigram, clause) pairs to a scratch file;
    the second, with the vocabulary and the posting list sizes known, fills the postings (a
    memory-mapped .npy file).
    """
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    index_dir = Path(index_dir)
    final = Path(out) if out is not None else index_dir / SEARCH_DIR
    final.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{final.name}.", dir=final.parent))
    mask = os.umask(0)
    os.umask(mask)
    tmp.chmod(0o777 & ~mask)  # mkdtemp makes it 0700: others sharing the index could not search it
    try:
        source = _source(index_dir)
        f = pq.ParquetFile(index_dir / "clauses.parquet")
        n = f.metadata.num_rows
        lengths = np.zeros(n, np.int32)
        units = np.zeros(n + 1, np.int64)  # UTF-16 code units per clause, then offsets
        ngrams = np.zeros(n, np.int32)
        block_keys: list[np.ndarray] = []
        block_counts: list[np.ndarray] = []
        block_rows: list[int] = []
        row = 0
        with (tmp / "text.u16").open("wb") as text_out, (tmp / "lids.tmp").open("wb") as lids_out:
            for texts in _folded_blocks(f):
                nb = len(texts)
                joined = "".join(texts)
                text_out.write(joined.encode("utf-16-le"))
                cp = _codepoints(joined)
                lens = np.fromiter((len(t) for t in texts), np.int64, nb)
                lengths[row : row + nb] = lens
                lid = np.repeat(np.arange(nb), lens)
                units[row + 1 : row + nb + 1] = lens + np.bincount(lid[cp > 0xFFFF], minlength=nb)  # surrogate pairs
                keys, lids = _block_pairs(cp, lens)
                ngrams[row : row + nb] = np.bincount(lids, minlength=nb)
                uk, _, cnt = _runs(keys)
                block_keys.append(uk)
                block_counts.append(cnt)
                block_rows.append(row)
                lids.astype(np.uint16).tofile(lids_out)  # the pairs, in key order, for the second pass
                row += nb
        offsets = np.cumsum(units)
        _compress_file(tmp / "text.u16", tmp / "text.u16.zst")
        vocab = _distinct(np.concatenate(block_keys)) if block_keys else np.zeros(0, np.uint64)
        df = np.zeros(len(vocab), np.int64)
        for uk, cnt in zip(block_keys, block_counts, strict=True):
            df[np.searchsorted(vocab, uk)] += cnt
        indptr = np.concatenate([[0], np.cumsum(df)]).astype(np.int64)
        size = int(indptr[-1])
        postings: Any = np.zeros(0, np.uint32)
        if size:
            postings = np.lib.format.open_memmap(tmp / "postings.npy", mode="w+", dtype=np.uint32, shape=(size,))
        cursor = indptr[:-1].copy()
        done = 0
        for uk, cnt, lo in zip(block_keys, block_counts, block_rows, strict=True):
            total = int(cnt.sum())
            lids = np.fromfile(tmp / "lids.tmp", dtype=np.uint16, count=total, offset=2 * done)
            done += total
            ids = np.searchsorted(vocab, uk)
            starts = np.cumsum(cnt) - cnt
            rank = np.arange(total) - np.repeat(starts, cnt)  # within a bigram, clauses ascending
            postings[np.repeat(cursor[ids], cnt) + rank] = lids.astype(np.uint32) + lo
            cursor[ids] += cnt
        if size:
            postings.flush()
        else:
            np.save(tmp / "postings.npy", postings)
        del postings, block_keys, block_counts
        (tmp / "lids.tmp").unlink()
        meta = pq.read_table(index_dir / "clauses.parquet", columns=["doc", "clause_id"])
        order = pc.sort_indices(meta, sort_keys=[("doc", "ascending"), ("clause_id", "ascending")]).to_numpy()
        keyrank = np.empty(n, np.int32)
        keyrank[order] = np.arange(n, dtype=np.int32)
        for name, arr in (
            ("offsets", offsets),
            ("lengths", lengths),
            ("grams", ngrams),
            ("keyrank", keyrank),
            ("vocab", vocab),
            ("indptr", indptr),
        ):
            np.save(tmp / f"{name}.npy", arr)
        # the sizes of the other files: a truncated one makes the structure stale, and so rebuilt
        (tmp / "meta.json").write_text(json.dumps({**source, "sizes": _sizes(tmp)}), encoding="utf-8")
        if final.exists():
            shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return final


# --- searching ----------------------------------------------------------------------
