"""Metadata of laws and regulations: title forms, version history, dates with their kind, issuing body,
and the kind of document (law, administrative regulation, local regulation, rule, judicial
interpretation, normative document, plan, notice)."""

from __future__ import annotations

import re
from datetime import date

from policydiff.schema import DateKind, DocDate, DocKind, Metadata
from policydiff.text.numbering import cn_to_int
from policydiff.vocabulary import alternation, date_pattern, doc_types

# Names a normative document ends with (data/doc_types.tsv).
LEGAL_TITLE_WORDS = doc_types("legal")
# （试行）（暂行）（草案）（2018修正）（2018年修订）（一）: suffixes a title keeps.
TITLE_SUFFIX = r"(?:[（(](?:试行|暂行|草案|征求意见稿|修订草案|(?:19|20)\d{2}年?(?:修正|修订|修改)?(?:文本)?|[一二三四五六七八九十]{1,3})[)）])*"
# A law's title with its suffixes: LEGAL_TITLE_RE allows 110 characters before the type word, and marks.
LEGAL_TITLE_MAX = 120
LEGAL_TITLE_RE = re.compile(rf"^[《]?[^。；;：:！？]{{1,110}}?(?:{alternation(LEGAL_TITLE_WORDS)})[》]?{TITLE_SUFFIX}$")
# 转载 marks a reposted page, not part of the title.
REPOST_RE = re.compile(r"[（(]\s*转载\s*[)）]\s*$")

_DATE = date_pattern(groups="ymd")
_CN_DATE = r"(?P<cy>[一二三四五六七八九〇零○]{4})年(?P<cm>[一二三四五六七八九十]{1,3})月(?P<cd>[一二三四五六七八九十]{1,3})日"
DATE_RE = re.compile(rf"{_DATE}|{_CN_DATE}")
# The verb after a date says what happened on it; the first one within reach counts.
EVENT_RE = re.compile(r"通过|修正|修订|修改|公布|发布|颁布|施行|批准|印发|起实施")
EVENT_KIND: dict[str, DateKind] = {
    "通过": "adopted",
    "批准": "approved",
    "修正": "amended",
    "修改": "amended",
    "修订": "revised",
    "公布": "promulgated",
    "颁布": "promulgated",
    "发布": "promulgated",
    "印发": "issued",
    "施行": "effective",
    "起实施": "effective",
}
# How far after a date its verb may stand (a meeting name and a decision title sit between them).
EVENT_REACH = 160
HISTORY_RE = re.compile(rf"(?:{_DATE}|{_CN_DATE}).{{0,{EVENT_REACH}}}?(?:通过|修正|修订|公布|发布|颁布|施行|批准)")
EFFECTIVE_RE = re.compile(rf"自\s*(?:{_DATE}|{_CN_DATE})\s*起\s*(?:施行|实施|生效)")
FROM_PROMULGATION_RE = re.compile(r"自\s*(?:公布|发布|印发)之日起\s*(?:施行|实施|生效)")

_LEVEL = r"(?:[一二三四五六七八九十]{1,3})"
CONGRESS_RE = re.compile(
    rf"(?P<place>[\u4e00-\u9fff]{{2,12}}?(?:省|市|自治区|自治州|县|区|盟))?第{_LEVEL}届(?P<nat>全国)?人民代表大会(?P<sc>常务委员会)?"
)
ISSUER_ORDER_RE = re.compile(r"(?P<who>国务院|[\u4e00-\u9fff]{2,20}?(?:部|委员会|总局|署|局|行|人民政府))令")
COURT_RE = re.compile(r"^(?:最高人民法院|最高人民检察院)")
# Provinces by name, cities and counties by their suffix (not 市民/市场…, which start ordinary words).
PROVINCES = (
    "北京|天津|上海|重庆|河北|山西|辽宁|吉林|黑龙江|江苏|浙江|安徽|福建|江西|山东|河南|湖北|湖南|广东|海南|四川|贵州|云南"
    "|陕西|甘肃|青海|台湾|内蒙古|广西|西藏|宁夏|新疆|香港|澳门"
)
LOCAL_PREFIX_RE = re.compile(rf"^(?:(?:{PROVINCES})|[\u4e00-\u9fff]{{2,6}}?(?:市(?![民场容政])|自治州|自治县|县|盟))")

