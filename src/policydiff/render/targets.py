"""Targets of several documents side by side, matched by subject and unit."""

from __future__ import annotations

from rapidfuzz.distance import Indel

from policydiff.schema import Document

# Subjects this similar (same unit) are the same measure in different plans.
SUBJECT_MATCH = 0.6


def _cell(r: dict[str, object]) -> str:
    def num(x: object) -> str:
        return f"{x:g}" if isinstance(x, float) else str(x)

    if r["comparator"] == "range":
        value = f"{num(r['low'])}—{num(r['high'])}"
    else:
        value = num(r["value"] if r["value"] is not None else r["low"] if r["low"] is not None else r["high"])
    sign = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "approx": "≈"}.get(str(r["comparator"]), "")
    year = f" ({r['year']})" if r["year"] else ""
    return f"{sign}{value}{r['unit']}{year}"


def compare_rows(docs: list[Document], rows: list[dict[str, object]]) -> tuple[list[str], list[list[object]]]:
    groups: list[dict[str, object]] = []  # subject, unit, cells per doc
    for r in rows:
        if r["kind"] == "baseline":
            continue
        for g in groups:
            if g["unit"] == r["unit"] and Indel.normalized_similarity(str(g["subject"]), str(r["subject"])) >= SUBJECT_MATCH:
                break
        else:
            g = {"subject": r["subject"], "unit": r["unit"], "cells": {}}
            groups.append(g)
        cells = g["cells"]
        assert isinstance(cells, dict)
        cells.setdefault(r["doc"], []).append(_cell(r))
    names = [d.name for d in docs]
    header = ["subject", "unit", *names]
    out: list[list[object]] = []
    for g in groups:
        cells = g["cells"]
        assert isinstance(cells, dict)
        out.append([g["subject"], g["unit"], *("; ".join(cells.get(n, [])) for n in names)])
    # Subjects shared by several documents first: that is what a comparison is for.
    out.sort(key=lambda row: -sum(1 for c in row[2:] if c))
    return header, out
