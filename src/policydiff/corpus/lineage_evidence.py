"""Evidence of an edge from shared text: reused share both ways and inherited clauses, by exact 8-grams.

compare() aligns clauses sentence by sentence and costs ~0.4 s for two laws of a hundred articles:
too slow for thousands of edges. Lineage measures reuse as a plagiarism checker does (文字重复率):
a character of the child is reused when it lies in a character 8-gram that also occurs in the
parent (folded clause text, every 8-gram, not the index's sample). A child clause is inherited
when at least INHERITED_MIN of its characters are reused. The parent's share is the same count the
other way. compare() stays for the per-edge reports (`lineage --reports`).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path
from typing import Any

import numpy as np

GRAM = 8  # characters: as the index's n-grams, long enough that a shared 8-gram is copied text
INHERITED_MIN = 0.5  # share of a child clause's characters found in the parent for it to count as inherited
_B = np.uint64(1099511628211)


@functools.lru_cache(maxsize=512)
def clause_texts(index_dir: str, name: str) -> tuple[str, ...]:
    """Folded policy text of each clause of an indexed document (plain JSON: no model validation)."""
    from policydiff.align.clauses import fold

    data = json.loads(Path(index_dir, "docs", f"{name}.json").read_bytes())
    texts = tuple(t for t in (fold(c.get("policy_text") or c.get("text") or "") for c in data.get("clauses", [])) if t)
    return texts


def _gram_hashes(text: str, k: int = GRAM) -> np.ndarray:
    """Hash of the k-gram starting at each position (len(text) - k + 1 values)."""
    cp = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    m = len(cp) - k + 1
    if m <= 0:
        return np.zeros(0, np.uint64)
    h = np.zeros(m, np.uint64)
    with np.errstate(over="ignore"):
        for j in range(k):
            h = h * _B + cp[j : j + m]
    return h


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
