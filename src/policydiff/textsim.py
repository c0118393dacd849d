"""Character bigrams, shared by task-table linking (extract.task_tables) and clause alignment (align.clauses);
small text predicates shared by the extractors."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from itertools import repeat
from operator import add


def has_space(s: str) -> bool:
    """Whether `s` holds whitespace (regex \\s, str.isspace). str.split stops at the second word: a
    C scan several times faster than re.search(r"\\s", s) over a text that has none."""
    parts = s.split(None, 1)
    if len(parts) != 1:
        return bool(s)  # two words, or only whitespace; "" has none
    return len(parts[0]) != len(s)


def bigrams(text: str) -> set[str]:
    """Distinct character bigrams of `text` (empty below two characters)."""
    # map() over two offsets runs in C; a slicing comprehension is ~3x slower.
    return set(map(add, text, text[1:]))


def _code_views(text: str) -> tuple[memoryview, memoryview]:
    """The bigram codes of `text` (see bigram_codes) as two C arrays: pairs starting at even, then odd offsets."""
    n = len(text)
    words = memoryview(text.encode("utf-32-le", "surrogatepass"))
    return words[: 8 * (n // 2)].cast("Q"), words[4 : 4 + 8 * ((n - 1) // 2)].cast("Q")


def bigram_codes(text: str) -> set[int]:
    """Distinct bigrams of `text` as ints, one per pair of code points, made in C.

    The same sets as `bigrams` up to renaming (a bigram is its two UTF-32 code units read as one
    64-bit word), so set sizes and intersection sizes are equal; cheaper to build and hash.
    """
    if len(text) < 2:
        return set()
    even, odd = _code_views(text)
    codes = set(even)
    codes.update(odd)
    return codes


def _bigram_codes_in(text: str, vocab: set[int]) -> set[int]:
    """bigram_codes(text) & vocab, without building the whole set (members of vocab are looked up instead)."""
    if len(text) < 2:
        return set()
    even, odd = _code_views(text)
    codes = vocab.intersection(even)
    codes.update(vocab.intersection(odd))
    return codes


# Clauses are counted in lanes of one int: a query's overlaps with a block of texts are one sum.
_LANE_BITS = 32
_BLOCK = 64


class BigramIndex:
    """Texts indexed by their distinct character bigrams, to shortlist those most like a query."""

    def __init__(self, texts: Sequence[str]) -> None:
        self.texts = list(texts)
        self._codes: list[set[int]] | None = None

    @property
    def codes(self) -> list[set[int]]:
        """Each text's `bigram_codes`, made when first needed (`overlaps` does without)."""
        if self._codes is None:
            self._codes = [bigram_codes(t) for t in self.texts]
        return self._codes

    def first_containing(self, query: str | set[int]) -> int | None:
        """Index of the first text holding every bigram of `query` (its overlap is the most possible);
        `query` may be given as its `bigram_codes`."""
        codes = bigram_codes(query) if isinstance(query, str) else query
        for k, text_codes in enumerate(self.codes):
            if codes <= text_codes:  # stops at the first missing bigram
                return k
        return None

    def overlaps(self, queries: Sequence[str] | Sequence[set[int]]) -> list[list[int]]:
        """For each query, the number of distinct bigrams it shares with each text.

        Each bigram maps to an int with a 1 in the lane of every text (of a block of 64) that holds
        it; summing those ints over a query's bigrams counts its overlaps with the whole block in
        C. The lanes are built in Python, so they go on whichever side has fewer bigrams: the
        queries' lanes are summed over each text's bigrams instead.
        """
        q_codes = [bigram_codes(q) if isinstance(q, str) else q for q in queries]
        vocab = set().union(*q_codes)  # bigrams in no query never count
        t_codes = [_bigram_codes_in(t, vocab) for t in self.texts] if self._codes is None else [codes & vocab for codes in self._codes]
        if sum(map(len, q_codes)) < sum(map(len, t_codes)):
            by_text = _lane_counts(q_codes, t_codes)
            return [list(counts) for counts in zip(*by_text, strict=True)] if by_text else [[] for _ in queries]
        return _lane_counts(t_codes, q_codes)

    def shortlists(self, queries: Sequence[str] | Sequence[set[int]], n: int) -> list[list[int]]:
        """For each query (a text or its `bigram_codes`), the indexes of the `n` texts sharing the most
        bigrams with it, most first; ties keep index order (as a stable sort by descending overlap)."""
        order = range(len(self.texts))
        return [sorted(order, key=counts.__getitem__, reverse=True)[:n] for counts in self.overlaps(queries)]


def _lane_counts(lane_sets: Sequence[set[int]], sets: Sequence[set[int]]) -> list[list[int]]:
    """out[i][j] = len(sets[i] & lane_sets[j]), with a Python loop over lane_sets' members only."""
    out: list[list[int]] = [[] for _ in sets]
    for lo in range(0, len(lane_sets), _BLOCK):
        block = lane_sets[lo : lo + _BLOCK]
        lanes: dict[int, int] = {}
        get = lanes.get
        for j, codes in enumerate(block):
            bit = 1 << (_LANE_BITS * j)
            for g in codes:
                lanes[g] = get(g, 0) | bit
        nbytes = len(block) * _LANE_BITS // 8
        for codes, counts in zip(sets, out, strict=True):
            total = sum(map(get, codes, repeat(0)))
            counts.extend(memoryview(total.to_bytes(nbytes, sys.byteorder)).cast("I"))
    return out
