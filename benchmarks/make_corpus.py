"""Synthetic corpus of Chinese policy notices with known lineage, for benchmarking policydiff.

    python benchmarks/make_corpus.py 1000 --out /tmp/c1k --seed 1

Writes DIR/dNNNNNN.txt (UTF-8 plain text) and DIR/truth.csv with the columns
``doc, parent, family, cites_parent, level, date``:

- ``doc``/``parent``: file stems; ``parent`` is empty for roots.
- ``family``: id of the tree (one root per family).
- ``cites_parent``: 1 when the preamble cites the parent as ``《title》（doc number）``.
- ``level``: generation depth, 0 for roots, 1 for their children, 2 for grandchildren.
- ``date``: ISO date of the document: its ``…印发`` date, or where it has no footer,
  its signature (or news lead) date. Children are always dated after their parent.

How the corpus is built. The seeds in data/raw are parsed with line regexes into sections
and numbered clauses; seeds with enough clauses become root templates, the rest only feed
a pool of sentences. Place names in the seeds are replaced by markers (private-use
characters) so that one text can be rendered for any place. A *root* is a template
varied hard (most sentences swapped for pool sentences, clauses shuffled, reworded,
numbers changed) so that roots of one template are distinct families. A *child* copies its
parent's content and edits it like a county office does: drops, reorders, merges and
splits clauses, adds clauses from unrelated families, rewords, scales targets, and is
localized to its own place. Surface noise (page breaks, PDF spacing, markdown, web noise,
…) is drawn per document at render time and never inherited.

Deterministic for a given --seed (one random.Random, no set iteration); documents are
streamed to disk as they are made and file names are a random permutation, so the
order of names says nothing about lineage.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
import re
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SEEDS = REPO / "data" / "raw"

# ---------------------------------------------------------------------------
# Places: real provinces, prefecture cities and counties. "name|abbr" where abbr is
# the one-character 机关代字 used in document numbers (郑政办, 汴政, 宛政办 …).
# ---------------------------------------------------------------------------

PLACE_TABLE: dict[str, dict[str, str]] = {
    "河南省|豫": {
        "郑州市|郑": "中原区 二七区 管城回族区 金水区 上街区 惠济区 中牟县 巩义市 荥阳市 新密市 新郑市 登封市",
        "开封市|汴": "龙亭区 顺河回族区 鼓楼区 禹王台区 祥符区 杞县 通许县 尉氏县 兰考县",
        "洛阳市|洛": "老城区 西工区 瀍河回族区 涧西区 偃师区 孟津区 洛龙区 新安县 栾川县 嵩县 汝阳县 宜阳县 洛宁县 伊川县",
        "平顶山市|平": "卫东区 石龙区 湛河区 宝丰县 叶县 鲁山县 郏县 舞钢市 汝州市",
        "安阳市|安": "文峰区 北关区 殷都区 龙安区 安阳县 汤阴县 滑县 内黄县 林州市",
        "鹤壁市|鹤": "鹤山区 山城区 淇滨区 浚县 淇县",
        "新乡市|新": "红旗区 卫滨区 凤泉区 牧野区 新乡县 获嘉县 原阳县 延津县 封丘县 卫辉市 辉县市 长垣市",
        "焦作市|焦": "解放区 中站区 马村区 山阳区 修武县 博爱县 武陟县 温县 沁阳市 孟州市",
        "濮阳市|濮": "华龙区 清丰县 南乐县 范县 台前县 濮阳县",
        "许昌市|许": "魏都区 建安区 鄢陵县 襄城县 禹州市 长葛市",
        "漯河市|漯": "源汇区 郾城区 召陵区 舞阳县 临颍县",
        "三门峡市|三": "湖滨区 陕州区 渑池县 卢氏县 义马市 灵宝市",
        "南阳市|宛": "宛城区 卧龙区 南召县 方城县 西峡县 镇平县 内乡县 淅川县 社旗县 唐河县 新野县 桐柏县 邓州市",
        "商丘市|商": "梁园区 睢阳区 民权县 睢县 宁陵县 柘城县 虞城县 夏邑县 永城市",
        "信阳市|信": "浉河区 平桥区 罗山县 光山县 新县 商城县 固始县 潢川县 淮滨县 息县",
        "周口市|周": "川汇区 淮阳区 扶沟县 西华县 商水县 沈丘县 郸城县 太康县 鹿邑县 项城市",
        "驻马店市|驻": "驿城区 西平县 上蔡县 平舆县 正阳县 确山县 泌阳县 汝南县 遂平县 新蔡县",
    },
    "山东省|鲁": {
        "济南市|济": "历下区 槐荫区 天桥区 历城区 长清区 章丘区 济阳区 莱芜区 钢城区 平阴县 商河县",
        "青岛市|青": "黄岛区 崂山区 李沧区 城阳区 即墨区 胶州市 平度市 莱西市",
        "淄博市|淄": "张店区 淄川区 博山区 临淄区 周村区 桓台县 高青县 沂源县",
        "潍坊市|潍": "潍城区 寒亭区 坊子区 奎文区 临朐县 昌乐县 青州市 诸城市 寿光市 安丘市 高密市 昌邑市",
        "烟台市|烟": "芝罘区 福山区 牟平区 莱山区 蓬莱区 龙口市 莱阳市 莱州市 招远市 栖霞市 海阳市",
        "临沂市|临": "兰山区 罗庄区 河东区 沂南县 郯城县 沂水县 兰陵县 费县 平邑县 莒南县 蒙阴县 临沭县",
        "济宁市|济": "任城区 兖州区 微山县 鱼台县 金乡县 嘉祥县 汶上县 泗水县 梁山县 曲阜市 邹城市",
    },
    "河北省|冀": {
        "石家庄市|石": "长安区 桥西区 新华区 裕华区 藁城区 鹿泉区 栾城区 正定县 行唐县 灵寿县 赞皇县 辛集市 晋州市 新乐市",
        "保定市|保": "竞秀区 莲池区 满城区 清苑区 徐水区 涞水县 定兴县 高阳县 涿州市 定州市 安国市 高碑店市",
        "邯郸市|邯": "邯山区 丛台区 复兴区 峰峰矿区 肥乡区 永年区 临漳县 成安县 大名县 涉县 磁县 武安市",
        "唐山市|唐": "路南区 路北区 古冶区 开平区 丰南区 丰润区 曹妃甸区 滦南县 乐亭县 迁西县 玉田县 遵化市 迁安市 滦州市",
    },
    "湖北省|鄂": {
        "武汉市|武": "江岸区 江汉区 硚口区 汉阳区 武昌区 青山区 洪山区 东西湖区 蔡甸区 江夏区 黄陂区 新洲区",
        "宜昌市|宜": "西陵区 伍家岗区 点军区 猇亭区 夷陵区 远安县 兴山县 秭归县 宜都市 当阳市 枝江市",
        "襄阳市|襄": "襄城区 樊城区 襄州区 南漳县 谷城县 保康县 老河口市 枣阳市 宜城市",
        "荆州市|荆": "沙市区 荆州区 公安县 江陵县 石首市 洪湖市 松滋市 监利市",
    },
    "安徽省|皖": {
        "合肥市|合": "瑶海区 庐阳区 蜀山区 包河区 长丰县 肥东县 肥西县 庐江县 巢湖市",
        "芜湖市|芜": "镜湖区 鸠江区 弋江区 湾沚区 繁昌区 南陵县 无为市",
        "阜阳市|阜": "颍州区 颍东区 颍泉区 临泉县 太和县 阜南县 颍上县 界首市",
        "蚌埠市|蚌": "龙子湖区 蚌山区 禹会区 淮上区 怀远县 五河县 固镇县",
    },
    "江苏省|苏": {
        "徐州市|徐": "云龙区 贾汪区 泉山区 铜山区 丰县 沛县 睢宁县 新沂市 邳州市",
        "南京市|宁": "玄武区 秦淮区 建邺区 浦口区 栖霞区 雨花台区 江宁区 六合区 溧水区 高淳区",
        "苏州市|苏": "姑苏区 虎丘区 吴中区 相城区 吴江区 常熟市 张家港市 昆山市 太仓市",
        "盐城市|盐": "亭湖区 盐都区 大丰区 响水县 滨海县 阜宁县 射阳县 建湖县 东台市",
    },
    "湖南省|湘": {
        "长沙市|长": "芙蓉区 天心区 岳麓区 开福区 雨花区 望城区 长沙县 浏阳市 宁乡市",
        "株洲市|株": "荷塘区 芦淞区 石峰区 天元区 渌口区 攸县 茶陵县 炎陵县 醴陵市",
        "衡阳市|衡": "珠晖区 雁峰区 石鼓区 蒸湘区 南岳区 衡阳县 衡南县 衡山县 衡东县 祁东县 耒阳市 常宁市",
    },
    "山西省|晋": {
        "太原市|并": "小店区 迎泽区 杏花岭区 尖草坪区 万柏林区 晋源区 清徐县 阳曲县 娄烦县 古交市",
        "大同市|同": "新荣区 平城区 云冈区 云州区 阳高县 天镇县 广灵县 灵丘县 浑源县 左云县",
        "长治市|长": "潞州区 上党区 屯留区 潞城区 襄垣县 平顺县 黎城县 壶关县 长子县 武乡县 沁县 沁源县",
    },
    "陕西省|陕": {
        "西安市|市": "新城区 碑林区 莲湖区 灞桥区 未央区 雁塔区 阎良区 临潼区 高陵区 鄠邑区 蓝田县 周至县",
        "宝鸡市|宝": "渭滨区 金台区 陈仓区 凤翔区 岐山县 扶风县 眉县 陇县 千阳县 麟游县 凤县 太白县",
        "咸阳市|咸": "秦都区 杨陵区 渭城区 三原县 泾阳县 乾县 礼泉县 永寿县 长武县 旬邑县 淳化县 武功县 兴平市 彬州市",
    },
}


@dataclass
class Place:
    full: str  # 新郑市
    short: str  # 新郑 (the full name when the short one would be a single character: 叶县)
    rank: str  # province | city | county
    lv: str  # the level character a notice uses for itself: 省 / 市 / 县 / 区
    abbr: str  # 机关代字 for document numbers
    parent: Place | None = None
    subs: list[Place] = field(default_factory=list)

    @property
    def up(self) -> Place:
        return self.parent or self

    @property
    def province(self) -> Place:
        p = self
        while p.parent is not None:
            p = p.parent
        return p


def _county(name: str, city: Place) -> Place:
    lv = name[-1]
    short = name[:-3] if name.endswith("回族区") else name[:-1]
    if len(short) < 2:
        short = name
    return Place(name, short, "county", lv, short[0], city)


def build_places() -> list[Place]:
    """All places, provinces first; county names that repeat across cities are kept once."""
    out: list[Place] = []
    seen: dict[str, bool] = {}
    for pkey, cities in PLACE_TABLE.items():
        pname, pabbr = pkey.split("|")
        prov = Place(pname, pname[:-1], "province", "省", pabbr)
        out.append(prov)
        for ckey, counties in cities.items():
            cname, cabbr = ckey.split("|")
            city = Place(cname, cname[:-1], "city", "市", cabbr, prov)
            prov.subs.append(city)
            out.append(city)
            for name in counties.split():
                if name in seen:
                    continue
                seen[name] = True
                county = _county(name, city)
                city.subs.append(county)
                out.append(county)
    return out


# ---------------------------------------------------------------------------
# Markers: seed texts are stored with place names replaced by private-use characters, so
# one content tree renders for any place and a child can re-bind names cheaply.
# ---------------------------------------------------------------------------

M_FULL, M_SHORT, M_LV, M_ABBR = "\ue000", "\ue001", "\ue002", "\ue003"
M_UP_FULL, M_UP_SHORT = "\ue004", "\ue005"
M_PROV_FULL, M_PROV_SHORT, M_PROV_ABBR = "\ue006", "\ue007", "\ue008"
MARKERS = "".join(chr(0xE000 + i) for i in range(9))

# Department words that follow the level character when a notice speaks of itself
# (市教育局, 全市, 市级); 城市/市场 must not be touched.
_LV_NEXT = (
    "委|政府|人民政府|教育|教体|人社|人力资源|财政|发展改革|发改|工信|工业和信息化|自然资源|资源规划|"
    "农业农村|农委|卫健|卫生健康|商务|金融|交通运输|文化|文广|大数据|科技|科工信|民政|税务|总工会|"
    "国资|应急|审计|统计|档案|住房|信访|市场监|级|属|直|域|本级|委编办"
)
_PROVINCE_DEPT = [
    (re.compile("省(教育|财政|商务|科技|民政|交通运输|农业农村|审计)局"), r"省\1厅"),
    (re.compile("省人社局"), "省人力资源社会保障厅"),
    (re.compile("省(工信|科工信)局"), "省工业和信息化厅"),
    (re.compile("省教体局"), "省教育厅"),
]


def place_names(p: Place) -> dict[str, str]:
    return {
        M_FULL: p.full, M_SHORT: p.short, M_LV: p.lv, M_ABBR: p.abbr,
        M_UP_FULL: p.up.full, M_UP_SHORT: p.up.short,
        M_PROV_FULL: p.province.full, M_PROV_SHORT: p.province.short, M_PROV_ABBR: p.province.abbr,
    }


def instantiate(text: str, p: Place) -> str:
    table = str.maketrans(place_names(p))
    out = text.translate(table)
    if p.rank == "province":
        for rx, rep in _PROVINCE_DEPT:
            out = rx.sub(rep, out)
    return out


def markerizer(primary: Place, lv: str = "市") -> Callable[[str], str]:
    """Replace the seed's own place names (and its parent's, its province's) by markers."""
    pairs: list[tuple[str, str]] = [(primary.full, M_FULL), (primary.short, M_SHORT)]
    if primary.parent is not None and primary.parent.rank != "province":
        pairs += [(primary.parent.full, M_UP_FULL), (primary.parent.short, M_UP_SHORT)]
    prov = primary.province
    pairs += [(prov.full, M_PROV_FULL), (prov.short, M_PROV_SHORT)]
    alts = [re.escape(a) for a, _ in pairs]
    table = dict(pairs)
    abbr_ctx = f"(?<=[在驻来赴]){re.escape(primary.abbr)}"
    prov_ctx = f"{re.escape(prov.abbr)}(?=[京沪])"
    lv_self = f"(?<=[全我本该]){lv}|(?<![城都]){lv}(?=(?:{_LV_NEXT}))"
    rx = re.compile("|".join(alts + [f"(?P<abbr>{abbr_ctx})", f"(?P<prov>{prov_ctx})", f"(?P<lv>{lv_self})"]))

    def rep(m: re.Match[str]) -> str:
        if m.group("abbr"):
            return M_ABBR
        if m.group("prov"):
            return M_PROV_ABBR
        if m.group("lv"):
            return M_LV
        return table[m.group(0)]

    return lambda s: rx.sub(rep, s)


