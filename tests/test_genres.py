"""Real documents of every genre parse to the tree a careful reader sees (issue 11).

Fixtures: tests/fixtures/genres/ (laws, regulations, rules, judicial interpretations, local regulations and saved
government web pages, copied byte-exact; sources in SOURCES.tsv). Expectations: expected.json, written by reading
each document, never by running policydiff.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import date
from functools import cache
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import policydiff
from policydiff.schema import Clause, Document

GENRES = Path(__file__).parent / "fixtures" / "genres"
EXPECTED: dict[str, Any] = json.loads((GENRES / "expected.json").read_text(encoding="utf-8"))
DOCS: list[dict[str, Any]] = EXPECTED["documents"]
WEB: list[dict[str, Any]] = EXPECTED["web"]

# Half- and full-width forms the normalizer may unify; folded the same way on both sides of a comparison.
_FOLD = str.maketrans(
    {
        ",": "，", ":": "：", ";": "；", "!": "！", "?": "？", "(": "（", ")": "）",
        **{chr(c): chr(c - 0xFEE0) for c in (*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B))},
    }
)
_SPACE_RE = re.compile(r"\s+")
_COMMENT_RE = re.compile(r"<!--.*?-->", re.DOTALL)
_TABLE_RULE_RE = re.compile(r"^\s*\|?[\s:|-]*-{3,}[\s:|-]*$", re.MULTILINE)
_SENTENCE_SPLIT_RE = re.compile(r"[。！？\n]")
_ARTICLE_KEY_RE = re.compile(r"^(\d+)(之[一二三四五六七八九十]+)?$")


def canon(text: str) -> str:
    """Text compared without spaces, table bars or width differences."""
    return _SPACE_RE.sub("", text.translate(_FOLD)).replace("|", "")


def source_sentences(raw: str) -> list[str]:
    """The raw markdown's sentences: split on 。！？ and line breaks, markdown marks removed, short ones skipped."""
    text = _TABLE_RULE_RE.sub("", _COMMENT_RE.sub("\n", raw))
    out = []
    for piece in _SENTENCE_SPLIT_RE.split(text):
        sentence = canon(piece.lstrip().lstrip("#"))
        if len(sentence) >= 4:
            out.append(sentence)
    return out


@cache
def parsed(rel: str) -> Document:
    return policydiff.parse_file(GENRES / rel)


def articles(doc: Document) -> list[Clause]:
    return [c for c in doc.clauses if c.style == "article"]


def find_article(doc: Document, key: str) -> Clause:
    """The article labelled `key` ("17" or "17之一"), whether the label is kept as digits or as written."""
    m = _ARTICLE_KEY_RE.match(key)
    assert m, key
    number, suffix = int(m.group(1)), m.group(2) or ""
    found = [c for c in articles(doc) if c.number == number and (c.label.endswith(suffix) if suffix else "之" not in c.label)]
    assert len(found) == 1, f"article {key}: {len(found)} clauses match ({[c.label for c in found]})"
    return found[0]


def _ids(entries: list[dict[str, Any]]) -> list[str]:
    return [e["file"] for e in entries]


def _kinds(expected: str | list[str]) -> list[str]:
    return expected if isinstance(expected, list) else [expected]


def check_dates(doc: Document, expected: list[dict[str, Any]]) -> None:
    found = {(d.kind, d.date) for d in doc.metadata.dates}
    for want in expected:
        day = date.fromisoformat(want["date"])
        assert any((kind, day) in found for kind in _kinds(want["kind"])), f"{want} not in {sorted(found)}"


@pytest.mark.parametrize("exp", DOCS, ids=_ids(DOCS))
def test_title_and_kind(exp: dict[str, Any]) -> None:
    doc = parsed(exp["file"])
    assert doc.metadata.title == exp["title"]
    assert doc.metadata.doc_kind in _kinds(exp["doc_kind"])


@pytest.mark.parametrize("exp", DOCS, ids=_ids(DOCS))
def test_article_count_and_labels(exp: dict[str, Any]) -> None:
    doc = parsed(exp["file"])
    assert len(articles(doc)) == exp["articles"]
    for key in exp.get("zhiyi", []):
        clause = find_article(doc, key)
        assert not clause.text.startswith("之"), f"{key}: the suffix leaked into the text"


@pytest.mark.parametrize("exp", [e for e in DOCS if e.get("items")], ids=_ids([e for e in DOCS if e.get("items")]))
def test_items_stay_in_their_article(exp: dict[str, Any]) -> None:
    doc = parsed(exp["file"])
    for key, count in exp["items"].items():
        clause = find_article(doc, key)
        assert len(clause.items) == count, f"article {key}"
        for item in clause.items:
            assert canon(item.text) in canon(clause.text), f"article {key}: item {item.label} is not part of its text"


