"""Penalties of legal texts (罚则) as targets of kind `norm`: fines, detention and prison terms.

处一万元以上五万元以下罚款 → 罚款 10000—50000 元; 处二百元罚款 → 罚款 200 元; 处五日以下拘留 → 拘留 ≤5 日;
处三年以上七年以下有期徒刑 → 有期徒刑 3—7 年; 处违法所得一倍以上五倍以下罚款 → 罚款 1—5 倍; 并处罚金二万元 →
罚金 20000 元. Amounts are read in 元 (万元 and 亿元 multiplied out), numerals Arabic or Chinese. A revision that
raises a fine then shows as a numeric change of its article, as the targets of plans do.
"""

from __future__ import annotations

import re
from bisect import bisect_right

from policydiff.schema import Comparator, Target
from policydiff.text.numbers import MULTIPLIERS, to_number

_NUM = r"\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百千万亿]+"
# The unit of an amount, and what it is an amount of.
_UNIT = r"[万亿]?元|倍|日|天|个月|年"
_AMOUNT = rf"(?:{_NUM})(?:{_UNIT})"
# An amount, a bound or a range, before the penalty (处…罚款) or after it (罚款…元).
_BOUNDS = rf"(?P<low>{_AMOUNT})以上(?:、|，)?(?P<high>{_AMOUNT})以下|(?P<le>{_AMOUNT})以下|(?P<ge>{_AMOUNT})以上|(?P<eq>{_AMOUNT})"
_PENALTY = r"罚款|罚金|行政拘留|拘留|有期徒刑"
# 处[违法所得]一倍以上五倍以下[的]罚款; a basis (违法所得, 货值金额) may stand before a multiple.
_BEFORE_RE = re.compile(rf"(?:{_BOUNDS})(?:的)?(?P<what>{_PENALTY})")
_AFTER_RE = re.compile(rf"(?P<what>罚款|罚金)(?:数额为|金额为)?(?P<eq>{_AMOUNT})(?![以\d])")
_SPLIT_RE = re.compile(rf"^(?P<n>{_NUM})(?P<u>{_UNIT})$")
_TRIGGERS = ("罚款", "罚金", "拘留", "徒刑")
# 对单位处…, 对其直接负责的主管人员和其他直接责任人员可以并处…: the person fined, right before the amount.
WHOM_REACH = 40  # characters before a penalty searched for its 对…处
_WHOM_RE = re.compile(r"对(?P<who>[^，,；;。：:、对]{0,29}?(?:单位|人|员|机构|企业|公司|组织|者))(?:，|,)?(?:可以|应当|一律)?(?:单|并)?处(?:以)?(?:违法所得|货值金额|[^，；。]{0,8}?)?$")
# The units an amount of each penalty can have: a number before 拘留 in 元 is something else's.
_UNITS_OF = {"罚款": {"元", "倍"}, "罚金": {"元", "倍"}, "拘留": {"日"}, "行政拘留": {"日"}, "有期徒刑": {"年", "个月"}}


def may_hold_penalty(text: str) -> bool:
    return any(word in text for word in _TRIGGERS)


def _amount(text: str) -> tuple[float, str] | None:
    """(value, unit) of an amount as written: 五万元 → (50000, 元), 一倍 → (1, 倍), 十五日 → (15, 日)."""
    m = _SPLIT_RE.match(text)
    if m is None:
        return None
    value = to_number(m.group("n"))
    if value is None:
        return None
    unit = m.group("u")
    if unit[0] in MULTIPLIERS:  # 万元, 亿元
        value *= MULTIPLIERS[unit[0]]
        unit = unit[1:]
    return float(value), "日" if unit == "天" else unit


def find_penalties(text: str, *, clause_id: str | None = None, offset: int = 0) -> list[Target]:
    """The fines, detention and prison terms a text sets, in order (empty when it names none)."""
    if not may_hold_penalty(text):
        return []
    found: list[Target] = []
    for m in _BEFORE_RE.finditer(text):
        target = _target(m, clause_id, offset, _whom(text, m.start()))
        if target is not None:
            found.append(target)
    # 罚款二百元 (amount after the word), where no penalty above holds it: matches of one finditer never
    # overlap, so only those of the first pattern are looked up (sorted spans, bisect: linear overall).
    starts, ends = [t.start - offset for t in found], [t.end - offset for t in found]
    for m in _AFTER_RE.finditer(text):
        if overlaps(starts, ends, m.start(), m.end()):
            continue
        target = _target(m, clause_id, offset, _whom(text, m.start()))
        if target is not None:
            found.append(target)
    return sorted(found, key=lambda t: t.start)


def overlaps(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Whether [start, end) overlaps one of the sorted, non-overlapping spans (starts[i], ends[i])."""
    i = bisect_right(starts, start) - 1
    if i >= 0 and ends[i] > start:
        return True
    return i + 1 < len(starts) and starts[i + 1] < end


def _whom(text: str, at: int) -> str | None:
    """Who the penalty falls on, when the sentence says it just before (对单位…处, 对其直接负责的主管人员…处)."""
    m = _WHOM_RE.search(text, max(0, at - WHOM_REACH), at)
    return m.group("who").removeprefix("其") if m else None


def _target(m: re.Match[str], clause_id: str | None, offset: int, whom: str | None = None) -> Target | None:
    what = m.group("what")
    groups = m.groupdict()
    comparator: Comparator
    if groups.get("low"):
        low, high = _amount(groups["low"]), _amount(groups["high"])
        if low is not None and high is not None and {low[1], high[1]} == {"个月", "年"}:
            # 六个月以上五年以下有期徒刑: both in months, exactly.
            low, high = (low[0] * (12 if low[1] == "年" else 1), "个月"), (high[0] * (12 if high[1] == "年" else 1), "个月")
        if low is None or high is None or low[1] != high[1]:
            return None
        comparator, unit, value, lo, hi = "range", low[1], None, low[0], high[0]
    else:
        comparator = "le" if groups.get("le") else "ge" if groups.get("ge") else "eq"
        one = _amount(groups.get("le") or groups.get("ge") or groups["eq"])
        if one is None:
            return None
        unit, value, lo, hi = one[1], one[0], None, None
    if unit not in _UNITS_OF[what]:
        return None
    return Target(
        raw=m.group(0),
        clause=clause_id,
        subject=f"{what}（{whom}）" if whom else what,
        comparator=comparator,
        value=value,
        low=lo,
        high=hi,
        unit=unit,
        kind="norm",
        start=offset + m.start(),
        end=offset + m.end(),
    )
