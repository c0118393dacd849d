"""Precision and recall of the `related` relation against the sibling golds in tests/fixtures/siblings.

A gold lists every pair of clauses that treat the same measure (core), and pairs that overlap in
part (partial: credited when found, never a false positive). Two figures per gold:
- related: the `related` pairs alone, against the core pairs the textual alignment did not find;
- all pairs: textual and related pairs together, against every core pair.

usage: python benchmarks/related_gold.py [--calibrate]   (--calibrate sweeps the cutoff on the calibration gold only)
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SIB = ROOT / "tests" / "fixtures" / "siblings"
RAW = ROOT / "data" / "raw"
# The cutoff (align.related.RELATED_MATCH) is calibrated on the first gold and scored on the second.
CALIBRATION = (SIB / "gold-beijing-henan.tsv", SIB / "beijing-vocational-education-law-measures.md", SIB / "henan-vocational-education-law-measures-2010.md")
TEST = (SIB / "gold-zhengzhou-kaifeng.tsv", RAW / "zhengzhou-2022-highland-plan.txt", RAW / "kaifeng-2021-expansion-plan.txt")
GOLDS = {"calibration": CALIBRATION, "test": TEST}


@dataclass
class Score:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def __str__(self) -> str:
        return f"precision={self.precision:.3f} recall={self.recall:.3f} (tp={self.tp} fp={self.fp} fn={self.fn})"


def load_gold(path: Path) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    core, partial = set(), set()
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        a, b, kind, *_ = line.split("\t")
        (core if kind == "core" else partial).add((a.strip(), b.strip()))
    return core, partial


def predicted(a_path: Path, b_path: Path, cutoff: float | None = None) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(textual pairs, related pairs) by clause names as the reports show them."""
    import policydiff
    from policydiff.align.related import RELATED_MATCH
    from policydiff.render.common import clause_names

    a, b = policydiff.parse_file(a_path), policydiff.parse_file(b_path)
    al = policydiff.compare(a, b, related=RELATED_MATCH if cutoff is None else cutoff)
    an, bn = clause_names(a), clause_names(b)
    textual, related = set(), set()
    for p in al.pairs:
        if p.a_id and p.b_id:
            (related if p.relation == "related" else textual).add((an[p.a_id], bn[p.b_id]))
    return textual, related


def score(gold: Path, a_path: Path, b_path: Path, cutoff: float | None = None) -> tuple[Score, Score]:
    core, partial = load_gold(gold)
    textual, related = predicted(a_path, b_path, cutoff)
    left = core - textual
    rel = Score(len(related & left), len(related - core - partial), len(left - related))
    both = textual | related
    return rel, Score(len(both & core), len(both - core - partial), len(core - both))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calibrate", action="store_true", help="sweep the cutoff on the calibration gold")
    args = ap.parse_args()
    if args.calibrate:
        for k in range(8, 40, 2):
            rel, both = score(*CALIBRATION, cutoff=k / 100)
            f1 = 2 * rel.precision * rel.recall / (rel.precision + rel.recall) if rel.precision + rel.recall else 0.0
            print(f"cutoff {k / 100:.2f}: related {rel}  f1={f1:.3f}")
        return
    for name, (gold, a, b) in GOLDS.items():
        rel, both = score(gold, a, b)
        print(f"{name} gold {gold.name}: related {rel}; all pairs {both}")


if __name__ == "__main__":
    main()
