"""Fuzz: mutated seeds (lines deleted, duplicated, shuffled, labels inserted, all lines joined into one,
random Unicode spliced in) parse in time linear in their length and lose no character.

The time bound is relative: each parse may take at most LINEAR_FACTOR times the time per character of
the unmutated seed parsed in the same test (plus a fixed allowance for start-up), which a quadratic
step exceeds by orders of magnitude on these sizes while machine noise does not.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policydiff
from conftest import SEEDS
from policydiff.normalize import _PUNCT_FULL

SEED_TEXTS = [p.read_text(encoding="utf-8") for p in SEEDS]
LABELS = ["第一条 ", "第一百一十一条之一 ", "一、", "（二）", "3.", "（4）", "⑤", "第二章 ", "第一编 ", "附件1", "主办：", "目录"]
LINEAR_FACTOR = 40.0
ALLOWANCE_S = 0.5
_WIDE_ALNUM = [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
FOLD = str.maketrans({**_PUNCT_FULL, **{chr(c): chr(c - 0xFEE0) for c in _WIDE_ALNUM}})


def _chars(text: str) -> Counter[str]:
    return Counter(ch for ch in text.translate(FOLD) if not ch.isspace())


@st.composite
def mutated(draw: st.DrawFn) -> str:
    lines = draw(st.sampled_from(SEED_TEXTS)).split("\n")
    for _ in range(draw(st.integers(min_value=1, max_value=8))):
        op = draw(st.sampled_from(["delete", "duplicate", "label", "unicode", "swap"]))
        i = draw(st.integers(min_value=0, max_value=max(len(lines) - 1, 0)))
        if not lines:
            break
        if op == "delete":
            del lines[i]
        elif op == "duplicate":
            lines[i:i] = [lines[i]] * draw(st.integers(min_value=1, max_value=50))
        elif op == "label":
            lines[i] = draw(st.sampled_from(LABELS)) + lines[i]
        elif op == "unicode":
            junk = draw(st.text(min_size=1, max_size=40))
            cut = draw(st.integers(min_value=0, max_value=len(lines[i])))
            lines[i] = lines[i][:cut] + junk + lines[i][cut:]
        else:
            j = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
    joiner = draw(st.sampled_from(["\n", "\n", "", "\n\n"]))  # "" joins every line into one
    return joiner.join(lines)


def _seconds_per_char() -> float:
    text = "\n".join(SEED_TEXTS)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        policydiff.parse_text(text, name="baseline")
        best = min(best, time.perf_counter() - t0)
    return best / len(text)


PER_CHAR = _seconds_per_char()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_mutated_seed_parses_in_linear_time_and_loses_nothing(text: str) -> None:
    t0 = time.perf_counter()
    doc = policydiff.parse_text(text, name="fuzz")
    elapsed = time.perf_counter() - t0
    assert elapsed <= LINEAR_FACTOR * PER_CHAR * len(text) + ALLOWANCE_S, f"{elapsed:.2f} s for {len(text)} characters"
    # What the normalizer removed; a repeated table header stays in the text and is dropped only from its table.
    removed = "".join(d.text for d in doc.dropped if d.raw_start >= 0 and d.reason != "repeated-header")
    kept = _chars(doc.text) + _chars(removed)
    assert kept == _chars(text)


def _best_of(text: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        policydiff.parse_text(text, name="scale")
        best = min(best, time.perf_counter() - t0)
    return best


# Repeated constructs of legal texts: penalties (before and after the word) and run-in articles.
SCALING = {
    "penalties before": "对单位处一万元以上五万元以下罚款，",
    "penalties after": "处以罚款二百元，",
    "mixed penalties": "处以罚款二百元，处五日以下拘留，",
}


@pytest.mark.slow
def test_penalties_parse_in_linear_time() -> None:
    """4x the text must not take 16x the time (a quadratic overlap check did: 40,000 fines on a line, 75 s)."""
    for name, unit in SCALING.items():
        small, large = _best_of("第一条 " + unit * 1500), _best_of("第一条 " + unit * 6000)
        assert large <= 9 * small + 0.05, f"{name}: {small:.3f} s → {large:.3f} s for 4x the text"


@pytest.mark.slow
def test_run_in_articles_parse_in_linear_time() -> None:
    def text(n: int) -> str:
        return "某规则\n" + "\n".join(f"第{2 * i + 1}条 内容。第{2 * i + 2}条规定。" for i in range(n))

    small, large = _best_of(text(1500)), _best_of(text(6000))
    assert large <= 9 * small + 0.05, f"{small:.3f} s → {large:.3f} s for 4x the text"

    def one_paragraph(n: int) -> str:  # a gap (第一条 → 第三条) over one paragraph citing 第五条 n times
        return "某规则\n第一条 " + "内容。第五条规定。" * n + "\n第三条 完。\n"

    small, large = _best_of(one_paragraph(6000)), _best_of(one_paragraph(24000))
    assert large <= 9 * small + 0.05, f"one paragraph: {small:.3f} s → {large:.3f} s for 4x the text"
