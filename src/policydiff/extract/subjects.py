"""The subject of a quantity: what is measured, as a short phrase taken from the clause.

培育10家以上的省级产教融合型企业 → 省级产教融合型企业 (the noun after the quantity);
中等职业学校在校生规模达到45万人 → 中等职业学校在校生规模 (the noun phrase before the verb).
All functions work on whitespace-free strings and trim with anchored patterns: leading dates,
adverbs and verbs (到2025年, 力争, 建设), trailing verbs and comparators (达到, 不低于).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from policydiff.extract.quantities import YEAR as _YEAR
from policydiff.vocabulary import alternation, domain_words

# Clause delimiters: a subject never crosses one.
CLAUSE_DELIMS = "，,；;。：:！!？?\t"
_LOCAL_LEVEL = r"(?:[\u4e00-\u9fff]{2})?[市县区]级"  # 市级/郑州市级: the issuer's own level, dropped so plans align
_LEAD_RE = re.compile(
    r"^(?:[、，,和及与并]"
    rf"|到{_YEAR}年(?:底|末)?|{_YEAR}年(?:底|末)?(?:之前|以前|前)|(?:通过|经过)?\d{{1,2}}年(?:共计|共|累计|内|间)?"
    r"|“?十[一二三四五六七八九]五”?(?:期间|时期|末)?"
    r"|力争|争取|其中|目前|当前|现有|截至|截止|预计|确保|努力|原则上|逐步|每年"
    rf"|(?:全市|全省|全县|全区|全国|我市|本市|我省|本省)(?:{alternation(domain_words('scope'))})?|各类"
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
# (tests/test_targets.py checks it against the pattern).
_TRAIL_WIDTH = 7  # 到2025年底
# X的N%: when the pre-phrase ends in 的 the number is a share of a base (…总量的30%): cut at the verb.
_BASE_VERB_RE = re.compile(r"不低于|不少于|不超过|不高于|超过|高于|低于|少于|达到|占")
_GENERIC_HEAD_RE = re.compile(r"^的?(?:比例|标准|目标|水平|规模|幅度)")
# Nouns that make X of X的Y the thing counted (data/domain.tsv); a search looks at the last _POSSESSOR_WIDTH characters.
_POSSESSORS = domain_words("possessor")
_POSSESSOR_RE = re.compile(f"(?:{alternation(_POSSESSORS)})$")
_POSSESSOR_WIDTH = max(map(len, _POSSESSORS), default=0)
_ATTRIBUTIVE_VERB_RE = re.compile(r"^(?:对接|具有|兼具|面向|服务|适应|满足|体现|覆盖|契合|符合|融合)")
_POST_VERB_RE = re.compile(r"无|没有|申办|申报|开展|参与|承担|实现|进行|开设|举办|纳入|入选|获得|成为|推动|保障|达到|覆盖|形成|提供|接受")
_POST_TRAIL_RE = re.compile(r"(?:建设|等|[、和及与])$")
_MEASURE_TAILS = domain_words("measure_tail")  # longest first: the leftmost match (data/domain.tsv)
_MEASURE_TAIL_RE = re.compile(f"(?:{alternation(_MEASURE_TAILS)})$")
_POST_LEAD_RE = re.compile(r"^(?:的|用于)")
_LONG_PAREN_RE = re.compile(r"[（(](?:[^（()）]{7,}|[^（()）]*$)")
_MODIFIER_RE = re.compile(r".+[式型性化]|高[\u4e00-\u9fff]{1,2}")  # 区别词 (活页式, 专业化) and 高水平-type adjectives


# String forms of three anchored substitutions on whitespace-free subjects (tests check them against
# _POST_LEAD_RE, _POST_TRAIL_RE and _MEASURE_TAIL_RE): each removes the one match there can be.
def _drop_post_lead(s: str) -> str:
    return s[1:] if s.startswith("的") else s.removeprefix("用于")


def _drop_post_trail(s: str) -> str:
    if s.endswith("建设"):
        return s[:-2]
    return s[:-1] if s and s[-1] in "等、和及与" else s


def _drop_measure_tail(s: str) -> str:
    for tail in _MEASURE_TAILS:
        if s.endswith(tail):
            return s[: -len(tail)]
    return s


def strip_lead(s: str) -> str:
    for _ in range(12):
        m = _LEAD_RE.match(s)
        if not m or not m.group(0):
            break
        s = s[m.end() :]
    return s


def strip_trail(s: str) -> str:
    for _ in range(12):
        # Every _TRAIL_RE match ends the string and is at most _TRAIL_WIDTH long: search only there.
        m = _TRAIL_RE.search(s, max(0, len(s) - _TRAIL_WIDTH))
        if not m or not m.group(0):
            break
        s = s[: m.start()]
    return s


def post_subject(post: str, head_after_de: Callable[[], str], measure_is_next: bool) -> str:
    """The noun after the quantity: 培育10家以上的省级产教融合型企业 → 省级产教融合型企业.

    `post` is the whitespace-free text from the quantity to the clause's end or the next quantity;
    `head_after_de` gives the noun after the next 的 further on (read only when needed);
    `measure_is_next`: the next quantity follows right after `post`.
    """
    if not post or post[0] in CLAUSE_DELIMS + "、。":
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
            post = head_after_de() or post
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
        trimmed = _drop_post_trail(strip_lead(post))
        if trimmed == post:
            break  # a fixed point: further rounds change nothing
        post = trimmed
    if measure_is_next:
        # 7所高职院校在校生6.7万人: the measure noun belongs to the next number.
        post = _drop_measure_tail(post) or post
    return post


def pre_subject(pre: str) -> str:
    """The noun phrase before the verb: 中等职业学校在校生规模达到45万人 → 中等职业学校在校生规模."""
    if pre.endswith("的"):
        verbs = list(_BASE_VERB_RE.finditer(pre))
        if verbs:
            pre = pre[: verbs[-1].start()]
    pre = strip_lead(strip_trail(strip_lead(pre)))
    parts = pre.split("、")
    if len(parts) > 1 and "等" not in parts[-1]:
        # Trim at 、 but keep modifiers (高水平、专业化实训基地); A、B、C等X keeps its list.
        k = len(parts) - 1
        while k > 0 and _MODIFIER_RE.fullmatch(parts[k - 1]):
            k -= 1
        pre = strip_lead("、".join(parts[k:]))
    return pre