# ---------------------------------------------------------------------------
# Content model (what children inherit) and seed parsing.
# ---------------------------------------------------------------------------


@dataclass
class Clause:
    sents: list[str]  # sentences, the first is the lead (小标题句)
    units: str = ""  # responsible units joined by 、 (with markers); "" = no note

    def copy(self) -> Clause:
        return Clause(list(self.sents), self.units)


@dataclass
class Section:
    kind: str  # "h1" (一、) or "h2" (（一）)
    num: int
    title: str
    body: list[list[str]] = field(default_factory=list)  # paragraphs as sentence lists
    clauses: list[Clause] = field(default_factory=list)
    subs: list[Section] = field(default_factory=list)

    def copy(self) -> Section:
        return Section(
            self.kind, self.num, self.title, [list(p) for p in self.body],
            [c.copy() for c in self.clauses], [s.copy() for s in self.subs],
        )

    def walk(self) -> Iterator[Section]:
        yield self
        for s in self.subs:
            yield from s.walk()


@dataclass
class Content:
    purpose: str
    sections: list[Section]
    unit_form: int = 0  # 0 none, 1 （责任单位：…）, 2 （…等按职责分工负责）

    def copy(self) -> Content:
        return Content(self.purpose, [s.copy() for s in self.sections], self.unit_form)

    def walk(self) -> Iterator[Section]:
        for s in self.sections:
            yield from s.walk()

    def clause_count(self) -> int:
        return sum(len(s.clauses) for s in self.walk())

    def map(self, fn: Callable[[str], str]) -> None:
        """Apply a text edit to every string the document inherits."""
        self.purpose = fn(self.purpose)
        for s in self.walk():
            s.title = fn(s.title)
            s.body = [[fn(x) for x in p] for p in s.body]
            for c in s.clauses:
                c.sents = [fn(x) for x in c.sents]
                if c.units:
                    c.units = fn(c.units)


