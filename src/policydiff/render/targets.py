"""Targets of several documents side by side, matched by subject and unit.

A row is one measure. Rows are built by complete-linkage grouping, most similar subjects
first: every two targets in a row have the same unit and subjects at least SUBJECT_MATCH
similar, and none differ in a distinguishing word (中职/高职, 国家级/省级, 招生/在校生…).
A document gives a row at most one target, or one time series: targets of one subject
with different deadline years (30% by 2022, 60% by 2023, 90% by 2024).
"""

from __future__ import annotations

import re
from itertools import combinations

from rapidfuzz.distance import Indel

from policydiff.render.numbers import plain_number
from policydiff.schema import Document
from policydiff.vocabulary import domain_roles, domain_values

# Subjects this similar (same unit) may be the same measure in different plans.
SUBJECT_MATCH = 0.6
# Words that make two otherwise similar subjects different measures: within one group, two
# subjects naming different words are never merged (中等职业学校在校生规模 ≠ 高等职业学校…, ≠ …招生规模).
DISTINGUISHING: list[dict[str, str]] = [domain_values(role) for role in domain_roles("distinguishing:")]  # data/domain.tsv
_CLASS_RE = [re.compile("|".join(sorted(map(re.escape, words), key=len, reverse=True))) for words in DISTINGUISHING]


def distinguishing(subject: str) -> tuple[frozenset[str], ...]:
    """The distinguishing words of a subject, one set per class (empty when it names none)."""
    return tuple(frozenset(words[m] for m in rx.findall(subject)) for words, rx in zip(DISTINGUISHING, _CLASS_RE, strict=True))


def compatible(a: str, b: str) -> bool:
    """Same unit assumed: can subjects `a` and `b` be one measure?"""
    if Indel.normalized_similarity(a, b) < SUBJECT_MATCH:
        return False
    return all(not x or not y or x == y for x, y in zip(distinguishing(a), distinguishing(b), strict=True))


def _cell(r: dict[str, object]) -> str:
    def num(x: object) -> str:
        return plain_number(x) if isinstance(x, (float, int)) else str(x)

    if r["comparator"] == "range":
        value = f"{num(r['low'])}—{num(r['high'])}"
    else:
        value = num(r["value"] if r["value"] is not None else r["low"] if r["low"] is not None else r["high"])
    sign = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "approx": "≈"}.get(str(r["comparator"]), "")
    year = f" ({r['year']})" if r["year"] else ""
    return f"{sign}{value}{r['unit']}{year}"


def _nodes(rows: list[dict[str, object]]) -> list[list[int]]:
    """Row indices grouped into the units a document contributes: a time series of one subject
    (distinct years) is one unit, every other target its own."""
    by_key: dict[tuple[object, object, object], list[int]] = {}
    for i, r in enumerate(rows):
        by_key.setdefault((r["doc"], r["subject"], r["unit"]), []).append(i)
    nodes: list[list[int]] = []
    for members in by_key.values():
        years = [rows[i]["year"] for i in members]
        if len(members) > 1 and None not in years and len(set(years)) == len(years):
            nodes.append(members)
        else:
            nodes.extend([i] for i in members)
    nodes.sort(key=lambda n: n[0])
    return nodes


def group_targets(rows: list[dict[str, object]]) -> list[list[int]]:
    """Indices of `rows` (non-baseline targets) grouped into measures, in order of first appearance."""
    nodes = _nodes(rows)
    subject = [str(rows[n[0]]["subject"]) for n in nodes]
    doc = [rows[n[0]]["doc"] for n in nodes]
    unit = [rows[n[0]]["unit"] for n in nodes]
    edges = []
    for i, j in combinations(range(len(nodes)), 2):
        if doc[i] != doc[j] and unit[i] == unit[j] and compatible(subject[i], subject[j]):
            edges.append((-Indel.normalized_similarity(subject[i], subject[j]), i, j))
    edges.sort()
    group = list(range(len(nodes)))  # node -> group id
    members: dict[int, list[int]] = {i: [i] for i in range(len(nodes))}
    for _, i, j in edges:
        gi, gj = group[i], group[j]
        if gi == gj:
            continue
        a, b = members[gi], members[gj]
        # One target (or series) per document, and every two members one measure.
        if {doc[k] for k in a} & {doc[k] for k in b}:
            continue
        if not all(compatible(subject[x], subject[y]) for x in a for y in b):
            continue
        for k in b:
            group[k] = gi
        a.extend(b)
        del members[gj]
    out = [sorted(i for k in ms for i in nodes[k]) for ms in members.values()]
    out.sort(key=lambda g: g[0])
    return out


def compare_rows(docs: list[Document], rows: list[dict[str, object]]) -> tuple[list[str], list[list[object]]]:
    kept = [r for r in rows if r["kind"] != "baseline"]
    names = [d.name for d in docs]
    header = ["subject", "unit", *names]
    out: list[list[object]] = []
    for g in group_targets(kept):
        first = kept[g[0]]
        cells: dict[object, list[str]] = {}
        for i in sorted(g, key=lambda i: (kept[i]["year"] is None, kept[i]["year"] or 0, i)):
            cells.setdefault(kept[i]["doc"], []).append(_cell(kept[i]))
        out.append([first["subject"], first["unit"], *("; ".join(cells.get(n, [])) for n in names)])
    # Subjects shared by several documents first: that is what a comparison is for.
    out.sort(key=lambda row: -sum(1 for c in row[2:] if c))
    return header, out


TYPED_FIELDS = ("comparator", "value", "low", "high", "unit", "year")


def typed_compare_rows(docs: list[Document], rows: list[dict[str, object]]) -> tuple[list[str], list[list[object]]]:
    """The `--compare` table for CSV and JSON: typed columns per document (`<doc>.value`, `.low`,
    `.high`, `.comparator`, `.unit`, `.year`) instead of display strings. A time series (several
    targets of one document in a measure) takes one row per target, the rows sharing `measure`."""
    kept = [r for r in rows if r["kind"] != "baseline"]
    names = [d.name for d in docs]
    header = ["measure", "subject", "unit", *(f"{n}.{f}" for n in names for f in TYPED_FIELDS)]
    groups = group_targets(kept)
    # Same order as the display table: measures most documents share first.
    groups.sort(key=lambda g: -len({kept[i]["doc"] for i in g}))
    out: list[list[object]] = []
    for measure, g in enumerate(groups, 1):
        per_doc: dict[object, list[dict[str, object]]] = {}
        for i in sorted(g, key=lambda i: (kept[i]["year"] is None, kept[i]["year"] or 0, i)):
            per_doc.setdefault(kept[i]["doc"], []).append(kept[i])
        first = kept[g[0]]
        for k in range(max(len(v) for v in per_doc.values())):
            row: list[object] = [measure, first["subject"], first["unit"]]
            for n in names:
                series = per_doc.get(n, [])
                t = series[k] if k < len(series) else None
                row += [t[f] if t else None for f in TYPED_FIELDS]
            out.append(row)
    return header, out
