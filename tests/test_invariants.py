"""hypothesis: the normalizer and parser never raise and never lose a non-space character."""

from __future__ import annotations

from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

import policydiff
from policydiff.normalize import _PUNCT_FULL, normalize

ALPHABET = st.sampled_from(list("一二三四五六七八九十（）()、.．，,。：:;；\n \t\u3000#*-—0123456789职业教育学校市局年月日号〔〕《》附件主办抄送ABCxyz[]") + ["bookmark:", "头条 22-11-03\n"])
TEXT = st.lists(ALPHABET, max_size=300).map("".join) | st.text(max_size=200)
_WIDE_ALNUM = [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]
FOLD = str.maketrans({**_PUNCT_FULL, **{chr(c): chr(c - 0xFEE0) for c in _WIDE_ALNUM}})


def _chars(text: str) -> Counter[str]:
    return Counter(ch for ch in text.translate(FOLD) if not ch.isspace())


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_normalize_keeps_every_non_space_character(text: str) -> None:
    norm = normalize(text)
    kept = _chars(norm.text) + _chars("".join(d.text for d in norm.dropped))
    assert kept == _chars(text)
    for pos in range(0, len(norm.text), 7):
        assert 0 <= norm.to_raw(pos) <= len(text)


@settings(max_examples=100, deadline=None)
@given(TEXT)
def test_parse_never_raises_and_clauses_come_from_the_text(text: str) -> None:
    doc = policydiff.parse_text(text, name="h")
    for clause in doc.clauses:
        for part in clause.text.split("\n"):
            assert part in doc.text
        assert doc.text[clause.span.start : clause.span.end].endswith(clause.text.split("\n")[-1])


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_punctuation_is_unified_per_paragraph(text: str) -> None:
    # normalize unifies each paragraph as it is finished: no rule may look across a line break.
    from policydiff.normalize import _unify_punctuation

    assert "\n".join(_unify_punctuation(p) for p in text.split("\n")) == _unify_punctuation(text)
