"""The n-gram side of lineage: the index's sampled n-gram hashes as a sparse document × n-gram matrix.

Candidates are the documents sharing most rare n-grams with a document (an inverted index by
sparse product, in row blocks); pairs are then scored by the Jaccard similarity of their samples.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

DF_CAP = 48  # n-grams in more documents than this are boilerplate: not used to find candidates
BLOCK = 512  # documents per block of the sparse product (bounds memory)


@dataclass
class NgramIndex:
    names: list[str]
    matrix: Any  # scipy.sparse.csr_matrix, documents × distinct sampled n-grams, 1.0 where present
    sizes: np.ndarray  # sampled n-grams per document
    df: np.ndarray  # documents per n-gram


def load_ngrams(index_dir: Path) -> NgramIndex:
    # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
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
        # pyarrow is an optional extra ([corpus], [parquet]): imported where a table is read or written
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


def candidate_pairs(ix: NgramIndex, allowed: Any, k: int) -> tuple[np.ndarray, np.ndarray]:
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


def intersections(ix: NgramIndex, a: np.ndarray, b: np.ndarray, chunk: int = 4096) -> np.ndarray:
    """|A ∩ B| of the n-gram samples for each pair (a[i], b[i])."""
    out = np.zeros(len(a), np.int64)
    m = ix.matrix
    for lo in range(0, len(a), chunk):
        hi = min(len(a), lo + chunk)
        out[lo:hi] = np.asarray(m[a[lo:hi]].multiply(m[b[lo:hi]]).sum(axis=1)).ravel()
    return out


def exclusive(ix: NgramIndex, child: int, p: int, q: int) -> tuple[int, int]:
    """N-grams the child shares with p and not q, and with q and not p."""
    m = ix.matrix
    c = m.indices[m.indptr[child] : m.indptr[child + 1]]
    sp_ = m.indices[m.indptr[p] : m.indptr[p + 1]]
    sq = m.indices[m.indptr[q] : m.indptr[q + 1]]
    with_p = np.intersect1d(c, sp_, assume_unique=True)
    with_q = np.intersect1d(c, sq, assume_unique=True)
    return len(np.setdiff1d(with_p, sq, assume_unique=True)), len(np.setdiff1d(with_q, sp_, assume_unique=True))