@pytest.mark.parametrize("exp", DOCS, ids=_ids(DOCS))
def test_no_article_nested_in_another(exp: dict[str, Any]) -> None:
    doc = parsed(exp["file"])
    arts = sorted(articles(doc), key=lambda c: c.span.start)
    for before, after in itertools.pairwise(arts):
        assert before.span.end <= after.span.start, f"{after.label} lies inside {before.label}"
    for section in doc.iter_sections():
        if section.style in ("cn-paren", "arabic", "arabic-paren", "circled"):
            assert not [c for c in section.clauses if c.style == "article"], f"articles under item-like section {section.title!r}"
    # An article swallowed by an item shows up as its whole first paragraph inside that item's text
    # (a shorter opening is not enough: items often repeat an article's list of parties word for word).
    openings = [(c, canon(c.text.split("\n", 1)[0])) for c in arts]
    openings = [(c, o) for c, o in openings if len(o) >= 12]
    for clause in doc.clauses:
        for item in clause.items:
            text = canon(item.text)
            inside = [other.label for other, opening in openings if other is not clause and opening in text]
            assert not inside, f"articles {inside} sit in item {item.label} of {clause.label}"


@pytest.mark.parametrize("exp", DOCS, ids=_ids(DOCS))
def test_containers(exp: dict[str, Any]) -> None:
    doc = parsed(exp["file"])
    styles = [s.style for s in doc.iter_sections()]
    for key, style in (("parts", "part"), ("subparts", "subpart"), ("chapters", "chapter"), ("sections", "section-cn")):
        assert styles.count(style) == exp.get(key, 0), key


@pytest.mark.parametrize("exp", DOCS, ids=_ids(DOCS))
def test_header_dates(exp: dict[str, Any]) -> None:
    check_dates(parsed(exp["file"]), exp["dates"])


@pytest.mark.parametrize("exp", DOCS, ids=_ids(DOCS))
def test_every_source_sentence_is_kept(exp: dict[str, Any]) -> None:
    doc = parsed(exp["file"])
    kept = canon(doc.text) + "\x00" + "\x00".join(canon(d.text) for d in doc.dropped)
    raw = (GENRES / exp["file"]).read_text(encoding="utf-8")
    lost = [s for s in source_sentences(raw) if s not in kept]
    assert not lost, f"{len(lost)} sentences lost, first: {lost[:3]}"


@pytest.mark.parametrize("exp", WEB, ids=_ids(WEB))
def test_web_page(exp: dict[str, Any]) -> None:
    doc = parsed(exp["file"])
    wrong = []  # every miss of the page at once: a page is read as a whole
    if doc.metadata.title != exp["title"]:
        wrong.append(f"title {doc.metadata.title!r}")
    if exp.get("publish_date") and doc.metadata.publish_date != date.fromisoformat(exp["publish_date"]):
        wrong.append(f"publish_date {doc.metadata.publish_date}")
    if exp.get("index_number") and doc.metadata.index_number != exp["index_number"]:
        wrong.append(f"index_number {doc.metadata.index_number!r}")
    found = {(d.kind, d.date) for d in doc.metadata.dates}
    wrong += [f"date {d}" for d in exp.get("dates", []) if not any((k, date.fromisoformat(d["date"])) in found for k in _kinds(d["kind"]))]
    text = canon(doc.text)
    wrong += [f"main text lost: {s}" for s in exp.get("main_text", []) if canon(s) not in text]
    inside = [canon(c.text) for c in doc.clauses] + [canon(s.title) for s in doc.iter_sections()]
    wrong += [f"site text in the tree: {f}" for f in exp["furniture"] if any(canon(f) in t for t in inside)]
    if "articles" in exp:
        if len(articles(doc)) != exp["articles"]:
            wrong.append(f"{len(articles(doc))} articles")
        chapters = [s.style for s in doc.iter_sections()].count("chapter")
        if chapters != exp["chapters"]:
            wrong.append(f"{chapters} chapters")
        for key, count in exp.get("items", {}).items():
            if len(find_article(doc, key).items) != count:
                wrong.append(f"article {key}: {len(find_article(doc, key).items)} items")
    assert not wrong, "; ".join(wrong)


class _PageText(HTMLParser):
    """The text a browser could show in the page: everything outside <script>, <style>, <noscript> and <title>, a block per line."""

    _SKIP = frozenset({"script", "style", "noscript", "title"})
    _BLOCKS = frozenset({"p", "div", "br", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "section", "article", "title"})

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP:
            self._skipping += 1
        elif tag in self._BLOCKS:
            self.parts.append("\n")
        else:
            self.parts.append(" ")  # an inline element: a piece boundary, no more

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP:
            self._skipping = max(0, self._skipping - 1)
        elif tag in self._BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


@pytest.mark.parametrize("exp", WEB, ids=_ids(WEB))
def test_web_page_loses_nothing(exp: dict[str, Any]) -> None:
    """Every sentence of the page's text is in the document's text or in `dropped` (with its reason)."""
    doc = parsed(exp["file"])
    page = _PageText()
    page.feed((GENRES / exp["file"]).read_bytes().decode(doc.source.encoding or "utf-8"))
    kept = canon(doc.text) + "\x00" + "\x00".join(canon(d.text) for d in doc.dropped)
    lost = []
    for line in _SENTENCE_SPLIT_RE.split("".join(page.parts)):
        if len(canon(line)) < 4 or canon(line) in kept:
            continue
        # A line of site furniture may be dropped in pieces (【返回顶部】 here, 【关闭本页】 there): each piece counts.
        if any(len(canon(piece)) >= 4 and canon(piece) not in kept for piece in line.split()):
            lost.append(canon(line))
    sentences = [s for s in _SENTENCE_SPLIT_RE.split("".join(page.parts)) if len(canon(s)) >= 4]
    assert not lost, f"{len(lost)} of {len(sentences)} sentences lost, first: {lost[:3]}"


