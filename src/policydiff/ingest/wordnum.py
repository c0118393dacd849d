"""Word automatic list numbering: the labels Word draws but never stores in the paragraph text.

numbering.xml holds `w:abstractNum` definitions (one `w:lvl` per level: start value, numFmt,
lvlText such as `%1、` or `（%1）`) and `w:num` instances that point at one of them, optionally
restarting levels with `w:lvlOverride/w:startOverride`. A paragraph refers to a `w:num` through
`w:numPr` (directly or through its paragraph style). Counters follow Word: instances without
overrides share the counters of their abstract definition; an instance with a start override
counts on its own. Using a level resets the deeper levels (unless their `w:lvlRestart` says not).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"

# lvlText characters from the Symbol/Wingdings private-use area, drawn as bullets.
_BULLET_FALLBACK = "•"


@dataclass
class Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = "%1."
    suffix: str = "tab"
    restart: int | None = None  # w:lvlRestart: 0 = never; n = after any level < n (1-based) is used
    legal: bool = False  # w:isLgl: show all placeholders as decimal
    style: str | None = None  # w:pStyle: a paragraph style linked to this level


@dataclass
class NumInstance:
    abstract_id: str
    overrides: dict[int, Level] = field(default_factory=dict)
    start_overrides: dict[int, int] = field(default_factory=dict)


class Numbering:
    """Definitions from numbering.xml plus the running counters of one document pass."""

    def __init__(self, numbering_el: Any | None, styles_el: Any | None) -> None:
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.abstract_style_link: dict[str, str] = {}
        self.nums: dict[str, NumInstance] = {}
        self.style_numpr: dict[str, tuple[str | None, int | None]] = {}
        self.style_based_on: dict[str, str] = {}
        self.counters: dict[tuple[str, str], dict[int, int]] = {}
        if styles_el is not None:
            self._read_styles(styles_el)
        if numbering_el is not None:
            self._read_numbering(numbering_el)

    # -- reading -----------------------------------------------------------------
    def _read_styles(self, styles_el: Any) -> None:
        for st in styles_el.iter(f"{W}style"):
            sid = st.get(f"{W}styleId")
            if not sid:
                continue
            based = st.find(f"{W}basedOn")
            if based is not None and based.get(f"{W}val"):
                self.style_based_on[sid] = based.get(f"{W}val")
            numpr = st.find(f"{W}pPr/{W}numPr")
            if numpr is not None:
                self.style_numpr[sid] = _numpr_values(numpr)

    def _read_numbering(self, numbering_el: Any) -> None:
        for an in numbering_el.iter(f"{W}abstractNum"):
            aid = an.get(f"{W}abstractNumId")
            if aid is None:
                continue
            self.abstracts[aid] = {int(lvl.get(f"{W}ilvl", "0")): _read_level(lvl) for lvl in an.findall(f"{W}lvl")}
            link = an.find(f"{W}numStyleLink")
            if link is not None and link.get(f"{W}val"):
                self.abstract_style_link[aid] = link.get(f"{W}val")
        for num in numbering_el.iter(f"{W}num"):
            nid = num.get(f"{W}numId")
            ref = num.find(f"{W}abstractNumId")
            if nid is None or ref is None:
                continue
            inst = NumInstance(abstract_id=ref.get(f"{W}val", ""))
            for ov in num.findall(f"{W}lvlOverride"):
                ilvl = int(ov.get(f"{W}ilvl", "0"))
                so = ov.find(f"{W}startOverride")
                if so is not None:
                    inst.start_overrides[ilvl] = _int(so.get(f"{W}val"), 1)
                lvl = ov.find(f"{W}lvl")
                if lvl is not None:
                    inst.overrides[ilvl] = _read_level(lvl)
            self.nums[nid] = inst

    # -- resolving a paragraph -----------------------------------------------------
    def label_for(self, p_el: Any) -> str | None:
        """The label Word shows before paragraph `p_el` (advancing the counters), or None."""
        num_id, ilvl, style_id = self._paragraph_numpr(p_el)
        if num_id is None or num_id == "0" or num_id not in self.nums:
            return None
        inst = self.nums[num_id]
        levels = self._levels(inst.abstract_id)
        if ilvl is None:
            ilvl = next((i for i, lv in levels.items() if style_id and lv.style == style_id), 0)
        ilvl = max(0, min(ilvl, 8))
        level = self._level(inst, levels, ilvl)
        if level.fmt == "none" and "%" not in level.text:
            return level.text or None
        key = (num_id, "") if inst.start_overrides else ("", inst.abstract_id)
        counts = self.counters.setdefault(key, {})
        counts[ilvl] = counts[ilvl] + 1 if ilvl in counts else self._start(inst, levels, ilvl)
        for deeper in [d for d in counts if d > ilvl]:
            restart = self._level(inst, levels, deeper).restart
            if restart is None or (restart != 0 and ilvl <= restart - 1):
                del counts[deeper]
        text = level.text
        if level.fmt == "bullet":
            return "".join(_BULLET_FALLBACK if "\ue000" <= ch <= "\uf8ff" else ch for ch in text) or _BULLET_FALLBACK
        for k in range(8, -1, -1):
            token = f"%{k + 1}"
            if token not in text:
                continue
            if k > ilvl:
                text = text.replace(token, "")
                continue
            value = counts.get(k, self._start(inst, levels, k))
            fmt = self._level(inst, levels, k).fmt
            if level.legal and fmt != "decimalZero":
                fmt = "decimal"
            text = text.replace(token, format_number(value, fmt))
        return text

    def suffix_for(self, p_el: Any) -> str:
        num_id, ilvl, style_id = self._paragraph_numpr(p_el)
        if num_id is None or num_id not in self.nums:
            return "tab"
        inst = self.nums[num_id]
        levels = self._levels(inst.abstract_id)
        if ilvl is None:
            ilvl = next((i for i, lv in levels.items() if style_id and lv.style == style_id), 0)
        return self._level(inst, levels, max(0, min(ilvl, 8))).suffix

    def _paragraph_numpr(self, p_el: Any) -> tuple[str | None, int | None, str | None]:
        ppr = p_el.find(f"{W}pPr")
        style_id = None
        num_id: str | None = None
        ilvl: int | None = None
        if ppr is not None:
            ps = ppr.find(f"{W}pStyle")
            style_id = ps.get(f"{W}val") if ps is not None else None
            numpr = ppr.find(f"{W}numPr")
            if numpr is not None:
                num_id, ilvl = _numpr_values(numpr)
        if num_id is None or ilvl is None:
            s_num, s_ilvl = self._style_numpr(style_id)
            num_id = num_id if num_id is not None else s_num
            ilvl = ilvl if ilvl is not None else s_ilvl
        return num_id, ilvl, style_id

    def _style_numpr(self, style_id: str | None) -> tuple[str | None, int | None]:
        seen: set[str] = set()
        while style_id and style_id not in seen:
            seen.add(style_id)
            if style_id in self.style_numpr:
                return self.style_numpr[style_id]
            style_id = self.style_based_on.get(style_id)
        return None, None

    def _levels(self, abstract_id: str) -> dict[int, Level]:
        # numStyleLink: this definition is a stub; the numbering style points at the real one.
        seen: set[str] = set()
        while abstract_id in self.abstract_style_link and abstract_id not in seen:
            seen.add(abstract_id)
            num_id, _ = self._style_numpr(self.abstract_style_link[abstract_id])
            if num_id is None or num_id not in self.nums:
                break
            abstract_id = self.nums[num_id].abstract_id
        return self.abstracts.get(abstract_id, {})

    @staticmethod
    def _level(inst: NumInstance, levels: dict[int, Level], ilvl: int) -> Level:
        return inst.overrides.get(ilvl) or levels.get(ilvl) or Level(text=f"%{ilvl + 1}.")

    def _start(self, inst: NumInstance, levels: dict[int, Level], ilvl: int) -> int:
        if ilvl in inst.start_overrides:
            return inst.start_overrides[ilvl]
        return self._level(inst, levels, ilvl).start


def _read_level(lvl: Any) -> Level:
    def val(tag: str) -> str | None:
        el = lvl.find(f"{W}{tag}")
        return el.get(f"{W}val") if el is not None else None

    is_lgl = lvl.find(f"{W}isLgl")
    restart = val("lvlRestart")
    return Level(
        start=_int(val("start"), 1),
        fmt=val("numFmt") or "decimal",
        text=val("lvlText") or "",
        suffix=val("suff") or "tab",
        restart=_int(restart, 0) if restart is not None else None,
        legal=is_lgl is not None and is_lgl.get(f"{W}val", "1") not in ("0", "false"),
        style=val("pStyle"),
    )


def _numpr_values(numpr: Any) -> tuple[str | None, int | None]:
    nid = numpr.find(f"{W}numId")
    il = numpr.find(f"{W}ilvl")
    return (
        nid.get(f"{W}val") if nid is not None else None,
        _int(il.get(f"{W}val"), 0) if il is not None else None,
    )


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


# -- number formats -----------------------------------------------------------------

_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_TW_LEGAL_DIGITS = "零壹貳參肆伍陸柒捌玖"
_HEAVENLY_STEMS = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN = "⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇"
_FULLSTOP = "⒈⒉⒊⒋⒌⒍⒎⒏⒐⒑⒒⒓⒔⒕⒖⒗⒘⒙⒚⒛"
_CIRCLED_IDEOGRAPH = "㊀㊁㊂㊃㊄㊅㊆㊇㊈㊉"


def format_number(n: int, fmt: str) -> str:
    """Render counter `n` in Word's numFmt `fmt`; unknown formats fall back to decimal."""
    if fmt in ("decimal", "decimalHalfWidth"):
        return str(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) + 0xFEE0) if d.isdigit() else d for d in str(n))
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _CIRCLED[n - 1] if 1 <= n <= 20 else str(n)
    if fmt == "decimalEnclosedParen":
        return _PAREN[n - 1] if 1 <= n <= 20 else f"({n})"
    if fmt == "decimalEnclosedFullstop":
        return _FULLSTOP[n - 1] if 1 <= n <= 20 else f"{n}."
    if fmt == "ideographEnclosedCircle":
        return _CIRCLED_IDEOGRAPH[n - 1] if 1 <= n <= 10 else chinese_counting(n)
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return chinese_counting(n)
    if fmt == "chineseLegalSimplified":
        return chinese_counting(n, digits=_CN_LEGAL_DIGITS, units="拾佰仟", one_before_ten=True)
    if fmt == "ideographLegalTraditional":
        return chinese_counting(n, digits=_TW_LEGAL_DIGITS, units="拾佰仟", one_before_ten=True)
    if fmt == "japaneseCounting":
        return japanese_counting(n)
    if fmt in ("ideographDigital", "japaneseDigitalTenThousand", "taiwaneseDigital"):
        return "".join(_CN_DIGITS[int(d)] if d != "0" else "〇" for d in str(n))
    if fmt == "ideographTraditional":
        return _HEAVENLY_STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _EARTHLY_BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("upperRoman", "lowerRoman"):
        r = roman(n)
        return r if fmt == "upperRoman" else r.lower()
    if fmt in ("upperLetter", "lowerLetter"):
        # Word repeats the letter after Z: AA, BB, ...
        letter = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1) if n > 0 else str(n)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt == "none":
        return ""
    return str(n)