@dataclass
class Template:
    name: str
    content: Content
    clause_sep: str  # what follows a clause number: ". ", ".", "、", "．"
    h2_half: bool  # (一) rather than （一）
    continuous: bool  # clause numbers run through the document instead of restarting
    core: str  # title without the place, e.g. 职业教育创新发展高地建设实施方案
    kind: str  # 方案 | 意见


HEAD1 = re.compile(r"^([一二三四五六七八九十]+)\s*、\s*(.*)$")
HEAD2 = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[)）]\s*(.*)$")
CLAUSE = re.compile(r"^(\d+)(\s*[.．、](?!\d)\s*)(.*)$")
NOISE_LINE = re.compile(r"^(-{3,}|—\s*\d+\s*—|头条\s+\d{2}-\d{2}-\d{2}|\[bookmark[^\]]*\])$")
BODY_END = re.compile(r"^(附件|主办[:：]|抄送[:：]|\d{4}年\d{1,2}月\d{1,2}日(印发)?$)")
UNIT_NOTE = re.compile(r"[（(](?:责任单位[:：])?([^（）()]*?(?:（[^（）]*）[^（）()]*?)*)(等按职责分工负责|牵头负责)?[)）]$")
CN_NUM = "零一二三四五六七八九十"
_SPACE_NEAR_CJK = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
_HALF_TO_FULL = str.maketrans({",": "，", "(": "（", ")": "）", ":": "：", ";": "；"})
SENT_SPLIT = re.compile(r"(?<=[。；！？])")


