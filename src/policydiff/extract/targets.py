"""Quantitative targets (量化指标): 到2025年…达到70%以上, 培育10家以上…企业, 按3000—6000元/生/年标准补助.

`find_targets` turns every quantity of a clause (`quantities`) into a `Target`: its comparator
(不低于, 超过, 左右…), deadline year (到2025年, “十四五”期间, 5年累计), kind (a goal, a current
state, a standing rule) and subject (`subjects`). It runs on every clause during parse, so it is
regex-only: a cheap pre-check, one scan for quantities, and per-quantity work confined to the
surrounding clause.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import deque
from collections.abc import Callable
from functools import partial
from typing import Any, Literal

from policydiff.extract.penalties import find_penalties, overlaps
from policydiff.extract.quantities import SPACE as _S
from policydiff.extract.quantities import YEAR as _YEAR
from policydiff.extract.quantities import Quantity, QuantityScanner, compact, may_hold_quantity
from policydiff.extract.quantities import spaced_alternatives as _alt
from policydiff.extract.subjects import CLAUSE_DELIMS as _CLAUSE_DELIMS
from policydiff.extract.subjects import post_subject, pre_subject, strip_lead, strip_trail
from policydiff.schema import Comparator, Issue, Target
from policydiff.text.ngrams import has_space
from policydiff.text.numbers import CN_DIGITS, to_number
from policydiff.vocabulary import alternation, domain_values, domain_words

Kind = Literal["target", "baseline", "norm"]

# Clause, year-scope (。；) and sentence (。) boundaries.
_CLAUSE_END_RE = re.compile(f"[{_CLAUSE_DELIMS}]")
_SEGMENT_DELIMS = frozenset("。；;！!？?")
_SENTENCE_DELIMS = frozenset("。！!？?")

# Comparator words before a number, by the comparator they give (at most one per position: the
# alternation tries the groups in this order, longest word first within each).
_PREFIX_WORDS: dict[Comparator, list[str]] = {
    "ge": ["不低于", "不少于", "不小于", "不下于", "至少", "最少"],
    "le": ["不超过", "不高于", "不多于", "不大于", "至多", "最多"],
    "gt": ["超过", "高于", "多于", "大于", "突破"],
    "lt": ["低于", "少于", "小于", "不足", "不到"],
    "approx": ["大约", "大概", "大体", "接近"],
}
# No groups, and 约's lookbehind after it: a pattern whose branches start with literals lets re skip
# to candidate characters (15x faster than named groups per comparator). The word found tells the
# comparator.
_PREFIX_CMP_SCAN_RE = re.compile("|".join(_alt(words) for words in _PREFIX_WORDS.values()) + "|约(?<![制签节公条合预契简缩]约)")
_PREFIX_WORD_KIND: dict[str, Comparator] = {w: k for k, words in _PREFIX_WORDS.items() for w in words} | {"约": "approx"}

_SMALL = r"\d{1,2}|[一二两三四五六七八九十]{1,2}"
_YEAR_MARK_RE = re.compile(
    rf"(?P<asof>{_alt(['截至', '截止到', '截止'])}){_S}(?P<ay>{_YEAR}){_S}年"
    rf"|(?<![\d年])(?:到|至){_S}(?P<dy>{_YEAR}){_S}年"
    rf"|(?<!\d)(?P<py>{_YEAR}){_S}年(?:{_S}[底末])?{_S}(?:{_alt(['之前', '以前', '前'])})"
    rf"|十{_S}(?P<plan>[一二三四五六七八九]){_S}五{_S}[”\"’]?{_S}(?:{_alt(['期间', '时期', '末期', '末', '内'])})"
    rf"|(?<![\d.])(?P<dur>{_SMALL}){_S}年{_S}(?:{_alt(['共计', '共', '累计', '内', '间', '增加', '新增'])})"
    rf"|(?:{_alt(['通过', '经过', '利用'])}){_S}(?P<dur2>{_SMALL}){_S}年"
)
# _YEAR_MARK_RE without groups and with each lookbehind after the character it precedes: the same
# matches, found 3x faster; a match is then read with _YEAR_MARK_RE.match at its start.
_CN_SMALL = "一二两三四五六七八九十"
_YEAR_MARK_SCAN_RE = re.compile(
    rf"(?:{_alt(['截至', '截止到', '截止'])}){_S}{_YEAR}{_S}年"
    rf"|[到至](?<![\d年][到至]){_S}{_YEAR}{_S}年"
    rf"|(?:19|20)(?<!\d..)\d{{2}}{_S}年(?:{_S}[底末])?{_S}(?:{_alt(['之前', '以前', '前'])})"
    rf"|十{_S}[一二三四五六七八九]{_S}五{_S}[”\"’]?{_S}(?:{_alt(['期间', '时期', '末期', '末', '内'])})"
    rf"|(?:\d(?<![\d.]\d)\d?|[{_CN_SMALL}](?<![\d.][{_CN_SMALL}])[{_CN_SMALL}]?){_S}年{_S}"
    rf"(?:{_alt(['共计', '共', '累计', '内', '间', '增加', '新增'])})"
    rf"|(?:{_alt(['通过', '经过', '利用'])}){_S}(?:{_SMALL}){_S}年"
)
_BASELINE_WORDS = _alt(
    ["目前", "当前", "现阶段", "截至", "截止", "已经", "现已", "已有", "已达", "已建成", "已累计", "已完成", "已培育", "已认定"]
)
# A verb with the perfective 了 reports what was done (征求了8个部门的建议, 规划设计了10项任务);
# not 为了/除了/罢了/不了, 了解, 了如指掌, 一目了然. Lookbehinds after the 了: see _BASELINE_FAST_RE.
_PERFECTIVE_LE = r"了(?<=[\u4e00-\u9fff]了)(?<![为除罢算不]了)(?![解如然])"
_BASELINE_RE = re.compile(
    _BASELINE_WORDS + rf"|(?:^|(?<=[{_CLAUSE_DELIMS}\n]))\s*(?:全市|我市|全省|全县|本市)?{_S}现{_S}有" + "|" + _PERFECTIVE_LE
)
# _BASELINE_RE for text without 现有 (where its 现有 branch cannot match): it starts with literals,
# so re skips to candidate characters (20x faster).
_BASELINE_FAST_RE = re.compile(_BASELINE_WORDS + "|" + _PERFECTIVE_LE)
_XIANYOU_RE = re.compile(f"现{_S}有")
_TARGET_MARK_RE = re.compile(
    rf"(?<!已)(?<!已经)(?:{_alt(['力争', '争取', '预计', '确保', '努力', '建设', '打造', '培育', '创建', '建成', '新增', '增设', '遴选', '培养', '启动'])}"
    rf"|将(?={_S}(?:达|实现|增加|新增|超过|突破|提高|提升))|(?<![\d年])(?:到|至){_S}{_YEAR})"
)


# Subject, unit and kind read from the clause around a quantity.
_NORM_MODAL_WIDTH = 5  # 必须不低于
_PRE_WINDOW = 256  # characters of a clause before a number that its reading looks at
_DISPOSE_WINDOW = 400  # characters before a norm clause searched for its 把/将 object
_HEAD_AFTER_DE_RE = re.compile(f"的([^的{_CLAUSE_DELIMS}]+)(?=[{_CLAUSE_DELIMS}]|$)")
_DISPOSE_RE = re.compile(r"[把将]([^，,；;。：:]{2,16}?)(?:列入|纳入|用于|作为|投入|安排)")
# 每生每年不低于: the per-head words and their units (data/domain.tsv), then a comparator.
_PER_CAPITA_UNIT = domain_values("per_capita")
_PER_CAPITA_CMP = ("不低于", "不少于", "不超过", "不高于", "超过", "高于", "低于", "达到", "约", "为")
_PER_CAPITA_RE = re.compile(f"({alternation(domain_words('per_capita'))})(?:{'|'.join(_PER_CAPITA_CMP)})?$")
_PER_CAPITA_WIDTH = max(map(len, _PER_CAPITA_UNIT), default=0) + max(map(len, _PER_CAPITA_CMP))  # 每生每年不低于
_NORM_POST_RE = re.compile(r"^的?(?:比例|标准)")
_NORM_MODAL_RE = re.compile(r"(?:应当|不应|应|须|必须|不得)(?:不低于|不少于|不超过|不高于|低于|高于|超过|少于|多于|达到|保持在|在)?$")
_PEOPLE_RE = re.compile(alternation(domain_words("people")))  # data/domain.tsv


# Target from a dict of its fields: the same validation as Target(**fields), ~40% faster per target.
_new_target: Callable[[dict[str, Any]], Target] = Target.__pydantic_validator__.validate_python


def find_targets(
    text: str,
    *,
    clause_id: str | None = None,
    offset: int = 0,
    period: tuple[int, int] | None = None,
    issues: list[Issue] | None = None,
) -> list[Target]:
    """Quantities stated in one clause's text, in order.

    `offset` is added to start/end so they index the document text; `period` (e.g. (2021, 2025))
    resolves relative years such as 5年累计. With `issues` (a document's), a failure of the extractor
    (a bug) is recorded there as a `target-extraction-failed` Issue and the text gives no targets, so
    one odd clause does not stop a parse; without, it is raised.
    """
    if issues is None:
        return _targets_and_penalties(text, clause_id, offset, period)
    try:
        return _targets_and_penalties(text, clause_id, offset, period)
    except Exception as exc:  # noqa: BLE001 - any bug of the heuristics: recorded on the document, the parse goes on
        where = f"in {clause_id}" if clause_id else "in a paragraph"
        issues.append(
            Issue(code="target-extraction-failed", message=f"targets {where} could not be read ({exc.__class__.__name__}: {exc}); please report it")
        )
        return []


def _targets_and_penalties(text: str, clause_id: str | None, offset: int, period: tuple[int, int] | None) -> list[Target]:
    """The quantities of plans and the penalties of laws (罚款, 拘留, 有期徒刑: `penalties`); a quantity
    inside a penalty (the 五万元 of 处一万元以上五万元以下罚款) is the penalty's."""
    targets = _Extractor(text, clause_id, offset, period).run() if may_hold_quantity(text) else []
    penalties = find_penalties(text, clause_id=clause_id, offset=offset)
    if not penalties:
        return targets
    starts, ends = [p.start for p in penalties], [p.end for p in penalties]
    kept = [t for t in targets if not overlaps(starts, ends, t.start, t.end)]
    return sorted(kept + penalties, key=lambda t: t.start)


def _same(s: str) -> str:
    return s


class _Extractor(QuantityScanner):
    def __init__(self, text: str, clause_id: str | None, offset: int, period: tuple[int, int] | None) -> None:
        super().__init__(text)
        self.clause_id = clause_id
        self.offset = offset
        self.period = period
        # Where the first comparator word and the first baseline marker of the text start (computed
        # when first needed): a number before it has none in its window, no scan needed.
        self._first_cmp: int | None = None
        self._first_base: int | None = None
        self.clause_ends: list[int] = []
        self._segment_ends: list[int] | None = None
        self._sentence_ends: list[int] | None = None

    # --- context ----------------------------------------------------------------------

    def run(self) -> list[Target]:
        qs = self.quantities()
        if not qs:
            return []
        t = self.t
        text = self.text
        # Clause texts without whitespace (most) need no compaction of their slices.
        squeeze = compact if has_space(text) else _same
        clause_ends = self.clause_ends = [m.start() for m in _CLAUSE_END_RE.finditer(t)]
        self._marks: dict[int, list[tuple[int, int | None, bool]]] = {}
        self._year_index: dict[tuple[int, bool], tuple[list[int], list[int]]] = {}
        self.has_year_words = "年" in t or "五" in t
        n_ends = len(clause_ends)
        n = len(t)
        clause_id, offset = self.clause_id, self.offset

        targets: list[Target] = []
        prev: Quantity | None = None
        prev_prefix_cmp: Comparator | None = None
        qs_prev_start = -1  # start of the last emitted quantity
        last = len(qs) - 1
        for i, q in enumerate(qs):
            q_start, q_end = q.start, q.end
            nxt = qs[i + 1] if i < last else None
            k = bisect_left(clause_ends, q_start)
            c_lo = clause_ends[k - 1] + 1 if k else 0
            c_hi = clause_ends[k] if k < n_ends else n
            pre_lo = max(c_lo, prev.end) if prev and prev.end <= q_start else c_lo
            # The clause before the number, at most _PRE_WINDOW characters back: the words read from it
            # (按…比例, modal and per-capita words, the 的 before it) are near the number, and a whole-clause
            # slice per number is quadratic on a huge clause dense with numbers.
            clause_pre = squeeze(t[max(c_lo, q_start - _PRE_WINDOW) : q_start])

            comparator = q.comparator
            prefix_cmp: Comparator | None = None
            if comparator is None:
                prefix_cmp = self._prefix_cmp(pre_lo, q_start)
                if prefix_cmp is None and prev is not None and prev_prefix_cmp and prev.end > c_lo:
                    # 至少建设1所X和1个Y: a prefix comparator covers coordinated quantities.
                    gap = squeeze(t[prev.end : q_start])
                    if any(c in gap for c in "和及与、"):
                        prefix_cmp = prev_prefix_cmp
                comparator = prefix_cmp
            if q.is_one and comparator is None:
                prev_prefix_cmp = None
                continue  # 一个/一所 without 至少…: an article, not a count
            comparator = comparator or "eq"

            post_hi = min(c_hi, nxt.start) if nxt else c_hi
            post_raw = squeeze(text[q_end:post_hi])
            pre_raw = squeeze(text[pre_lo:q_start])

            by_pos = clause_pre.rfind("按")
            by_norm = by_pos >= 0 and (
                _NORM_POST_RE.match(post_raw) is not None
                or (q.unit == "%" and clause_pre.endswith("的"))
                or "比例" in clause_pre[by_pos:]
                or "标准" in clause_pre[by_pos:]
            )
            width = len(clause_pre)
            kind: Kind | None = "norm" if by_norm or _NORM_MODAL_RE.search(clause_pre, max(0, width - _NORM_MODAL_WIDTH)) else None

            unit = q.unit
            if unit == "元":
                pc = _PER_CAPITA_RE.search(clause_pre, max(0, width - _PER_CAPITA_WIDTH))
                if pc:
                    unit = _PER_CAPITA_UNIT[pc.group(1)]

            subject = (
                post_subject(post_raw, partial(self._head_after_de, q, nxt), nxt is not None and post_hi == nxt.start) if post_raw else ""
            )
            if not subject and by_norm:
                subject = self._disposed_object(q_start, c_lo) or strip_trail(strip_lead(clause_pre[by_pos + 1 :].lstrip("照")))
            if not subject:
                subject = pre_subject(pre_raw)
            if not subject and targets and targets[-1].unit == q.unit and self._same_sentence(qs_prev_start, q_start):
                subject = targets[-1].subject  # 现有职业院校15所，到2025年达到20所: same subject
            if not unit:
                unit = "人次" if subject.endswith("人次") else "人" if _PEOPLE_RE.search(subject) else ""

            if kind is None:
                kind = "baseline" if self._is_baseline(q_start) else "target"
            year = self._year(q_start, baseline=kind == "baseline")

            value, low, high = q.value, q.low, q.high
            if comparator in {"ge", "gt"}:
                low = value
            elif comparator in {"le", "lt"}:
                high = value
            targets.append(
                _new_target(
                    {
                        "raw": text[q_start:q_end],
                        "clause": clause_id,
                        "subject": subject,
                        "comparator": comparator,
                        "value": value,
                        "low": low,
                        "high": high,
                        "unit": unit,
                        "year": year,
                        "kind": kind,
                        "start": q_start + offset,
                        "end": q_end + offset,
                    }
                )
            )
            prev, prev_prefix_cmp, qs_prev_start = q, prefix_cmp, q_start
        return targets

    @property
    def segment_ends(self) -> list[int]:
        """Positions of the 。；！？ delimiters (made when first needed: most texts never ask)."""
        if self._segment_ends is None:
            t = self.t
            self._segment_ends = [i for i in self.clause_ends if t[i] in _SEGMENT_DELIMS]
        return self._segment_ends

    @property
    def sentence_ends(self) -> list[int]:
        """Positions of the 。！？ delimiters."""
        if self._sentence_ends is None:
            t = self.t
            self._sentence_ends = [i for i in self.segment_ends if t[i] in _SENTENCE_DELIMS]
        return self._sentence_ends

    def _bounds(self, ends: list[int], pos: int) -> tuple[int, int]:
        """[start, end) of the span between the delimiters around `pos`."""
        i = bisect_left(ends, pos)
        lo = ends[i - 1] + 1 if i > 0 else 0
        hi = ends[i] if i < len(ends) else len(self.t)
        return lo, hi

    def _same_sentence(self, a: int, b: int) -> bool:
        return a >= 0 and bisect_left(self.sentence_ends, a) == bisect_left(self.sentence_ends, b)

    def _prefix_cmp(self, lo: int, pos: int) -> Comparator | None:
        """The last comparator word (不低于, 至少, 超过…) between `lo` and the number."""
        if self._first_cmp is None:
            first = _PREFIX_CMP_SCAN_RE.search(self.t)
            self._first_cmp = first.start() if first else len(self.t)
        if self._first_cmp >= pos:
            return None  # a match in the window would be one of the whole text, at or before it
        tail = deque(_PREFIX_CMP_SCAN_RE.finditer(self.t, lo, pos), maxlen=1)  # the last match
        last = tail[0] if tail else None
        if last is None:
            return None
        word = last.group()
        return _PREFIX_WORD_KIND[word] if word in _PREFIX_WORD_KIND else _PREFIX_WORD_KIND[compact(word)]

    # --- year and kind -----------------------------------------------------------------

    def _year_marks(self, lo: int, hi: int) -> list[tuple[int, int | None, bool]]:
        """(position, year, is_as_of) of the deadline expressions in one 。；-segment (cached)."""
        cached = self._marks.get(lo)
        if cached is not None:
            return cached
        marks: list[tuple[int, int | None, bool]] = []
        if self.t.find("年", lo, hi) < 0 and self.t.find("五", lo, hi) < 0:
            self._marks[lo] = marks
            return marks  # every deadline expression has 年 or 十X五; the scan below is the slow part
        for found in _YEAR_MARK_SCAN_RE.finditer(self.t, lo, hi):
            m = _YEAR_MARK_RE.match(self.t, found.start(), hi)
            assert m is not None and m.end() == found.end()
            year: int | None = None
            as_of = False
            if m.group("ay"):
                year, as_of = int(m.group("ay")), True
            elif m.group("dy") or m.group("py"):
                year = int(m.group("dy") or m.group("py"))
            elif m.group("plan"):
                year = 1955 + 5 * (10 + CN_DIGITS[m.group("plan")])  # 十四五 → 2021–2025
            else:
                n = to_number(m.group("dur") or m.group("dur2"))
                if n is not None and self.period and 0 < n < 100:
                    year = self.period[0] + int(n) - 1  # 5年累计 in a 2021–2025 plan → 2025
            marks.append((m.start(), year, as_of))
        self._marks[lo] = marks
        return marks

    def _year(self, pos: int, *, baseline: bool) -> int | None:
        """The year of the last deadline mark (as-of mark for a baseline) before `pos` in its segment, else
        of the first after it. A bisection over the segment's marks: a segment can hold thousands of them
        (a PDF line without 。), and a scan per quantity would be quadratic."""
        if not self.has_year_words:
            return None  # every deadline expression has 年 or 十X五 (see _year_marks)
        lo, hi = self._bounds(self.segment_ends, pos)
        key = (lo, baseline)
        found = self._year_index.get(key)
        if found is None:
            marks = [(mpos, year) for mpos, year, as_of in self._year_marks(lo, hi) if year is not None and as_of == baseline]
            found = self._year_index[key] = ([m for m, _ in marks], [y for _, y in marks])
        positions, years = found
        i = bisect_left(positions, pos)  # marks before pos: [0, i)
        if i:
            return years[i - 1]
        return years[0] if years else None

    def _is_baseline(self, pos: int) -> bool:
        if self._first_base is None:
            t = self.t
            first = (_BASELINE_RE if _XIANYOU_RE.search(t) else _BASELINE_FAST_RE).search(t)
            self._first_base = first.start() if first else len(t)
        if self._first_base >= pos:
            return False  # no marker before the number
        lo, _ = self._bounds(self.sentence_ends, pos)
        base = -1
        # Without 现有 in the span only the literal-led branches can match: the fast pattern finds the same.
        for base_m in (_BASELINE_RE if _XIANYOU_RE.search(self.t, lo, pos) else _BASELINE_FAST_RE).finditer(self.t, lo, pos):
            base = base_m.start()
        if base < 0:
            return False
        return _TARGET_MARK_RE.search(self.t, base + 1, pos) is None

    # --- subject -------------------------------------------------------------------------

    def _head_after_de(self, q: Quantity, nxt: Quantity | None) -> str:
        _, seg_hi = self._bounds(self.segment_ends, q.start)
        hi = min(seg_hi, q.end + 80, nxt.start if nxt else seg_hi)
        ext = compact(self.text[q.end : hi])
        m = _HEAD_AFTER_DE_RE.search(ext)
        return m.group(1) if m else ""

    def _disposed_object(self, pos: int, clause_lo: int) -> str:
        """把继续教育经费列入…，按照…2元的标准拨付: the 把/将 object names what is funded."""
        lo, _ = self._bounds(self.segment_ends, pos)
        lo = max(lo, clause_lo - _DISPOSE_WINDOW)
        tail = deque(_DISPOSE_RE.finditer(compact(self.text[lo:clause_lo])), maxlen=1)  # the last match
        return tail[0].group(1) if tail else ""
