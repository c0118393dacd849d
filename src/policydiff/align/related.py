"""The `related` relation: clauses that treat the same policy measure in different words.

Sibling plans (zhengzhou and kaifeng both implement the province's plan) and two provinces'
regulations under one national law rarely share sentences, so the textual alignment finds
few pairs. Here each clause is a bag of jieba words and domain concepts, weighted by an IDF
fitted on the clauses of the two documents at hand (words every clause uses weigh nothing),
and clauses are compared by cosine. Concepts come from a small table shipped with the package
(`data/concepts.tsv`: 课程思政, 三全育人 and 立德树人 are one concept) that users extend with their
own file (`--concepts FILE` or POLICYDIFF_CONCEPTS). Everything runs offline.

A related pair never replaces a textual one: only clauses without a textual pair on at least one
side are considered, and textual pairs are never relabelled.
"""

from __future__ import annotations

import math
import os
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path

from policydiff.errors import CorruptFileError, FileMissingError
from policydiff.schema import Clause
from policydiff.text.ngrams import BigramIndex

# Least topical similarity (cosine, 0–1) of a related pair. Calibrated on the 北京/河南 《职业教育法》
# 实施办法 gold (tests/fixtures/siblings; F1 0.71 at 0.24, the best of 0.08–0.38 in steps of 0.02), scored on the zhengzhou/kaifeng
# gold: benchmarks/related_gold.py, printed by benchmarks/bench_compare.py.
RELATED_MATCH = 0.24
# A clause's related pairs: its best match, and others at least this share of the best one's score.
RELATED_NEAR_BEST = 0.8
CONCEPTS_ENV = "POLICYDIFF_CONCEPTS"
# Documents with more clauses than this (together) weigh only the free clauses and, for each, the
# SHORTLIST clauses of the other side sharing the most character bigrams with it.
LARGE = 400
SHORTLIST = 12
_CJK_OR_WORD = re.compile(r"[\u4e00-\u9fff]|[A-Za-z]")


def parse_concepts(text: str, source: str = "concepts") -> dict[str, str]:
    """term → concept from a concept table (concept, then its terms, tab-separated)."""
    out: dict[str, str] = {}
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        concept, *terms = (x.strip() for x in line.split("\t"))
        if not concept or not terms:
            raise CorruptFileError(f"{source} line {n}: a concept needs a name and at least one term, tab-separated.")
        for term in terms:
            if term:
                out[term] = concept
    return out


@lru_cache(maxsize=8)
def load_concepts(extra: tuple[str, ...] = ()) -> dict[str, str]:
    """The shipped table, then the files in POLICYDIFF_CONCEPTS, then `extra` files (later ones win)."""
    table = parse_concepts(resources.files("policydiff").joinpath("data/concepts.tsv").read_text(encoding="utf-8"), "concepts.tsv")
    env = [p for p in os.environ.get(CONCEPTS_ENV, "").split(os.pathsep) if p]
    for name in (*env, *extra):
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise FileMissingError(f"cannot read the concept table {path}: {exc.strerror or exc}. Give a readable TSV file.") from None
        table.update(parse_concepts(text, str(path)))
    return table


def _concept_pattern(table: dict[str, str]) -> re.Pattern[str]:
    return re.compile("|".join(map(re.escape, sorted(table, key=len, reverse=True))))


def features(text: str, table: dict[str, str], pattern: re.Pattern[str]) -> Counter[str]:
    """Words (two characters or more, numbers left out) and the concepts the text names."""
    # jieba (align.diff) loads only when related pairs are looked for
    from policydiff.align.diff import tokens

    bag: Counter[str] = Counter()
    for tok in tokens(text):
        tok = tok.strip()
        if len(tok) >= 2 and _CJK_OR_WORD.search(tok):
            bag[table.get(tok, tok)] += 1
    for m in pattern.finditer(text):
        bag["§" + table[m.group()]] += 1
    return bag


