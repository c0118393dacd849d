"""Numeric changes inside aligned pairs, from the targets of the clauses.

Old and new targets are matched by one global assignment over all candidate pairs (same
unit, subjects at least SUBJECT_MATCH similar), best score first: subject similarity, then
same value, same comparator, same deadline year and the same place in the clause. So an
exact 50% → 50% match is never broken up because an earlier, less similar target took it.

Merged and split pairs are matched as a group: the targets of every parent clause against
those of every child clause it is paired with. A parent target that went to a sibling
child clause is not "removed"; only targets found in none of the clauses aligned with it
are. Removed targets are listed once, in the parent clause's main pair, added ones once,
in the child clause's main pair.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from rapidfuzz.distance import Indel

from policydiff.schema import Clause, Document, NumericChange, Target
from policydiff.text.numbers import plain_number

# Two targets can measure the same thing when their subjects are this similar (same unit).
SUBJECT_MATCH = 0.5
# Added to the subject similarity (0–1) of a candidate match; subject similarity dominates.
SAME_VALUE = 0.3  # same value (or range); a different value earns up to NEAR_VALUE by its ratio
NEAR_VALUE = 0.15
SAME_COMPARATOR = 0.1
SAME_YEAR = 0.1
SAME_PLACE = 0.05  # same relative position among the targets of its side

SIGN = {"eq": "", "ge": "≥", "gt": ">", "le": "≤", "lt": "<", "approx": "≈", "range": ""}


def _value(t: Target) -> float | None:
    if t.value is not None:
        return t.value
    if t.low is not None and t.high is not None:
        return (t.low + t.high) / 2
    return t.low if t.low is not None else t.high


def _amount(t: Target) -> tuple[float | None, ...]:
    """What the target states as numbers, regardless of how the comparator is stored."""
    return (t.low, t.high) if t.comparator == "range" else (_value(t),)


def _show(t: Target, year: bool = False) -> str:
    """The target as a reader quotes it: comparator sign always (≥100家), its deadline year when
    it has one, or `(no year)` when `year` asks for it (the other side has one)."""
    if t.comparator == "range":
        out = f"{plain_number(t.low)}—{plain_number(t.high)}{t.unit}"
    else:
        out = f"{SIGN[t.comparator]}{plain_number(_value(t))}{t.unit}"
    if t.year:
        out += f" ({t.year})"
    elif year:
        out += " (no year)"
    return out


def match_score(old: Target, new: Target, place: float = 0.0) -> float | None:
    """Score of reading `new` as the successor of `old`; None when they cannot be the same measure.

    `place` is the difference (0–1) of their relative positions among the targets of their side.
    """
    if old.unit != new.unit:
        return None
    sim = Indel.normalized_similarity(old.subject, new.subject)
    if sim < SUBJECT_MATCH:
        return None
    score = sim
    ov, nv = _value(old), _value(new)
    if _amount(old) == _amount(new):
        score += SAME_VALUE
    elif ov and nv and ov > 0 and nv > 0:
        score += NEAR_VALUE * min(ov, nv) / max(ov, nv)
    if old.comparator == new.comparator:
        score += SAME_COMPARATOR
    if old.year == new.year:
        score += SAME_YEAR
    return score + SAME_PLACE * (1 - place)


def assign(olds: list[Target], news: list[Target], allowed: Iterable[tuple[int, int]] | None = None) -> dict[int, int]:
    """Old index → new index: greedy by score over all candidates, each target used once.

    Greedy on the global ranking (not old by old), so the best-scoring matches always win.
    `allowed` restricts the candidate (old, new) index pairs.
    """

    def rel(i: int, n: int) -> float:
        return i / (n - 1) if n > 1 else 0.0

    cands = allowed if allowed is not None else ((i, j) for i in range(len(olds)) for j in range(len(news)))
    scored = []
    for i, j in cands:
        s = match_score(olds[i], news[j], abs(rel(i, len(olds)) - rel(j, len(news))))
        if s is not None:
            scored.append((-s, i, j))
    scored.sort()
    out: dict[int, int] = {}
    taken: set[int] = set()
    for _, i, j in scored:
        if i not in out and j not in taken:
            out[i] = j
            taken.add(j)
    return out


def change(old: Target, new: Target) -> NumericChange:
    """One matched pair of targets; value, comparator and deadline year all count as changes."""
    aspects: list[str] = []
    if old.comparator == "range" or new.comparator == "range":
        if _amount(old) != _amount(new) or old.comparator != new.comparator:
            aspects.append("value")
    elif _amount(old) != _amount(new):
        aspects.append("value")
    if old.comparator != new.comparator:
        aspects.append("comparator")
    if old.year != new.year:
        aspects.append("year")
    same = not aspects
    ov, nv = _value(old), _value(new)
    scale = None
    if "value" in aspects and ov and nv is not None and "range" not in (old.comparator, new.comparator):
        scale = round(nv / ov, 4)
    year = "year" in aspects
    text = f"{_show(old, year)} → {_show(new, year)}" + (f" (×{plain_number(scale)})" if scale else "")
    return NumericChange(
        subject=new.subject,
        unit=new.unit,
        change="same" if same else "changed",
        aspects=aspects,  # type: ignore[arg-type]
        old=old,
        new=new,
        scale=scale,
        text=text,
    )


def removed(old: Target) -> NumericChange:
    return NumericChange(subject=old.subject, unit=old.unit, change="removed", old=old, text=f"{_show(old)} → —")


def added(new: Target) -> NumericChange:
    return NumericChange(subject=new.subject, unit=new.unit, change="added", new=new, text=f"— → {_show(new)}")


def numeric_changes(a: Clause, b: Clause) -> list[NumericChange]:
    """Changes between the targets of one parent clause and one child clause."""
    return group_changes([(0, 0)], [a], [b])[(0, 0)]


def group_changes(
    pairs: list[tuple[int, int]],
    a_clauses: list[Clause],
    b_clauses: list[Clause],
    home_a: Mapping[int, int] | None = None,
    home_b: Mapping[int, int] | None = None,
) -> dict[tuple[int, int], list[NumericChange]]:
    """Numeric changes of every (parent, child) pair, matched per group of connected pairs.

    `home_a[ai]` is the child clause whose pair lists ai's removed targets (default: its first
    pair), `home_b[bi]` the parent clause whose pair lists bi's added targets.
    """
    home_a, home_b = home_a or {}, home_b or {}
    pair_set = set(pairs)
    # Connected groups of pairs (union-find over parent and child clauses).
    root: dict[tuple[str, int], tuple[str, int]] = {}

    def find(x: tuple[str, int]) -> tuple[str, int]:
        while root.setdefault(x, x) != x:
            root[x] = root[root[x]]
            x = root[x]
        return x

    for ai, bi in pairs:
        root[find(("a", ai))] = find(("b", bi))
    groups: dict[tuple[str, int], list[tuple[int, int]]] = {}
    for p in pairs:
        groups.setdefault(find(("a", p[0])), []).append(p)

    out: dict[tuple[int, int], list[NumericChange]] = {p: [] for p in pairs}
    for members in groups.values():
        parents = sorted({ai for ai, _ in members})
        children = sorted({bi for _, bi in members})
        olds = [(ai, t) for ai in parents for t in a_clauses[ai].targets]
        news = [(bi, t) for bi in children for t in b_clauses[bi].targets]
        allowed = [(i, j) for i, (ai, _) in enumerate(olds) for j, (bi, _) in enumerate(news) if (ai, bi) in pair_set]
        matched = assign([t for _, t in olds], [t for _, t in news], allowed)
        new_taken = set(matched.values())

        def home(mapping: Mapping[int, int], key: int, options: list[int]) -> int:
            h = mapping.get(key)
            return h if h in options else options[0]

        for ai, bi in sorted(members, key=lambda p: (p[1], p[0])):
            a_homes = [b for a, b in members if a == ai]
            b_homes = [a for a, b in members if b == bi]
            rows = out[(ai, bi)]
            for i, (oa, old) in enumerate(olds):
                if oa != ai:
                    continue
                j = matched.get(i)
                if j is not None:
                    if news[j][0] == bi:
                        rows.append(change(old, news[j][1]))
                elif home(home_a, ai, sorted(a_homes)) == bi:
                    rows.append(removed(old))
            for j, (nb, new) in enumerate(news):
                if nb == bi and j not in new_taken and home(home_b, bi, sorted(b_homes)) == ai:
                    rows.append(added(new))
    return out


def outside_targets(doc: Document) -> list[Target]:
    """Targets outside clauses: preamble, closing and attachments, then section text and items."""
    return [*doc.targets, *(t for s in doc.iter_sections() for t in s.targets)]


def document_changes(a: Document, b: Document) -> list[NumericChange]:
    """Changes between the targets outside clauses of two documents (the headline goals of a
    preamble: 中职在校生 45万人 → 3万人), matched by one global assignment as in clauses."""
    olds, news = outside_targets(a), outside_targets(b)
    matched = assign(olds, news)
    out = [change(old, news[matched[i]]) if i in matched else removed(old) for i, old in enumerate(olds)]
    taken = set(matched.values())
    out += [added(new) for j, new in enumerate(news) if j not in taken]
    for n in out:
        n.outside = True
    return out


def unpaired_changes(clause: Clause, side: str) -> list[NumericChange]:
    """The targets of a dropped (side a) or added (side b) clause, as removed or added."""
    return [removed(t) if side == "a" else added(t) for t in clause.targets]