PLAN_WORDS = doc_types("plan")
NOTICE_WORDS = doc_types("notice")


def looks_like_legal_title(text: str) -> bool:
    t = REPOST_RE.sub("", text).strip()
    return bool(t) and len(t) <= LEGAL_TITLE_MAX and not t.startswith(("为", "根据", "按照", "第")) and bool(LEGAL_TITLE_RE.match(t))


def clean_title(text: str) -> str:
    t = REPOST_RE.sub("", text).strip()
    if t.startswith("《") and t.endswith("》") and t.count("《") == 1:
        t = t[1:-1]
    return t


_QUOTED_RE = re.compile(r"《[^《》]*》|〈[^〈〉]*〉")
# A meeting named without its verb (最高人民法院审判委员会第1832次会议、2021年2月26日…会议通过) shares the
# verb of the date after it.
MEETING_RE = re.compile(r"会议|审判委员会|检察委员会")
# 通过的《…决定》 / 批准的《…修正案》: the document changed by what was adopted that day.
_BY_INSTRUMENT_RE = re.compile(r"的\s*《[^《》]*》\s*(?:第[一二三四五六七八九十]+次)?\s*(?P<verb>修正|修订|修改)?")


def parse_dates(text: str) -> list[DocDate]:
    """Every date in `text` followed within reach by the verb of an event: 通过, 修正, 施行…

    Verbs inside quoted titles (《国务院关于修改…的决定》) do not count; a date whose verb is an
    instrument adopted that day (通过的《修正案》) is an amendment of the document.
    """
    out: list[DocDate] = []
    masked = _QUOTED_RE.sub(lambda q: "《" + "　" * (len(q.group()) - 2) + "》", text)
    matches = list(DATE_RE.finditer(text))
    for i, m in enumerate(matches):
        limit = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        ev = EVENT_RE.search(masked, m.end(), min(limit, m.end() + EVENT_REACH))
        if ev is None and MEETING_RE.search(text, m.end(), limit) and limit < len(text):
            ev = EVENT_RE.search(masked, limit, min(len(text), limit + EVENT_REACH))
            if ev is not None and DATE_RE.search(text, matches[i + 1].end(), ev.start()):
                ev = None  # the verb belongs to a later date
        if ev is None:
            if MEETING_RE.search(text, m.end(), limit) and not EVENT_RE.search(masked, m.end(), len(text)):
                when = match_date(m)
                if when is not None:  # 2020年11月9日 最高人民法院审判委员会: the meeting that adopted it
                    out.append(DocDate(kind="adopted", date=when, text=text[m.start() : limit].strip()))
            continue
        when = match_date(m)
        if when is None:
            continue
        kind = EVENT_KIND[ev.group()]
        by = _BY_INSTRUMENT_RE.match(text, ev.end())
        if by and kind in ("adopted", "approved"):
            kind = "revised" if by.group("verb") == "修订" else "amended"
        out.append(DocDate(kind=kind, date=when, text=text[m.start() : ev.end()]))
    return out


def match_date(m: re.Match[str]) -> date | None:
    try:
        if m.group("y"):
            return date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
        year = int("".join(str("〇一二三四五六七八九".find(c)) if c in "〇一二三四五六七八九" else "0" for c in m.group("cy")))
        month, day = cn_to_int(m.group("cm")), cn_to_int(m.group("cd"))
        return date(year, month or 0, day or 0)
    except ValueError:
        return None


HISTORY_START_RE = re.compile(rf"^(?:根据|经)?\s*(?:{_DATE}|{_CN_DATE})")


def is_history_line(text: str) -> bool:
    """A line of the version history: dated events only (…通过, 根据…修正, …审判委员会第1832次会议),
    often in parentheses."""
    t = text.strip("（）() ")
    if len(t) > 3000 or t.endswith(("：", ":")) or t.count("。") > 2:
        return False
    if HISTORY_RE.search(t) and ("。" not in t.rstrip("。") or HISTORY_START_RE.match(t)):
        return True
    return bool(HISTORY_START_RE.match(t) and MEETING_RE.search(t))


