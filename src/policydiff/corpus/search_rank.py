"""Ranked candidate lists of a clause search (see `corpus.search`): read in growing prefixes, sorted only as deep as read."""

from __future__ import annotations

import numpy as np


def partial_cost(lq: int) -> float:
    """Microseconds per partial_ratio of a query of lq characters against a longer clause, roughly."""
    return 3 + 0.3 * lq + 0.003 * lq * lq


class ScoreOrder:
    """`rows` by `score` descending, then by key rank: sorted lazily, only as deep as it is read."""

    def __init__(self, rows: np.ndarray, score: np.ndarray, keyrank: np.ndarray) -> None:
        self.rows, self.neg, self.keyrank = rows, -score, keyrank
        self.sorted = rows[:0]

    def __len__(self) -> int:
        return len(self.rows)

    def prefix(self, depth: int) -> np.ndarray:
        if depth > len(self.sorted) and len(self.sorted) < len(self.rows):
            m = max(depth, 2 * len(self.sorted), 2048)
            # all rows, or everything scoring at least the m-th best: a prefix of the full order
            sel = np.arange(len(self.rows)) if m >= len(self.rows) else np.flatnonzero(self.neg <= np.partition(self.neg, m - 1)[m - 1])
            self.sorted = self.rows[sel[np.lexsort((self.keyrank[self.rows[sel]], self.neg[sel]))]]
        return self.sorted[:depth]


class RankedPrefix:
    """A ranked candidate list read in growing prefixes: at least `first`, and always to
    max(2 × the deepest position that reached the top-k, that position + `gap`)."""

    def __init__(self, order: ScoreOrder, first: int, gap: int) -> None:
        self.order, self.first, self.gap = order, first, gap
        self.pos = self.start = 0
        self.deepest = -1
        self.active = True

    def _want(self) -> int:
        return max(self.first, 2 * (self.deepest + 1), self.deepest + 1 + self.gap)

    def next(self) -> np.ndarray:
        want = min(self._want(), len(self.order))
        out = self.order.prefix(want)[self.pos :]
        self.start, self.pos = self.pos, max(self.pos, want)
        return out

    def update(self, in_top: np.ndarray) -> None:
        hit = np.flatnonzero(in_top)
        if len(hit):
            self.deepest = max(self.deepest, self.start + int(hit[-1]))
        self.active = self.pos < min(self._want(), len(self.order))