def chinese_counting(n: int, digits: str = _CN_DIGITS, units: str = "十百千", one_before_ten: bool = False) -> str:
    """一 … 十, 十一, 二十一, 一百零一, 一千零一十 (below 10⁸)."""
    if n <= 0:
        return digits[0] if n == 0 else str(n)
    if n >= 10**8:
        return str(n)
    if n >= 10000:
        high, low = divmod(n, 10000)
        rest = _below_10000(low, digits, units, leading=False) if low else ""
        zero = digits[0] if 0 < low < 1000 else ""
        return _below_10000(high, digits, units, leading=not one_before_ten) + "万" + zero + rest
    return _below_10000(n, digits, units, leading=not one_before_ten)


def _below_10000(n: int, digits: str, units: str, leading: bool) -> str:
    parts: list[str] = []
    values = [(1000, units[2]), (100, units[1]), (10, units[0]), (1, "")]
    zero_pending = False
    started = False
    for value, unit in values:
        d = (n // value) % 10
        if d == 0:
            zero_pending = started
            continue
        if zero_pending:
            parts.append(digits[0])
            zero_pending = False
        # 十一 rather than 一十一, but only at the very start of the number.
        if not (value == 10 and d == 1 and not started and leading):
            parts.append(digits[d])
        parts.append(unit)
        started = True
    return "".join(parts)


def japanese_counting(n: int) -> str:
    """Japanese style: no 零, and no 一 before 十/百/千 (百十一)."""
    if n <= 0 or n >= 10000:
        return str(n)
    out = []
    for value, unit in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        d = (n // value) % 10
        if d == 0:
            continue
        if not (d == 1 and unit):
            out.append(_CN_DIGITS[d])
        out.append(unit)
    return "".join(out)


def roman(n: int) -> str:
    if n <= 0 or n >= 4000:
        return str(n)
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"), (40, "XL"),
                       (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)
