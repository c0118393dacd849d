"""Numeric changes inside an aligned pair, from the targets of both clauses."""

from __future__ import annotations

from rapidfuzz.distance import Indel

from policydiff.schema import Clause, NumericChange, Target

# Two targets measure the same thing when their subjects are this similar (same unit).
SUBJECT_MATCH = 0.5


def _value(t: Target) -> float | None:
    if t.value is not None:
        return t.value
    if t.low is not None and t.high is not None:
        return (t.low + t.high) / 2
    return t.low if t.low is not None else t.high


def _show(t: Target) -> str:
    def num(x: float | None) -> str:
        if x is None:
            return "?"
        return str(int(x)) if float(x).is_integer() else f"{x:g}"

    if t.comparator == "range":
        return f"{num(t.low)}—{num(t.high)}{t.unit}"
    return f"{num(_value(t))}{t.unit}"


def numeric_changes(a: Clause, b: Clause) -> list[NumericChange]:
    olds, news = list(a.targets), list(b.targets)
    out: list[NumericChange] = []
    used: set[int] = set()
    for old in olds:
        best, best_sim = -1, 0.0
        for j, new in enumerate(news):
            if j in used or new.unit != old.unit:
                continue
            sim = Indel.normalized_similarity(old.subject, new.subject)
            if sim > best_sim:
                best, best_sim = j, sim
        if best < 0 or best_sim < SUBJECT_MATCH:
            out.append(NumericChange(subject=old.subject, unit=old.unit, change="removed", old=old, text=f"{_show(old)} → —"))
            continue
        used.add(best)
        new = news[best]
        ov, nv = _value(old), _value(new)
        same = (old.comparator, old.value, old.low, old.high) == (new.comparator, new.value, new.low, new.high)
        scale = round(nv / ov, 4) if ov and nv is not None and old.comparator != "range" and new.comparator != "range" else None
        out.append(
            NumericChange(
                subject=new.subject,
                unit=new.unit,
                change="same" if same else "changed",
                old=old,
                new=new,
                scale=None if same else scale,
                text=f"{_show(old)} → {_show(new)}" + (f" (×{scale:g})" if scale and not same else ""),
            )
        )
    for j, new in enumerate(news):
        if j not in used:
            out.append(NumericChange(subject=new.subject, unit=new.unit, change="added", new=new, text=f"— → {_show(new)}"))
    return out