def test_fixtures_match_their_sources() -> None:
    """Every fixture file is listed in SOURCES.tsv and every listed file exists; expected.json covers them all."""
    rows = [line.split("\t") for line in (GENRES / "SOURCES.tsv").read_text(encoding="utf-8").splitlines()[1:] if line]
    listed = {r[0] for r in rows}
    on_disk = {str(p.relative_to(GENRES)) for p in GENRES.rglob("*") if p.suffix in (".md", ".html")}
    assert listed == on_disk
    assert {e["file"] for e in DOCS + WEB} == on_disk
    assert len(DOCS) >= 40 and len(WEB) >= 10


# --- articles whose line break was lost ---------------------------------------------------------------------------


def _labels(text: str) -> list[str]:
    return [c.label for c in policydiff.parse_text(text, name="run-in").clauses]


def test_an_article_run_into_the_paragraph_before_it_is_split_out() -> None:
    """北京市人民代表大会议事规则 (LawRefBook/Laws): `…由主席团会议决定。 第十六条市人民代表大会会议设立秘书处…`."""
    text = (
        "某某议事规则\n第十五条 举行秘密会议，经主席团征求各代表团的意见后，由主席团会议决定。 第十六条市人民代表大会会议设立秘书处，"
        "办理主席团交付的事项。\n第十七条 全体会议听取常务委员会的工作报告。\n"
    )
    doc = policydiff.parse_text(text, name="run-in")
    assert [c.label for c in doc.clauses] == ["15", "16", "17"]
    assert doc.clauses[0].text.endswith("由主席团会议决定。") and doc.clauses[1].text.startswith("市人民代表大会会议设立秘书处")
    assert not [i for i in doc.issues if i.code == "numbering-gap"]


def test_a_run_of_articles_on_one_line_is_split_when_every_missing_number_is_there() -> None:
    """飞行基本规则 (2007): articles 2-10 ran into article 1's paragraph."""
    run = "".join(f"第{n}条 规定{n}。" for n in "二三四五")
    assert _labels(f"某某规则\n第一条 为了维护飞行秩序，制定本规则。{run}\n第六条 附则。\n") == ["1", "2", "3", "4", "5", "6"]


def test_a_sentence_citing_an_article_is_not_split() -> None:
    # 第十条 exists on its own line: the sentence after 。 cites it, no number is missing.
    text = "某某办法\n第九条 应当登记。第十条规定的情形除外。\n第十条 登记机关审查。\n"
    assert _labels(text) == ["9", "10"]
    # Two numbers missing, one cited: not a lost line break, the gap stays (and check reports it).
    text = "某某办法\n第九条 应当登记。第十条规定的情形除外。\n第十二条 登记机关审查。\n"
    doc = policydiff.parse_text(text, name="gap")
    assert [c.label for c in doc.clauses] == ["9", "12"] and [i.code for i in doc.issues if i.code == "numbering-gap"]


@pytest.mark.parametrize(
    "wrapped",
    ["第二十条规定的情形除外。", "第二十条所称的单位，是指登记的单位。", "第十一条规定处理。"],
)
def test_a_line_wrapped_before_a_cited_article_is_not_an_article(wrapped: str) -> None:
    """Text copied from a PDF keeps its line breaks: `…依照本条例` / `第二十条规定的情形除外。` is one sentence of
    第十条, not an article 20 between 10 and 11."""
    text = f"某某条例\n第十条 违反本条例规定的，依照本条例\n{wrapped}\n第十一条 本条例自公布之日起施行。\n"
    doc = policydiff.parse_text(text, name="wrapped")
    assert [c.label for c in doc.clauses] == ["10", "11"]
    assert doc.clauses[0].text.endswith(wrapped) and not doc.issues


def test_an_inserted_article_after_an_open_line_stays_an_article() -> None:
    # 第十七条之一 after an item that ends without a full stop: inserted by design, not a wrapped citation.
    text = "某某法\n第十七条 有下列情形之一的，不予登记：\n（一）材料不全\n第十七条之一 登记机关应当公示。\n第十八条 附则。\n"
    assert [c.label for c in policydiff.parse_text(text, name="inserted").clauses] == ["17", "17之一", "18"]


def test_an_out_of_order_article_after_a_full_stop_stays_an_article() -> None:
    # The line before it ends a sentence: an excerpt's numbering is the source's, reported by check.
    doc = policydiff.parse_text("某某条例\n第十条 依照本条例处理。\n第二十条 内容。\n第十一条 附则。\n", name="excerpt")
    assert [c.label for c in doc.clauses] == ["10", "20", "11"]
