"""Pass 1: the normalized text as labelled paragraphs, and the sentence helpers every pass shares."""

from __future__ import annotations

import re
from dataclasses import dataclass

from policydiff.normalize import is_labelled_heading
from policydiff.text.numbering import Label, match_label

# A run up to its terminator, or up to a line end (an item ending in ；or ：is a sentence of its own).
SENTENCE_RE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」』）)]*)?")
SENTENCE_END_RE = re.compile(r"[。！？]")


@dataclass(slots=True)
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
        return is_labelled_heading(self.text, self.label)


# An inline enumeration: `1．背叛国家罪（第102条）2．分裂国家罪…` on one line.
_INLINE_LABEL_RE = re.compile(r"(?<![\d.．])(\d{1,3})[．.](?![\d.．])")
MIN_INLINE_RUN = 3  # labels in a row that make a line a list rather than a sentence with numbers in it


def paragraphs(text: str) -> list[Para]:
    out = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            para = Para(text=line, start=pos, end=pos + len(line), label=match_label(line))
            out.extend(_split_inline_list(para))
        pos += len(line) + 1
    return out


def _split_inline_list(para: Para) -> list[Para]:
    """A line that lists 1． 2． 3． … one after another holds one labelled paragraph per number."""
    label = para.label
    if label is None or label.style != "arabic" or para.text.count(label.text[-1]) < MIN_INLINE_RUN:
        return [para]
    cuts = [0]
    expected = label.value + 1
    for m in _INLINE_LABEL_RE.finditer(para.text, label.end):
        if int(m.group(1)) == expected and m.group(0)[-1] == label.text[-1]:
            cuts.append(m.start())
            expected += 1
    if len(cuts) < MIN_INLINE_RUN:
        return [para]
    out = []
    for a, b in zip(cuts, [*cuts[1:], len(para.text)], strict=True):
        piece = para.text[a:b].rstrip()
        out.append(Para(text=piece, start=para.start + a, end=para.start + a + len(piece), label=match_label(piece)))
    return out


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE_RE.findall(text) if s.strip()]


def lead_sentence(text: str) -> str:
    cut = SENTENCE_END_RE.search(text)
    return (text[: cut.start()] if cut else text).strip()