def read_history(meta: Metadata, lines: list[str]) -> None:
    """Fill the history, its dates and the issuing body from a law's header lines."""
    for line in lines:
        meta.history.append(line)
        if meta.authority is None:
            meta.authority = issuing_body(line)
    # One text: a meeting on one line may take its verb from the next (…第1732次会议 / …会议通过).
    meta.dates.extend(parse_dates("\n".join(lines)))


def issuing_body(text: str) -> str | None:
    m = CONGRESS_RE.search(text)
    if m:
        if m.group("nat"):
            return "全国人民代表大会" + (m.group("sc") or "")
        place = _after_date(m.group("place") or "")
        return f"{place}人民代表大会{m.group('sc') or ''}" if place else None
    m = ISSUER_ORDER_RE.search(text)
    if m:
        return _after_date(m.group("who"))
    return None


def _after_date(name: str) -> str:
    """`日上海市` → `上海市`: the lazy match may start inside the date before the name."""
    return name.rsplit("日", 1)[-1]


def effective_from(texts: list[str], meta: Metadata) -> None:
    """自2016年9月1日起施行 in the closing articles; 自公布之日起施行 takes the promulgation date."""
    for text in reversed(texts):
        m = EFFECTIVE_RE.search(text)
        if m:
            when = match_date(m)
            if when is not None:
                meta.effective_date = when
                if not any(d.kind == "effective" and d.date == when for d in meta.dates):
                    meta.dates.append(DocDate(kind="effective", date=when, text=m.group()))
            return
        if FROM_PROMULGATION_RE.search(text):
            published = [d.date for d in meta.dates if d.kind in ("promulgated", "published", "issued")]
            if published:
                meta.effective_date = max(published)
            return
    effective = [d.date for d in meta.dates if d.kind == "effective"]
    if effective:
        meta.effective_date = max(effective)


def latest_version_date(meta: Metadata) -> date | None:
    """The date of the text as it stands: its last adoption, amendment, revision or promulgation."""
    events = [d.date for d in meta.dates if d.kind in ("adopted", "amended", "revised", "promulgated", "published", "issued", "approved")]
    return max(events) if events else None


def doc_kind_of(meta: Metadata) -> DocKind | None:
    title = meta.title or ""
    if not title:
        return None
    bare = re.sub(TITLE_SUFFIX + "$", "", title)
    authority = meta.authority or ""
    history = " ".join(meta.history)
    local = bool(LOCAL_PREFIX_RE.match(bare)) and not bare.startswith("中华人民共和国")
    congress = "人民代表大会" in authority or "人民代表大会" in history
    if COURT_RE.match(bare) or authority.startswith("最高人民") or bare.endswith("解释") and "适用" in bare:
        return "judicial-interpretation"
    if bare.endswith(("法", "法典", "修正案")) and not bare.endswith("办法"):
        return "local-regulation" if local else "law"
    state_council = authority == "国务院" or bool(re.search(r"国务院(?:令|批准|发布|公布|第\d+次常务会议)", history))
    ministry = bool(re.search(r"令\s*第|[部委局署]务会议|委员会会议", history))
    if bare.endswith("条例"):
        if state_council:
            return "administrative-regulation"
        if local or (congress and "全国" not in authority + history):
            return "local-regulation"
        return "administrative-regulation"
    if bare.endswith(("办法", "细则", "规定", "规则")):
        if local and re.search(r"实施[《〈]", bare):
            return "local-regulation"  # a province's 实施《X法》办法 is adopted by its people's congress
        if state_council:
            return "administrative-regulation"
        if congress:
            return "local-regulation" if local or "全国" not in authority + history else "law"
        if ministry or authority.endswith(("部", "委员会", "总局", "署", "局", "行")):
            return "rule"
        if "人民政府令" in history:
            return "rule"
        return "normative-document"
    if bare.endswith(("决定", "决议")):
        if congress:
            return "local-regulation" if local or "全国" not in authority + history else "law"
        return "normative-document"
    plan_title = meta.plan_title or bare
    if plan_title.endswith(PLAN_WORDS) or bare.endswith(PLAN_WORDS):
        return "plan"
    if bare.endswith(NOTICE_WORDS):
        return "notice"
    return "other"