def vectors(bags: Sequence[Counter[str]]) -> list[dict[str, float]]:
    """Unit TF-IDF vectors (log-scaled counts) with the IDF of the bags themselves."""
    df: Counter[str] = Counter()
    for bag in bags:
        df.update(bag.keys())
    n = len(bags)
    out = []
    for bag in bags:
        v = {w: (1 + math.log(c)) * math.log((n + 1) / (df[w] + 0.5)) for w, c in bag.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        out.append({w: x / norm for w, x in v.items()})
    return out


def _dots(queries: list[dict[str, float]], vecs: list[dict[str, float]]) -> list[dict[int, float]]:
    """For each query, its nonzero dot products with `vecs` (index → cosine of unit vectors)."""
    postings: dict[str, list[tuple[int, float]]] = {}
    for k, v in enumerate(vecs):
        for w, x in v.items():
            postings.setdefault(w, []).append((k, x))
    out = []
    for q in queries:
        acc: dict[int, float] = {}
        for w, x in q.items():
            for k, y in postings.get(w, ()):
                acc[k] = acc.get(k, 0.0) + x * y
        out.append(acc)
    return out


def _considered(a_clauses: Sequence[Clause], b_clauses: Sequence[Clause], free_a: set[int], free_b: set[int]) -> tuple[list[int], list[int]]:
    """Indexes of the clauses to weigh: every clause, or in large documents the free ones and the
    SHORTLIST clauses of the other side sharing the most character bigrams with each (jieba's cost
    grows with the text; a revised rule has few free clauses)."""
    if len(a_clauses) + len(b_clauses) <= LARGE:
        return list(range(len(a_clauses))), list(range(len(b_clauses)))

    a_keep, b_keep = set(free_a), set(free_b)
    if free_a:
        for short in BigramIndex([c.policy_text for c in b_clauses]).shortlists([a_clauses[i].policy_text for i in sorted(free_a)], SHORTLIST):
            b_keep.update(short)
    if free_b:
        for short in BigramIndex([c.policy_text for c in a_clauses]).shortlists([b_clauses[j].policy_text for j in sorted(free_b)], SHORTLIST):
            a_keep.update(short)
    return sorted(a_keep), sorted(b_keep)


def related_pairs(
    a_clauses: Sequence[Clause],
    b_clauses: Sequence[Clause],
    textual: Iterable[tuple[int, int]],
    *,
    cutoff: float = RELATED_MATCH,
    concepts: tuple[str, ...] = (),
) -> dict[tuple[int, int], float]:
    """(parent index, child index) → topical score of the related pairs.

    `textual` are the pairs sharing text (before any --threshold cut: a pair below the threshold
    still shares text, so it is never called related). A clause without a textual pair is related
    to its best-scoring counterpart and to any other within RELATED_NEAR_BEST of that, when the score reaches `cutoff`; the counterpart may be
    textually paired elsewhere (a measure one plan spreads over two clauses).
    """
    textual = set(textual)
    free_a = set(range(len(a_clauses))) - {ai for ai, _ in textual}
    free_b = set(range(len(b_clauses))) - {bi for _, bi in textual}
    if not (free_a or free_b) or not a_clauses or not b_clauses:
        return {}
    table = load_concepts(tuple(concepts))
    pattern = _concept_pattern(table)
    a_keep, b_keep = _considered(a_clauses, b_clauses, free_a, free_b)
    # IDF is fitted on the clauses considered: all of them, but for large documents (a revised
    # procedural rule) the free clauses and their likeliest counterparts only.
    kept = [*(a_clauses[i] for i in a_keep), *(b_clauses[j] for j in b_keep)]
    fitted = vectors([features(c.policy_text, table, pattern) for c in kept])
    empty: dict[str, float] = {}
    va = [empty] * len(a_clauses)
    vb = [empty] * len(b_clauses)
    for i, v in zip(a_keep, fitted[: len(a_keep)], strict=True):
        va[i] = v
    for j, v in zip(b_keep, fitted[len(a_keep) :], strict=True):
        vb[j] = v
    out: dict[tuple[int, int], float] = {}

    def pick(scores: list[tuple[float, tuple[int, int]]]) -> None:
        if not scores:
            return
        best = max(s for s, _ in scores)
        for s, key in scores:
            if s >= cutoff and s >= RELATED_NEAR_BEST * best and key not in textual:
                out[key] = round(max(out.get(key, 0.0), s), 3)

    # Dot products through an index of features: only clauses sharing a feature are visited.
    a_dots, b_dots = _dots([va[i] for i in sorted(free_a)], vb), _dots([vb[j] for j in sorted(free_b)], va)
    for ai, dots in zip(sorted(free_a), a_dots, strict=True):
        pick([(d, (ai, bi)) for bi, d in dots.items()])
    for bi, dots in zip(sorted(free_b), b_dots, strict=True):
        pick([(d, (ai, bi)) for ai, d in dots.items()])
    return out
