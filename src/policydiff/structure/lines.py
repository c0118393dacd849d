"""Pass 1: the normalized text as labelled paragraphs, and the sentence helpers every pass shares."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from policydiff.normalize import is_labelled_heading
from policydiff.text.numbering import CONTAINER_STYLES, Label, match_label

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
    return _unlabel_wrapped_references(_split_run_in_articles(out))


# How a paragraph that a new article may follow ends; a line ending otherwise was wrapped mid-sentence.
_CLOSED_ENDINGS = ("。", "；", "：", "！", "？", "”", "」", "）", ")", ";", ":", ".")


def _unlabel_wrapped_references(paras: list[Para]) -> list[Para]:
    """A line wrapped in the middle of a sentence may start with a cited article (`…依照本条例` /
    `第二十条规定的情形除外。`): it is no label when its number breaks the sequence that the next article
    continues (第十条, 第二十条, 第十一条; or 第十条, 第十一条, 第十一条) and the line before it does not end a
    sentence."""
    articles = _numbered_articles(paras)
    out = list(paras)
    for (_, a), (i, x), (j, b) in zip(articles, articles[1:], articles[2:], strict=False):
        if paras[i].label.key != str(x):  # type: ignore[union-attr]
            continue  # 第十七条之一 follows 第十七条 by design
        repeat = x == b == a + 1 and paras[j].label.key == str(b)  # type: ignore[union-attr]  # 10, 11, 11
        if not ((x != a + 1 and b == a + 1) or repeat):  # 10, 20, 11
            continue
        before = paras[i - 1]
        heading = before.label is not None and before.label.style in CONTAINER_STYLES  # 第二章 总则 ends nothing
        if not heading and not before.text.rstrip().endswith(_CLOSED_ENDINGS):
            p = paras[i]
            out[i] = Para(text=p.text, start=p.start, end=p.end, label=None)
    return out


# An article after a sentence end inside a paragraph: `…由主席团会议决定。 第十六条市人民…`.
_LABEL_REACH = 24  # characters enough for any article label (第一千二百六十条之一 and its space)
MAX_RUN_IN = 30  # articles one lost line-break run may hold: a longer gap is missing text, not layout
_RUN_IN_ARTICLE_RE = re.compile(r"(?<=[。；！？])[ \t\u3000]*(?=第[0-9一二三四五六七八九十百千零〇两]+条)")


def _split_run_in_articles(paras: list[Para]) -> list[Para]:
    """Where the article numbers skip (第十五条, then 第十七条) and the paragraphs between hold every missing
    number in order, each right after a sentence end (`…决定。 第十六条…`), those articles lost their line
    breaks (a converted or scraped text): each becomes its own paragraph. Only the missing numbers are
    split out, and only all of them, so a sentence that cites an article is left as it is."""
    articles = _numbered_articles(paras)
    cuts: dict[int, list[int]] = {}  # paragraph index -> offsets where run-in articles start
    for (i, a), (j, b) in itertools.pairwise(articles):
        if not a + 1 < b <= a + MAX_RUN_IN:
            continue
        found: list[tuple[int, int]] = []
        expected = a + 1
        for k in range(i, j):
            for m in _RUN_IN_ARTICLE_RE.finditer(paras[k].text):
                # A label is short: a bounded slice keeps a long paragraph of many matches linear.
                if expected < b and _is_article(paras[k].text[m.end() : m.end() + _LABEL_REACH], expected):
                    found.append((k, m.end()))
                    expected += 1
        if expected == b:
            for k, offset in found:
                cuts.setdefault(k, []).append(offset)
    if not cuts:
        return paras
    out: list[Para] = []
    for k, para in enumerate(paras):
        bounds = [0, *cuts.get(k, []), len(para.text)]
        for n, (lo, hi) in enumerate(itertools.pairwise(bounds)):
            piece = para.text[lo:hi].rstrip()
            label = para.label if n == 0 else match_label(piece)
            out.append(Para(text=piece, start=para.start + lo, end=para.start + lo + len(piece), label=label))
    return out


def _numbered_articles(paras: list[Para]) -> list[tuple[int, int]]:
    """(paragraph index, number) of every paragraph labelled 第X条 (之Y ones included)."""
    return [(i, p.label.value) for i, p in enumerate(paras) if p.label and p.label.style == "article" and isinstance(p.label.value, int)]


def _is_article(text: str, number: int) -> bool:
    label = match_label(text)
    return label is not None and label.style == "article" and label.key == str(number)


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
