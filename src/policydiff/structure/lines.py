"""Pass 1: the normalized text as labelled paragraphs, and the sentence helpers every pass shares."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policydiff.numbering import Label, match_label

SENTENCE_RE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』）)]*|$)")
SENTENCE_END_RE = re.compile(r"[。！？]")


@dataclass
class Para:
    """One paragraph of the normalized text with its numbering label, if it starts with one."""

    text: str
    start: int
    end: int
    label: Label | None = None

    @property
    def rest(self) -> str:
        """The text after the label."""
        return self.text[self.label.end :] if self.label else self.text

    @property
    def is_heading(self) -> bool:
        """A short labelled line without a sentence end: 第一章 总则, 一、总体要求."""
        return self.label is not None and not SENTENCE_END_RE.search(self.rest) and len(self.rest) <= 50


def paragraphs(text: str) -> list[Para]:
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append(Para(text=line, start=pos, end=pos + len(line), label=match_label(line)))
        pos += len(line) + 1
    return out


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_RE.findall(text) if s.strip()]


def lead_sentence(text: str) -> str:
    cut = SENTENCE_END_RE.search(text)
    return (text[: cut.start()] if cut else text).strip()
