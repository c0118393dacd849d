"""Word-level diff of an aligned pair: jieba tokens, so 职业院校 → 职业学校 is one replacement."""

from __future__ import annotations

import difflib
import logging
from functools import lru_cache

from policydiff.schema import DiffOp


@lru_cache(maxsize=1)
def _tokenizer():  # type: ignore[no-untyped-def]
    # Loading the dictionary costs ~0.7 s: only done when a diff is actually produced.
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def tokens(text: str) -> list[str]:
    return list(_tokenizer().cut(text, HMM=True))


def word_diff(a: str, b: str) -> list[DiffOp]:
    ta, tb = tokens(a), tokens(b)
    sm = difflib.SequenceMatcher(a=ta, b=tb, autojunk=False)
    ops: list[DiffOp] = []
    for tag, i1, i2, j1, j2 in sm.get_opcodes():
        ops.append(DiffOp(op=tag, a="".join(ta[i1:i2]), b="".join(tb[j1:j2])))  # type: ignore[arg-type]
    return ops