def cn_to_int(s: str) -> int:
    if s == "十":
        return 10
    if s.startswith("十"):
        return 10 + CN_NUM.index(s[1])
    if s.endswith("十"):
        return CN_NUM.index(s[0]) * 10
    if "十" in s:
        return CN_NUM.index(s[0]) * 10 + CN_NUM.index(s[2])
    return CN_NUM.index(s)


def int_to_cn(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else CN_NUM[n]
    if n < 20:
        return "十" + CN_NUM[n - 10]
    return CN_NUM[n // 10] + "十" + (CN_NUM[n % 10] if n % 10 else "")


def split_sents(text: str) -> list[str]:
    return [s for s in SENT_SPLIT.split(text) if s.strip()]


def clean_line(line: str) -> str:
    line = line.strip().replace("**", "")
    line = re.sub(r"^#+\s*", "", line)
    line = re.sub(r"\[bookmark[^\]]*\]\s*", "", line)
    if NOISE_LINE.match(line):
        return ""
    # PDF text has spaces between characters; a space only matters between two ASCII words.
    return _SPACE_NEAR_CJK.sub("", line.translate(_HALF_TO_FULL))


def _is_heading(line: str) -> bool:
    return bool((HEAD1.match(line) or HEAD2.match(line)) and "。" not in line and len(line) < 48)


def paragraphs(raw: str) -> list[str]:
    """Logical paragraphs: join lines broken by page breaks or PDF wrapping."""
    paras: list[str] = []
    closed = True  # the last paragraph may not be continued
    for raw_line in raw.splitlines():
        line = clean_line(raw_line)
        if not line:
            continue
        heading = _is_heading(line)
        starts = heading or bool(CLAUSE.match(line)) or closed or not paras or line.startswith("为贯彻")
        if starts:
            paras.append(line)
        else:
            paras[-1] += line
        last = paras[-1]
        # Only long lines are cut by a page break or a PDF wrap; short ones are titles.
        closed = heading or len(line) < 25 or last.endswith(("。", "：", "；", "！", "？")) or bool(
            UNIT_NOTE.search(last) and CLAUSE.match(last)
        )
    return paras


def _clause_of(text: str) -> Clause:
    units = ""
    m = UNIT_NOTE.search(text)
    if m and ("局" in m.group(1) or "政府" in m.group(1) or "委" in m.group(1)):
        units = m.group(1).strip("，、 ")
        text = text[: m.start()]
    return Clause(split_sents(text) or [text], units)


def find_place(raw: str, places: list[Place]) -> Place:
    """The seed's own place: the authority in its first lines, else the most named place."""
    by_short = {p.short: p for p in places if p.rank != "province"}
    m = re.search(r"([\u4e00-\u9fff]{2,3}?)市(?:人民政府|教育局|印发)", raw)
    if m and m.group(1) in by_short:
        return by_short[m.group(1)]
    counts = sorted(((raw.count(p.full), i) for i, p in enumerate(places) if p.rank != "province"), reverse=True)
    return places[counts[0][1]]


def parse_seed(path: Path, places: list[Place]) -> tuple[Template | None, list[str]]:
    """A seed → a template (None when it has too few clauses) and its sentences for the pool."""
    raw = path.read_text(encoding="utf-8")
    place = find_place(raw, places)
    mark = markerizer(place)
    paras = [mark(p) for p in paragraphs(raw)]

    seps: dict[str, int] = {}
    h2_half = bool(re.search(r"^\s*#*\s*\([一二三四五六七八九十]", raw, re.M))
    for line in raw.splitlines():
        m = CLAUSE.match(re.sub(r"^#+\s*", "", line.strip()))
        if m:
            sep = m.group(2).replace("  ", " ")
            seps[sep] = seps.get(sep, 0) + 1
    clause_sep = max(seps.items(), key=lambda kv: kv[1])[0] if seps else ". "

    pre: list[str] = []
    top: list[Section] = []
    cur1: Section | None = None
    cur: Section | None = None
    numbers: list[int] = []
    for p in paras:
        if cur is not None and BODY_END.match(p):
            break
        if (m := HEAD1.match(p)) and _is_heading(p):
            cur1 = cur = Section("h1", cn_to_int(m.group(1)), m.group(2))
            top.append(cur1)
        elif (m := HEAD2.match(p)) and _is_heading(p):
            cur = Section("h2", cn_to_int(m.group(1)), m.group(2))
            (cur1.subs if cur1 is not None else top).append(cur)
        elif cur is None:
            pre.append(p)
        elif m := CLAUSE.match(p):
            numbers.append(int(m.group(1)))
            cur.clauses.append(_clause_of(m.group(3)))
        else:
            cur.body.append(split_sents(p))
    continuous = not any(b <= a for a, b in zip(numbers, numbers[1:]))
    content = Content(_purpose(pre), top)
    units = [c.units for s in content.walk() for c in s.clauses]
    if sum(1 for u in units if u) > len(units) // 2:
        content.unit_form = 2 if "按职责分工" in raw else 1

    pool = [x for s in content.walk() for c in s.clauses for x in c.sents[1:]]
    pool += [x for s in content.walk() for b in s.body for x in b]
    pool = [re.sub(r"^(首先|其次|再次|第[一二三四五六七八九十]|[一二三四]是)，", "", x) for x in pool]
    pool = [x for x in pool if len(x) >= 14 and not _META.search(x)]
    if len(units) < 10:  # a drafting note or a news brief: sentences only
        return None, pool
    return Template(path.stem, content, clause_sep, h2_half, continuous, _core(raw, place), _kind(raw)), pool


# Sentences of a drafting note that talk about the drafting itself, not policy.
_META = re.compile(r"部分|起草|征求意见|审议|本方案|说明|印发|座谈会|国务院|政府工作报告|〔\d{4}〕|实施方案》|以下简称")


def _purpose(pre: list[str]) -> str:
    """The goal phrase of the preamble, without its citations and its closing formula."""
    for p in reversed(pre):
        if p.startswith("为"):
            s = re.sub(r"^为.*?(精神|部署)，", "", p)
            s = re.sub(r"(，结合[^，]*实际)?(，经[^，]*同意)?，?(特)?制[定订].*$", "", s)
            s = s.rstrip("，。")
            if 6 <= len(s) <= 120:
                return s
    return ""


def _core(raw: str, place: Place) -> str:
    flat = _SPACE_NEAR_CJK.sub("", raw.replace("\n", ""))
    m = re.search(rf"《{place.full}([^《》]{{4,40}}?(?:方案|计划))", flat)
    if m:
        return re.sub(r"[（(].*?[)）]$", "", m.group(1))
    m = re.search(rf"关于{place.full}([^《》]{{4,40}}?)的实施意见", flat)
    if m:
        return m.group(1)
    return "职业教育改革实施方案"


def _kind(raw: str) -> str:
    return "意见" if re.search(r"实施意见\s*\n", raw[:400]) else "方案"


def load_seeds(seed_dir: Path, places: list[Place]) -> tuple[list[Template], list[str]]:
    templates: list[Template] = []
    pool: list[str] = []
    for path in sorted(seed_dir.glob("*.txt")):
        t, sents = parse_seed(path, places)
        pool += sents
        if t is not None:
            templates.append(t)
    if not templates:
        raise SystemExit(f"{seed_dir}: no seed notice has enough numbered clauses to serve as a template")
    return templates, pool
