"""hypothesis: any generated law text (编/章/节/条 with numerals up to 千, 之一 articles, items 项/目 and
paragraphs 款) parses back to exactly the articles, items and paragraphs generated."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import policydiff

DIGITS = "零一二三四五六七八九"
# Words without numerals, labels, ordinal markers, dates or frame words: plain legal prose.
WORDS = ["管理", "单位", "应当", "依法", "履行", "职责", "保障", "安全", "组织", "实施", "监督", "检查", "有关", "部门", "制度", "建立", "健全", "工作"]


def to_cn(n: int) -> str:
    """1 → 一, 10 → 十, 17 → 十七, 105 → 一百零五, 1260 → 一千二百六十 (as laws write article numbers)."""
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return "十" + (DIGITS[n % 10] if n % 10 else "")
    out = ""
    zero = False
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = n // value % 10
        if d:
            if zero:
                out += "零"
            out += DIGITS[d] + unit
            zero = False
        elif out:
            zero = True
    return out


@dataclass
class Article:
    key: str
    first: str
    items: list[tuple[str, list[str]]] = field(default_factory=list)  # (item text, sub-item texts)
    more: list[str] = field(default_factory=list)  # further paragraphs (款)


sentence = st.lists(st.sampled_from(WORDS), min_size=2, max_size=6).map("".join)


@st.composite
def law(draw: st.DrawFn) -> tuple[str, list[Article]]:
    lines = ["# " + draw(sentence) + "条例", "", "（2001年5月1日某某省第九届人民代表大会常务委员会第二十次会议通过）", ""]
    number = draw(st.integers(min_value=1, max_value=1250))
    articles: list[Article] = []
    parts = draw(st.integers(min_value=0, max_value=2))
    for part in range(max(parts, 1)):
        if parts:
            lines.append(f"第{to_cn(part + 1)}编 {draw(sentence)}")
        for chapter in range(draw(st.integers(min_value=1, max_value=3))):
            lines.append(f"第{to_cn(chapter + 1)}章 {draw(sentence)}")
            sections = draw(st.integers(min_value=0, max_value=2))
            for section in range(max(sections, 1)):
                if sections:
                    lines.append(f"第{to_cn(section + 1)}节 {draw(sentence)}")
                for _ in range(draw(st.integers(min_value=1, max_value=3))):
                    inserted = draw(st.booleans()) and bool(articles) and "之" not in articles[-1].key
                    key = f"{number - 1}之一" if inserted else str(number)
                    label = f"第{to_cn(number - 1)}条之一" if inserted else f"第{to_cn(number)}条"
                    number += 0 if inserted else 1
                    n_items = draw(st.integers(min_value=0, max_value=4))
                    art = Article(key=key, first=draw(sentence) + ("：" if n_items else "。"))
                    lines.append(f"{label} {art.first}")
                    for i in range(n_items):
                        subs = [draw(sentence) + "；" for _ in range(draw(st.integers(min_value=0, max_value=2)))]
                        text = draw(sentence) + ("：" if subs else ("。" if i == n_items - 1 else "；"))
                        art.items.append((text, subs))
                        lines.append(f"（{to_cn(i + 1)}）{text}")
                        lines.extend(f"{j + 1}.{s}" for j, s in enumerate(subs))
                    for _ in range(draw(st.integers(min_value=0, max_value=2))):
                        art.more.append(draw(sentence) + "。")
                        lines.append(art.more[-1])
                    articles.append(art)
    blank = draw(st.booleans())  # markdown collections put a blank line between paragraphs
    return ("\n\n" if blank else "\n").join(lines) + "\n", articles


@pytest.mark.slow
@settings(max_examples=60, deadline=None)
@given(law())
def test_generated_law_parses_to_the_articles_and_items_generated(case: tuple[str, list[Article]]) -> None:
    text, articles = case
    doc = policydiff.parse_text(text, name="law")
    got = [c for c in doc.clauses if c.style == "article"]
    assert [c.label for c in got] == [a.key for a in articles]
    for clause, art in zip(got, articles, strict=True):
        assert [(i.label, len(i.items)) for i in clause.items] == [(to_cn(k + 1), len(s)) for k, (_, s) in enumerate(art.items)]
        assert [i.text.split("\n")[0] for i in clause.items] == [t for t, _ in art.items]
        assert clause.paragraphs == [art.first, *art.more]
        assert clause.path, "every article sits in its chapter"
    assert doc.metadata.title and doc.metadata.title.endswith("条例")
    assert doc.metadata.doc_kind == "local-regulation"
    assert [d.kind for d in doc.metadata.dates] == ["adopted"]
