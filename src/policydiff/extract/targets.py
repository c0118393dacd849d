"""Quantitative targets (量化指标): 到2025年…达到70%以上, 培育10家以上…企业, 按3000—6000元/生/年标准补助.

`find_targets` turns every number that states a quantity into a `Target`. It runs on every
clause during parse, so it is regex-only: a cheap pre-check, one scan for quantities, and
per-quantity work confined to the surrounding clause. Keyword patterns tolerate stray
spaces inside words (raw PDF text such as `230个左\n右`, `打 造 100个 左 右`).

What counts as a quantity: a number followed by a counting unit (个, 所, %, 万人, 元/生/年…),
or by 万/亿 alone. Years, dates, document numbers, list labels, phone numbers and numbers
inside quotes or titles (“1+X”, 《…(2020—2023)》) never carry such a unit or are masked.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Literal

from policydiff.extract.numbers import CN_DIGITS, MULTIPLIERS, to_number
from policydiff.schema import Comparator, Target
from policydiff.textsim import has_space

Kind = Literal["target", "baseline", "norm"]

_S = r"\s{0,3}"  # stray whitespace tolerated between tokens and inside keywords


def _sp(word: str) -> str:
    """Regex for a keyword that tolerates stray whitespace between its characters."""
    return _S.join(re.escape(c) for c in word)


def _alt(words: Iterable[str]) -> str:
    return "|".join(_sp(w) for w in sorted(words, key=len, reverse=True))


# Unit as written → normalized unit. 万元/亿元/万人 are a multiplier plus one of these.
_UNITS: dict[str, str] = {
    "元/生/年": "元/生/年",
    "元/生·年": "元/生/年",
    "元/人/年": "元/人/年",
    "元/生": "元/生",
    "元/人": "元/人",
    "元/年": "元/年",
    "个百分点": "百分点",
    "百分点": "百分点",
    "人次": "人次",
    "%": "%",
    "‰": "‰",
    "人": "人",
    "所": "所",
    "个": "个",
    "家": "家",
    "门": "门",
    "名": "名",
    "部": "部",
    "位": "位",
    "条": "条",
    "项": "项",
    "元": "元",
    "次": "次",
    "场": "场",
    "台": "台",
    "套": "套",
    "倍": "倍",
}
# Counters after a Chinese numeral (三个, 二十四条); no %, 元 forms or 倍 there.
_CN_UNITS = ["人次", "人", "所", "个", "家", "门", "名", "部", "位", "条", "项", "次", "场", "台", "套"]
# A unit character that starts a word instead: 九部门, 名单, 条件, 项目, 所在, 人才…
_BAD_NEXT: dict[str, str] = {
    "部": "门署分长",
    "名": "单称义誉额录次",
    "个": "性体别案",
    "条": "件例款目",
    "项": "目",
    "家": "庭长乡",
    "位": "置于列",
    "门": "类槛户",
    "所": "在得属有谓",
    "人": "才员民口士群工计",
    "次": "要序性产",
    "场": "所地景馆",
    "台": "阶账",
    "套": "餐",
}
_SUFFIX_CMP: dict[str, Comparator] = {
    "及以上": "ge",
    "以上": "ge",
    "以下": "le",
    "以内": "le",
    "左右": "approx",
    "上下": "approx",
}

# Starts with a bare character class so re can use its fast scan (5x faster than an alternation).
_NUM = r"[0-9](?:[0-9]{0,2}(?:,[0-9]{3})+|[0-9]*)(?:\.[0-9]+)?"
_CN = "[零〇一二两三四五六七八九十百千万亿]+"
_RANGE_SEP = "[—–\\-－～~〜至到]{1,2}"

_ARABIC_RE = re.compile(
    # No leading lookbehind: a pattern that starts with a character class gets re's fast scan;
    # the character before the number is checked in Python instead.
    rf"(?P<a>{_NUM})"
    rf"(?:{_S}(?P<am>[万亿]))?(?:{_S}(?P<ap>%))?"
    rf"(?:{_S}(?P<sep>{_RANGE_SEP}){_S}(?P<b>{_NUM}))?"
    rf"(?:{_S}(?P<m>[万亿]))?"
    rf"(?:{_S}(?P<more>[余多]))?"
    rf"(?:{_S}(?P<unit>{_alt(_UNITS)}))?"
    rf"(?:{_S}(?P<suf>{_alt(_SUFFIX_CMP)}))?"
)
_CN_RE = re.compile(
    rf"(?P<a>{_CN})(?:{_S}(?P<sep>[至到～~—]){_S}(?P<b>{_CN}))?"
    rf"(?:{_S}(?P<more>[余多]))?"
    rf"{_S}(?P<unit>{_alt(_CN_UNITS)})"
    rf"(?:{_S}(?P<suf>{_alt(_SUFFIX_CMP)}))?"
)
# Cheap gate: a digit, or a Chinese numeral right before a counter (two plain scans, no alternation).
_DIGIT_RE = re.compile("[0-9０-９]")
_CN_COUNT_RE = re.compile(rf"[一二两三四五六七八九十百千]{_S}[余多]?{_S}[{''.join(c[0] for c in _CN_UNITS)}]")
# A number glued to these is part of a code or formula (G20, 1.2.3, 3+2), not a quantity.
_NUMBER_BEFORE = frozenset("0123456789.+ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# Slogans built like counts: 四个面向, 两个确保, 三个不变…
_SLOGAN_RE = re.compile(r"\s*(?:面向|确保|维护|自信|意识|全面|不变|代表|务必|坚持|必须|基本点|有利于|没有变)")

# Brackets whose numbers are names, not quantities (“1+X”, 《…(2020—2023)》), with the longest
# span still treated as a name. Document numbers need no mask: 〔2019〕4号 has no unit.
_NAME_BRACKETS = (("“", "”", 40), ("「", "」", 40), ("《", "》", 80), ("〈", "〉", 80))
_ASCII_QUOTE_RE = re.compile('"')
_NAME_OPEN_RE = re.compile("[“「《〈]")
_FULLWIDTH = str.maketrans({**{chr(c): chr(c - 0xFEE0) for c in range(ord("０"), ord("９") + 1)}, "％": "%", "．": "."})
_FULLWIDTH_RE = re.compile("[０-９％．]")
_WS_RE = re.compile(r"\s+")

# Clause, year-scope (。；) and sentence (。) boundaries.
_CLAUSE_DELIMS = "，,；;。：:！!？?\t"
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

_YEAR = r"(?:19|20)\d{2}"
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

# --- subject trimming (on whitespace-free strings) ---------------------------------
_LOCAL_LEVEL = r"(?:[\u4e00-\u9fff]{2})?[市县区]级"  # 市级/郑州市级: the issuer's own level, dropped so plans align
_LEAD_RE = re.compile(
    r"^(?:[、，,和及与并]"
    rf"|到{_YEAR}年(?:底|末)?|{_YEAR}年(?:底|末)?(?:之前|以前|前)|(?:通过|经过)?\d{{1,2}}年(?:共计|共|累计|内|间)?"
    r"|“?十[一二三四五六七八九]五”?(?:期间|时期|末)?"
    r"|力争|争取|其中|目前|当前|现有|截至|截止|预计|确保|努力|原则上|逐步|每年"
    r"|(?:全市|全省|全县|全区|全国|我市|本市|我省|本省)(?:职业教育)?|各类"
    # Adverbs only before a verb: 重点建设 goes, 重点任务 stays.
    r"|(?:重点|优先|积极|大力|着力|进一步|集中力量)?"
    r"(?:建设|打造|培育|支持|创建|建成|新增|增设|遴选|培养|启动|认定|入选|组建|引进|举办|推动|收到|设立|办好)"
    r"|共"
    rf"|{_LOCAL_LEVEL}|[（(][^（()）]{{1,6}}[）)])"
)
_TRAIL_RE = re.compile(
    r"(?:达到|达|占|为|超过|突破|不低于|不少于|不超过|不高于|不多于|不小于|不大于|高于|低于|少于|多于|大于|小于|至少|最多"
    r"|保持在|保持|稳定在|控制在|增加到|增加至|增加|增长到|增长|增至|提高到|提高至|提升到|提升至|提高|提升|新增"
    r"|共计|累计|合计|共|约|大约|大体|应当|应|须|必须|不得|要|将|原则上|人均|生均|每年|的|在|了"
    rf"|\d{{1,2}}年|到{_YEAR}年(?:底|末)?|[、，,和及与])$"
)
# Longest match of these $-anchored patterns: a search needs to start only this far before the end
# (tests/test_targets.py checks them against the patterns).
_TRAIL_WIDTH = 7  # 到2025年底
_NORM_MODAL_WIDTH = 5  # 必须不低于
_PER_CAPITA_WIDTH = 7  # 每生每年不低于
_POSSESSOR_WIDTH = 2
# X的N%: when the pre-phrase ends in 的 the number is a share of a base (…总量的30%): cut at the verb.
_BASE_VERB_RE = re.compile(r"不低于|不少于|不超过|不高于|超过|高于|低于|少于|达到|占")
_GENERIC_HEAD_RE = re.compile(r"^的?(?:比例|标准|目标|水平|规模|幅度)")
_POSSESSOR_RE = re.compile(
    r"(?:部门|单位|学校|院校|学院|大学|高校|企业|机构|政府|城市|地区|区域|行业|国家|县区|乡镇|教师|学生|人员|团队|家庭)$"
)
_ATTRIBUTIVE_VERB_RE = re.compile(r"^(?:对接|具有|兼具|面向|服务|适应|满足|体现|覆盖|契合|符合|融合)")
_POST_VERB_RE = re.compile(r"无|没有|申办|申报|开展|参与|承担|实现|进行|开设|举办|纳入|入选|获得|成为|推动|保障|达到|覆盖|形成|提供|接受")
_HEAD_AFTER_DE_RE = re.compile(f"的([^的{_CLAUSE_DELIMS}]+)(?=[{_CLAUSE_DELIMS}]|$)")
_POST_TRAIL_RE = re.compile(r"(?:建设|等|[、和及与])$")
_MEASURE_TAIL_RE = re.compile(r"(?:在校学生|在校生|毕业生|学生|人数|规模|招生)$")
_POST_LEAD_RE = re.compile(r"^(?:的|用于)")
_LONG_PAREN_RE = re.compile(r"[（(](?:[^（()）]{7,}|[^（()）]*$)")
_DISPOSE_RE = re.compile(r"[把将]([^，,；;。：:]{2,16}?)(?:列入|纳入|用于|作为|投入|安排)")
_PER_CAPITA_RE = re.compile(r"(每生每年|每人每年|人均|生均|每生|每人)(?:不低于|不少于|不超过|不高于|超过|高于|低于|达到|约|为)?$")
_PER_CAPITA_UNIT = {"每生每年": "元/生/年", "每人每年": "元/人/年", "人均": "元/人", "每人": "元/人", "生均": "元/生", "每生": "元/生"}
_NORM_POST_RE = re.compile(r"^的?(?:比例|标准)")
_NORM_MODAL_RE = re.compile(r"(?:应当|不应|应|须|必须|不得)(?:不低于|不少于|不超过|不高于|低于|高于|超过|少于|多于|达到|保持在|在)?$")
_PEOPLE_RE = re.compile(r"人数|学生|在校生|毕业生|人员|教师|人才|招生|职工|劳动力")
_MODIFIER_RE = re.compile(r".+[式型性化]|高[\u4e00-\u9fff]{1,2}")  # 区别词 (活页式, 专业化) and 高水平-type adjectives


# Target from a dict of its fields: the same validation as Target(**fields), ~40% faster per target.
_new_target: Callable[[dict[str, Any]], Target] = Target.__pydantic_validator__.validate_python


@dataclass(slots=True)
class _Quantity:
    start: int
    end: int
    comparator: Comparator | None  # from 以上/左右/range/余; None: decide from context
    value: float | None
    low: float | None
    high: float | None
    unit: str  # normalized; "" when only 万/亿 was written
    is_one: bool  # a bare Chinese 一 (一个, 一所): often an article, kept only with a comparator


def find_targets(
    text: str,
    *,
    clause_id: str | None = None,
    offset: int = 0,
    period: tuple[int, int] | None = None,
) -> list[Target]:
    """Quantities stated in one clause's text, in order.

    `offset` is added to start/end so they index the document text; `period` (e.g. (2021, 2025))
    resolves relative years such as 5年累计. Never raises: extraction must not break a parse.
    """
    if not text or not (_DIGIT_RE.search(text) or _CN_COUNT_RE.search(text)):
        return []
    try:
        return _Extractor(text, clause_id, offset, period).run()
    except Exception:  # noqa: BLE001 - a heuristic extractor must never abort the parse
        return []


def _compact(s: str) -> str:
    return _WS_RE.sub("", s)


def _same(s: str) -> str:
    return s


def _scaled(n: Decimal, mult: str | None) -> float:
    return float(n * MULTIPLIERS[mult]) if mult else float(n)


def _arabic_value(s: str, mult: str | None) -> float:
    """An Arabic number as written (12,000 / 13.8), times 万/亿: exact decimal arithmetic only when
    scaled (11.4万 is 114000, not 113999.99…); float() of the digits is the same correctly
    rounded value as float(Decimal(digits))."""
    if mult:
        return float(Decimal(s.replace(",", "")) * MULTIPLIERS[mult])
    return float(s.replace(",", "") if "," in s else s)


# String forms of three anchored substitutions on whitespace-free subjects (tests check them against
# _POST_LEAD_RE, _POST_TRAIL_RE and _MEASURE_TAIL_RE): each removes the one match there can be.
def _drop_post_lead(s: str) -> str:
    return s[1:] if s.startswith("的") else s.removeprefix("用于")


def _drop_post_trail(s: str) -> str:
    if s.endswith("建设"):
        return s[:-2]
    return s[:-1] if s and s[-1] in "等、和及与" else s


_MEASURE_TAILS = ("在校学生", "在校生", "毕业生", "学生", "人数", "规模", "招生")  # longest first: the leftmost match


def _drop_measure_tail(s: str) -> str:
    for tail in _MEASURE_TAILS:
        if s.endswith(tail):
            return s[: -len(tail)]
    return s


def _strip_lead(s: str) -> str:
    for _ in range(12):
        m = _LEAD_RE.match(s)
        if not m or not m.group(0):
            break
        s = s[m.end() :]
    return s


def _strip_trail(s: str) -> str:
    for _ in range(12):
        # Every _TRAIL_RE match ends the string and is at most _TRAIL_WIDTH long: search only there.
        m = _TRAIL_RE.search(s, max(0, len(s) - _TRAIL_WIDTH))
        if not m or not m.group(0):
            break
        s = s[: m.start()]
    return s


class _Extractor:
    def __init__(self, text: str, clause_id: str | None, offset: int, period: tuple[int, int] | None) -> None:
        self.text = text
        # Full-width digits → ASCII, same length, so offsets stay valid.
        self.t = text.translate(_FULLWIDTH) if _FULLWIDTH_RE.search(text) else text
        self.clause_id = clause_id
        self.offset = offset
        self.period = period
        self.ascii_quotes = [m.start() for m in _ASCII_QUOTE_RE.finditer(text)] if '"' in text else []
        # Only the kinds of bracket the text has can make a name.
        t = self.t
        self.brackets = tuple(b for b in _NAME_BRACKETS if b[0] in t) if _NAME_OPEN_RE.search(t) else ()
        # Where the first comparator word and the first baseline marker of the text start (computed
        # when first needed): a number before it has none in its window, no scan needed.
        self._first_cmp: int | None = None
        self._first_base: int | None = None

    # --- candidates -----------------------------------------------------------------

    def _in_name(self, pos: int) -> bool:
        """Is `pos` inside a short quoted or titled span? Local look-around, no whole-text scan."""
        t = self.t
        for open_, close, limit in self.brackets:
            i = t.rfind(open_, max(0, pos - limit), pos)
            if i < 0 or t.find(close, i + 1, pos) >= 0:
                continue
            j = t.find(close, pos, i + limit + 1)
            if j >= 0 and t.find(open_, pos, j) < 0:
                return True
        if self.ascii_quotes:
            # ASCII quotes pair left to right: inside when an odd number precede.
            k = bisect_left(self.ascii_quotes, pos)
            if k % 2 == 1 and k < len(self.ascii_quotes):
                i, j = self.ascii_quotes[k - 1], self.ascii_quotes[k]
                return j - i <= 41 and "\n" not in t[i:j]
        return False

    def _quantities(self) -> list[_Quantity]:
        t = self.t
        n = len(t)
        # Without brackets or quotes nothing is a name: skip the look-around per number.
        in_mask = self._in_name if self.brackets or self.ascii_quotes else None
        out: list[_Quantity] = []
        isspace = str.isspace

        def prev_char(pos: int) -> str:
            j = pos - 1
            while j >= 0 and t[j].isspace():
                j -= 1
            return t[j] if j >= 0 else ""

        def next_char(pos: int) -> str:
            j = pos
            while j < n and t[j].isspace():
                j += 1
            return t[j] if j < n else ""

        for m in _ARABIC_RE.finditer(t):
            a_s, am, ap, _, b_s, mult, more, unit_raw, suf = m.groups()
            if not unit_raw:
                if ap:
                    unit_raw = "%"
                elif not mult and not am:
                    continue  # a bare number: year, label, phone, date part
            start, end = m.span()
            before = t[start - 1] if start else ""
            if before in _NUMBER_BEFORE or (in_mask is not None and in_mask(start)):
                continue
            if (prev_char(start) if isspace(before) else before) == "第":
                continue
            nc = t[end] if end < n else ""
            if isspace(nc):
                nc = next_char(end)
            if nc == "+":
                continue
            if unit_raw:
                # Keys of _UNITS have no spaces: a key as written is its own compact form.
                unit_key = unit_raw if unit_raw in _UNITS else _compact(unit_raw)
                if not suf and nc and nc in _BAD_NEXT.get(unit_key, ""):
                    continue  # the unit starts a word
                unit = _UNITS[unit_key]
            else:
                unit = ""
            amult = am or mult  # 3—5万人: the trailing 万 scales both ends
            cmp: Comparator | None = None
            value = low = high = None
            if b_s:
                cmp = "range"
                low, high = _arabic_value(a_s, amult), _arabic_value(b_s, mult)
            else:
                value = _arabic_value(a_s, amult)
                if suf:
                    cmp = _SUFFIX_CMP[suf] if suf in _SUFFIX_CMP else _SUFFIX_CMP[_compact(suf)]
                elif more:
                    cmp = "gt"  # 100余所
            out.append(_Quantity(start, end, cmp, value, low, high, unit, False))

        # Chinese numerals are common in words (一体化, 进一步); scan only when one precedes a counter.
        if _CN_COUNT_RE.search(t):
            arabic = len(out)
            taken = [(q.start, q.end) for q in out]
            taken_starts = [q.start for q in out]
            for m in _CN_RE.finditer(t):
                start, end = m.span()
                i = bisect_right(taken_starts, start) - 1
                if i >= 0 and taken[i][0] <= start < taken[i][1]:
                    continue
                a_s, _, b_s, more, unit_raw, suf = m.groups()
                unit_raw = _compact(unit_raw)
                if (in_mask is not None and in_mask(start)) or prev_char(start) == "第":
                    continue
                if not suf:
                    nc = next_char(end)
                    if (nc and nc in _BAD_NEXT.get(unit_raw, "")) or _SLOGAN_RE.match(t, end):
                        continue
                b_s = b_s or ""
                if not a_s.strip("百千万亿"):
                    continue  # 百家, 千家万户: a bare magnitude is an idiom; counts say 一百家
                b2: Decimal | None = None
                if not b_s and len(a_s) == 2 and a_s[0] in CN_DIGITS and a_s[1] in CN_DIGITS:
                    # 两三个, 三四所: an approximate range written as two adjacent digits.
                    lo, hi = CN_DIGITS[a_s[0]], CN_DIGITS[a_s[1]]
                    if not (hi == lo + 1 or (lo, hi) == (1, 2)):
                        continue
                    a2: Decimal | None = Decimal(lo)
                    b2 = Decimal(hi)
                else:
                    a2 = to_number(a_s)
                    b2 = to_number(b_s) if b_s else None
                    if a2 is None or (b_s and b2 is None):
                        continue
                assert a2 is not None
                q = self._make(start, end, suf, more, a2, None, b2, None, _UNITS[unit_raw])
                q.is_one = a_s == "一" and not b_s
                out.append(q)
            if len(out) > arabic:
                out.sort(key=lambda q: q.start)
        return out

    @staticmethod
    def _make(
        start: int,
        end: int,
        suf: str | None,
        more: str | None,
        a: Decimal,
        amult: str | None,
        b: Decimal | None,
        bmult: str | None,
        unit: str,
    ) -> _Quantity:
        cmp: Comparator | None = None
        value = low = high = None
        if b is not None:
            cmp = "range"
            low, high = _scaled(a, amult), _scaled(b, bmult)
        else:
            value = _scaled(a, amult)
            if suf:
                cmp = _SUFFIX_CMP[_compact(suf)]
            elif more:
                cmp = "gt"  # 100余所, 十多个
        return _Quantity(start, end, cmp, value, low, high, unit, False)

    # --- context ----------------------------------------------------------------------

    def run(self) -> list[Target]:
        qs = self._quantities()
        if not qs:
            return []
        t = self.t
        text = self.text
        # Clause texts without whitespace (most) need no compaction of their slices.
        compact = _compact if has_space(text) else _same
        clause_ends = self.clause_ends = [m.start() for m in _CLAUSE_END_RE.finditer(t)]
        self.segment_ends = [i for i in clause_ends if t[i] in _SEGMENT_DELIMS]
        self.sentence_ends = [i for i in self.segment_ends if t[i] in _SENTENCE_DELIMS]
        self._marks: dict[int, list[tuple[int, int | None, bool]]] = {}
        self.has_year_words = "年" in t or "五" in t
        n_ends = len(clause_ends)
        n = len(t)
        clause_id, offset = self.clause_id, self.offset

        targets: list[Target] = []
        prev: _Quantity | None = None
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
            clause_pre = compact(t[c_lo:q_start])

            comparator = q.comparator
            prefix_cmp: Comparator | None = None
            if comparator is None:
                prefix_cmp = self._prefix_cmp(pre_lo, q_start)
                if prefix_cmp is None and prev is not None and prev_prefix_cmp and prev.end > c_lo:
                    # 至少建设1所X和1个Y: a prefix comparator covers coordinated quantities.
                    gap = compact(t[prev.end : q_start])
                    if any(c in gap for c in "和及与、"):
                        prefix_cmp = prev_prefix_cmp
                comparator = prefix_cmp
            if q.is_one and comparator is None:
                prev_prefix_cmp = None
                continue  # 一个/一所 without 至少…: an article, not a count
            comparator = comparator or "eq"

            post_hi = min(c_hi, nxt.start) if nxt else c_hi
            post_raw = compact(text[q_end:post_hi])
            pre_raw = compact(text[pre_lo:q_start])

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

            subject = self._post_subject(post_raw, q, nxt, nxt is not None and post_hi == nxt.start) if post_raw else ""
            if not subject and by_norm:
                subject = self._disposed_object(q_start, c_lo) or _strip_trail(_strip_lead(clause_pre[by_pos + 1 :].lstrip("照")))
            if not subject:
                subject = self._pre_subject(pre_raw)
            if not subject and targets and targets[-1].unit == q.unit and self._same_sentence(qs_prev_start, q_start):
                subject = targets[-1].subject  # 现有职业院校15所，到2025年达到20所: same subject
            if not unit:
                unit = "人次" if subject.endswith("人次") else "人" if _PEOPLE_RE.search(subject) else ""

            if kind is None:
                kind = "baseline" if self._is_baseline(q_start) else "target"
            year = self._year(q_start, baseline=kind == "baseline")

            value, low, high = q.value, q.low, q.high
            if comparator == "ge" or comparator == "gt":
                low = value
            elif comparator == "le" or comparator == "lt":
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
        last = None
        for last in _PREFIX_CMP_SCAN_RE.finditer(self.t, lo, pos):
            pass
        if last is None:
            return None
        word = last.group()
        return _PREFIX_WORD_KIND[word] if word in _PREFIX_WORD_KIND else _PREFIX_WORD_KIND[_compact(word)]

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
        if not self.has_year_words:
            return None  # every deadline expression has 年 or 十X五 (see _year_marks)
        lo, hi = self._bounds(self.segment_ends, pos)
        before: int | None = None
        after: int | None = None
        for mpos, year, as_of in self._year_marks(lo, hi):
            if year is None or as_of != baseline:
                continue
            if mpos < pos:
                before = year
            elif after is None:
                after = year
        return before if before is not None else after

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

    def _post_subject(self, post: str, q: _Quantity, nxt: _Quantity | None, abuts_next: bool) -> str:
        """The noun after the quantity: 培育10家以上的省级产教融合型企业 → 省级产教融合型企业."""
        if not post or post[0] in _CLAUSE_DELIMS + "、。":
            return ""
        paren = _LONG_PAREN_RE.search(post)
        if paren:
            post = post[: paren.start()]
        generic = _GENERIC_HEAD_RE.match(post)
        if generic:
            # 30%的比例用于教师劳动报酬: what follows the rate names the subject; 14.5万人的目标: nothing does.
            rest = _drop_post_lead(post[generic.end() :])
            return rest if len(rest) >= 3 else ""
        post = _drop_post_lead(post)
        if "的" in post:
            head, _, tail = post.rpartition("的")
            # 8个政府部门的建议 counts 部门; 10个特色鲜明、服务精准的产业学院 counts 学院.
            post = head if _POSSESSOR_RE.search(head, max(0, len(head) - _POSSESSOR_WIDTH)) or not tail else tail
        else:
            if _ATTRIBUTIVE_VERB_RE.match(post):
                # 30个对接区域产业发展需求，兼具…功能的高水平产教融合基地: the head follows the 的.
                post = self._head_after_de(q, nxt) or post
            parts = post.split("、")
            k = 0
            # 活页式、工作手册式新型教材 / 高水平、专业化…基地: coordinated modifiers belong to the head.
            while k < len(parts) - 1 and _MODIFIER_RE.fullmatch(parts[k]):
                k += 1
            post = "、".join(parts[: k + 1])
        verb = _POST_VERB_RE.search(post, 2)
        if verb:
            post = post[: verb.start()]
        for _ in range(3):
            trimmed = _drop_post_trail(_strip_lead(post))
            if trimmed == post:
                break  # a fixed point: further rounds change nothing
            post = trimmed
        if nxt is not None and abuts_next:
            # 7所高职院校在校生6.7万人: the measure noun belongs to the next number.
            post = _drop_measure_tail(post) or post
        return post

    def _head_after_de(self, q: _Quantity, nxt: _Quantity | None) -> str:
        _, seg_hi = self._bounds(self.segment_ends, q.start)
        hi = min(seg_hi, q.end + 80, nxt.start if nxt else seg_hi)
        ext = _compact(self.text[q.end : hi])
        m = _HEAD_AFTER_DE_RE.search(ext)
        return m.group(1) if m else ""

    def _disposed_object(self, pos: int, clause_lo: int) -> str:
        """把继续教育经费列入…，按照…2元的标准拨付: the 把/将 object names what is funded."""
        lo, _ = self._bounds(self.segment_ends, pos)
        found = None
        for found in _DISPOSE_RE.finditer(_compact(self.text[lo:clause_lo])):
            pass
        return found.group(1) if found else ""

    @staticmethod
    def _pre_subject(pre: str) -> str:
        """The noun phrase before the verb: 中等职业学校在校生规模达到45万人 → 中等职业学校在校生规模."""
        if pre.endswith("的"):
            verbs = list(_BASE_VERB_RE.finditer(pre))
            if verbs:
                pre = pre[: verbs[-1].start()]
        pre = _strip_lead(_strip_trail(_strip_lead(pre)))
        parts = pre.split("、")
        if len(parts) > 1 and "等" not in parts[-1]:
            # Trim at 、 but keep modifiers (高水平、专业化实训基地); A、B、C等X keeps its list.
            k = len(parts) - 1
            while k > 0 and _MODIFIER_RE.fullmatch(parts[k - 1]):
                k -= 1
            pre = _strip_lead("、".join(parts[k:]))
        return pre
