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
import itertools
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
        """The place a seed's "郑州市级…" means: a county's city; a city or province itself."""
        return self.parent if self.parent is not None and self.rank == "county" else self

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


def replace_all(text: str, table: dict[str, str]) -> str:
    # str.replace per key: far faster than str.translate with a dict on long CJK text
    for k, v in table.items():
        text = text.replace(k, v)
    return text


def instantiate(text: str, p: Place) -> str:
    out = replace_all(text, place_names(p))
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

    def map_sents(self, fn: Callable[[str], str]) -> None:
        """Apply an edit to body sentences only: not to titles, leads or unit lists."""
        for s in self.walk():
            s.body = [[fn(x) for x in p] for p in s.body]
            for c in s.clauses:
                c.sents = c.sents[:1] + [fn(x) for x in c.sents[1:]]

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


@dataclass(frozen=True)
class Style:
    """Numbering of a family: set by its root, kept by every descendant."""

    clause_sep: str  # what follows a clause number: ". ", ".", "、", "．"
    h2_half: bool  # (一) rather than （一）
    continuous: bool  # clause numbers run through the document instead of restarting


@dataclass
class Template:
    name: str
    content: Content
    style: Style
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
SENT_SPLIT = re.compile(r"(?<=[。！？])")


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
    mark = markerizer(place, place.lv)
    paras = [mark(p) for p in paragraphs(raw)]

    seps: dict[str, int] = {}
    h2_half = bool(re.search(r"^\s*#*\s*\([一二三四五六七八九十]", raw, re.MULTILINE))
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
    continuous = not any(b <= a for a, b in itertools.pairwise(numbers))
    content = Content(_purpose(pre), top)
    units = [c.units for s in content.walk() for c in s.clauses]
    if sum(1 for u in units if u) > len(units) // 2:  # the seed writes unit notes: keep its form
        content.unit_form = 2 if "按职责分工" in raw else 1

    pool = [x for s in content.walk() for c in s.clauses for x in c.sents[1:]]
    pool += [x for s in content.walk() for b in s.body for x in b]
    pool = [re.sub(r"^(首先|其次|再次|第[一二三四五六七八九十]|[一二三四]是)，", "", x) for x in pool]
    pool = [x for x in pool if len(x) >= 14 and not _META.search(x)]
    if len(units) < 10:  # a drafting note or a news brief: sentences only
        return None, pool
    return Template(path.stem, content, Style(clause_sep, h2_half, continuous), _core(raw, place), _kind(raw)), pool


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


# ---------------------------------------------------------------------------
# Rewording and numbers.
# ---------------------------------------------------------------------------

# Pairs an editor swaps either way; a document enables a few and a direction for each.
SYNONYMS: list[tuple[str, str]] = [
    ("职业院校", "职业学校"), ("推进", "推动"), ("加强", "强化"), ("社区教育", "继续教育"),
    ("提升", "提高"), ("完善", "健全"), ("鼓励", "引导"), ("积极", "主动"), ("构建", "建立"),
    ("校企合作", "校企协作"), ("人才培养", "人才培育"), ("实训基地", "实训中心"), ("力争", "努力"),
    ("加快", "加速"), ("持续", "不断"), ("切实", "扎实"), ("示范基地", "示范点"), ("高水平", "高质量"),
    ("职业技能培训", "技能培训"), ("中等职业学校", "中职学校"), ("高等职业学校", "高职院校"),
    ("教师队伍", "师资队伍"), ("工作机制", "运行机制"), ("重要依据", "主要依据"), ("信息技术", "数字技术"),
    ("服务能力", "服务水平"), ("统筹推进", "协同推进"), ("相关部门", "有关部门"), ("深入推进", "纵深推进"),
    ("资源共享", "资源共建共享"), ("办学水平", "办学质量"), ("发展需求", "发展需要"), ("技能大赛", "技能竞赛"),
    ("领导小组", "工作专班"), ("经费保障", "资金保障"), ("显著", "明显"), ("学习型城市", "学习型社会"),
    ("精准对接", "有效对接"), ("扎实开展", "全面开展"), ("社会力量", "社会资本"), ("优化", "调整优化"),
    ("开展", "组织开展"), ("落实", "贯彻落实"), ("重点打造", "着力打造"), ("依法", "依法依规"),
    ("遴选", "评选"), ("建成", "建好"), ("技术技能人才", "高技能人才"), ("全面", "全力"),
]
_SYN_WORDS = sorted({w for pair in SYNONYMS for w in pair}, key=lambda w: (-len(w), w))
SYN_RX = re.compile("|".join(map(re.escape, _SYN_WORDS)))

UNITS = "万人次|万人|人次|名|门|个|所|家|部|位|条|元|%"
NUM_RX = re.compile(rf"(\d+(?:\.\d+)?)(?:([—\-～~])(\d+(?:\.\d+)?))?({UNITS})")
COUNT_RX = re.compile(r"(\d+)项(行动计划|重点任务)")


def rewording(rng: random.Random, share: float, p_occ: float) -> Callable[[str], str]:
    table: dict[str, str] = {}
    for a, b in SYNONYMS:
        if rng.random() < share:
            src, dst = (a, b) if rng.random() < 0.5 else (b, a)
            table[src] = dst
    if not table:
        return lambda s: s

    def rep(m: re.Match[str]) -> str:
        w = m.group(0)
        r = table.get(w)
        return r if r is not None and rng.random() < p_occ else w

    return lambda s: SYN_RX.sub(rep, s)


def _scaled(v: str, f: float) -> str:
    x = float(v) * f
    if "." in v:
        return f"{max(x, 0.1):.1f}".rstrip("0").rstrip(".")
    n = max(1, round(x))
    if n >= 1000:
        n = round(n, -2)
    elif n >= 100:
        n = round(n, -1)
    return str(n)


def number_scaler(rng: random.Random, factor: float, p: float) -> Callable[[str], str]:
    """Scale counted targets (200名, 10门, 1—2所) by one factor; nudge percentages."""

    def rep(m: re.Match[str]) -> str:
        if rng.random() >= p:
            return m.group(0)
        lo, dash, hi, unit = m.groups()
        if unit == "%":
            v = min(100, max(5, int(float(lo)) + rng.choice((-10, -5, 5, 10))))
            return f"{v}%"
        a = _scaled(lo, factor)
        if hi is None:
            return a + unit
        b = _scaled(hi, factor)
        return a + unit if a == b else f"{a}{dash}{b}{unit}"

    return lambda s: NUM_RX.sub(rep, s)


DEPTS = [
    "教育局", "人社局", "财政局", "发展改革委", "工信局", "科技局", "农业农村局", "民政局", "总工会",
    "资源规划局", "大数据局", "商务局", "卫健委", "文化广电旅游局", "税务局", "国资委",
]


def make_units(rng: random.Random) -> str:
    names = ["教育局"] + rng.sample(DEPTS[1:], rng.choice((0, 1, 2, 2, 3, 4)))
    return "、".join(M_LV + n for n in names)


PURPOSES = [
    f"加快构建现代职业教育体系，推动{M_LV}职业教育高质量发展",
    f"深化产教融合、校企合作，为{M_FULL}经济社会发展提供有力的技术技能人才支撑",
    "全面提升职业教育办学水平和人才培养质量，加快建设技能型社会",
    f"推进{M_LV}职业教育提质培优、增值赋能，打造职业教育创新发展高地",
    "增强职业教育适应性，服务区域产业转型升级和乡村振兴",
]


# ---------------------------------------------------------------------------
# Roots and children.
# ---------------------------------------------------------------------------


@dataclass
class Pools:
    sents: list[str]  # body sentences from every seed
    leads: list[str]  # clause lead sentences from every template
    purposes: list[str]
    phrases: list[str] = field(default_factory=list)  # 分句 of the body sentences

    def __post_init__(self) -> None:
        self.phrases = [x for sent in self.sents for x in sent.rstrip("。！？；").split("，")[1:] if len(x) >= 6]


def _pool_clause(rng: random.Random, pools: Pools) -> Clause:
    return Clause([rng.choice(pools.leads)] + rng.sample(pools.sents, rng.randint(1, 4)))


def _swap_some(items: list[Clause], rng: random.Random, k: int) -> None:
    for _ in range(k):
        if len(items) > 1:
            i = rng.randrange(len(items) - 1)
            items[i], items[i + 1] = items[i + 1], items[i]


def vary_root(tpl: Template, rng: random.Random, pools: Pools) -> Content:
    """A template varied hard: roots of one template must read as unrelated plans."""
    c = tpl.content.copy()
    for sec in c.walk():
        sec.body = [[x if rng.random() < 0.5 else rng.choice(pools.sents) for x in p] for p in sec.body]
        out: list[Clause] = []
        for cl in sec.clauses:
            if len(sec.clauses) > 2 and rng.random() < 0.12:
                continue
            lead = cl.sents[0] if rng.random() < 0.6 else rng.choice(pools.leads)
            body = [x if rng.random() < 0.4 else rng.choice(pools.sents) for x in cl.sents[1:]]
            if rng.random() < 0.3:
                body.insert(rng.randint(0, len(body)), rng.choice(pools.sents))
            if rng.random() < 0.35:
                rng.shuffle(body)
            out.append(Clause([lead] + body, cl.units))
        if out:
            _swap_some(out, rng, rng.randint(0, len(out)))
            if rng.random() < 0.3:
                out.insert(rng.randint(0, len(out)), _pool_clause(rng, pools))
        sec.clauses = out
    if not c.purpose or rng.random() < 0.5:
        c.purpose = rng.choice(pools.purposes)
    if c.unit_form == 0 and rng.random() < 0.3:
        c.unit_form = rng.choice((1, 2))
    for sec in c.walk():
        for cl in sec.clauses:
            if c.unit_form and not cl.units:
                cl.units = make_units(rng)
    c.map_sents(phrase_editor(rng, pools.phrases, 0.5))
    c.map(rewording(rng, 0.5, 0.8))
    c.map(number_scaler(rng, rng.choice((0.5, 1.5, 2.0, 3.0)), 0.7))
    return c


ADVERBS = ("切实", "进一步", "积极", "全面", "持续", "大力", "着力", "加快")


def phrase_editor(rng: random.Random, phrases: list[str], p: float) -> Callable[[str], str]:
    """Edits inside a sentence, as a county editor makes them: drop a 分句, add a local one."""

    def fn(s: str) -> str:
        if rng.random() >= p:
            return s
        end = s[-1] if s[-1] in "。！？；" else ""
        parts = (s[:-1] if end else s).split("，")
        r = rng.random()
        if r < 0.35 and len(parts) > 2:
            del parts[rng.randrange(1, len(parts))]
        elif r < 0.8 or parts[0][:1] in "到在对根按围通为由将把以与和及“":  # no 切实到2025年
            parts.insert(rng.randint(1, len(parts)), rng.choice(phrases))
        else:
            parts[0] = rng.choice(ADVERBS) + parts[0]
        return "，".join(parts) + end

    return fn


def _freezer(rng: random.Random, parent: Place, p: float) -> Callable[[str], str]:
    """A few mentions of the parent's place stay literal in the child (落实郑州市…)."""
    lit = {M_FULL: parent.full, M_SHORT: parent.short}

    def fn(s: str) -> str:
        if M_FULL not in s and M_SHORT not in s:
            return s
        return "".join(lit[ch] if ch in lit and rng.random() < p else ch for ch in s)

    return fn


def derive_child(
    parent: Content, parent_place: Place, place: Place, rng: random.Random,
    local: Callable[[int], list[Clause]], pools: Pools,
) -> Content:
    """What a county office does with its city's plan."""
    c = parent.copy()
    secs = [s for s in c.walk() if s.clauses]
    total = sum(len(s.clauses) for s in secs)
    # drop 10–30% of the clauses, never emptying a section
    for _ in range(round(total * rng.uniform(0.1, 0.3))):
        cand = [s for s in secs if len(s.clauses) > 1]
        if not cand:
            break
        s = rng.choice(cand)
        s.clauses.pop(rng.randrange(len(s.clauses)))
    if secs and rng.random() < 0.7:  # reorder a few
        _swap_some(rng.choice(secs).clauses, rng, rng.randint(1, 2))
    cand = [s for s in secs if len(s.clauses) > 2]
    if cand and rng.random() < 0.7:  # merge two adjacent clauses
        s = rng.choice(cand)
        i = rng.randrange(len(s.clauses) - 1)
        a, b = s.clauses[i], s.clauses.pop(i + 1)
        a.sents += b.sents[1:] if len(b.sents) > 1 else b.sents
        if b.units and b.units != a.units:
            a.units = "、".join(dict.fromkeys((a.units + "、" + b.units).strip("、").split("、")))
    long = [(s, i) for s in secs for i, cl in enumerate(s.clauses) if len(cl.sents) >= 4]
    if long and rng.random() < 0.7:  # split one clause in two
        s, i = rng.choice(long)
        cl = s.clauses[i]
        k = rng.randint(2, len(cl.sents) - 2)
        s.clauses[i:i + 1] = [Clause(cl.sents[:k], cl.units), Clause(cl.sents[k:], cl.units)]
    for cl in local(rng.choice((1, 1, 2, 2, 3, 4))):  # local clauses from unrelated families
        if secs:
            s = rng.choice(secs)
            s.clauses.insert(rng.randint(0, len(s.clauses)), cl)
    for _ in range(rng.choice((0, 1, 2, 3))):  # local sentences in inherited clauses
        if secs:
            cl = rng.choice(rng.choice(secs).clauses)
            cl.sents.insert(rng.randint(1, len(cl.sents)), rng.choice(pools.sents))
    if c.unit_form and rng.random() < 0.1:
        c.unit_form = 0
    elif not c.unit_form and rng.random() < 0.15:
        c.unit_form = rng.choice((1, 2))
    if c.unit_form:
        for s in secs:
            for cl in s.clauses:
                cl.units = cl.units or make_units(rng)
    c.map_sents(phrase_editor(rng, pools.phrases, 0.45))
    if place is not parent_place:
        c.map(_freezer(rng, parent_place, 0.08))
    c.map(rewording(rng, 0.35, 0.75))
    # a county's targets are mostly a fraction of its city's; now and then an ambitious ×2
    factor = rng.choice((0.1, 0.2, 0.5, 0.5, 2.0) if place.rank == "county" else (0.2, 0.5, 1.0, 2.0))
    c.map(number_scaler(rng, factor, 0.7))
    return c


# ---------------------------------------------------------------------------
# Documents and rendering.
# ---------------------------------------------------------------------------

PLAN_CORES = [
    "职业教育提质培优行动方案", "职业教育产教融合发展实施方案", "现代职业教育体系建设实施方案",
    "职业教育改革实施方案", "职业教育提质扩容行动方案", "职业教育创新发展高地建设实施方案",
    "职业教育高质量发展实施方案", "技能社会建设行动方案", "职业教育产教融合校企合作行动计划",
    "职业教育专业建设三年行动计划", "职业教育“双高”建设工作方案", "现代职业教育质量提升计划实施方案",
]
OPINION_CORES = [
    "深化现代职业教育专业结构调整优化", "推动现代职业教育高质量发展", "深化产教融合校企合作",
    "加快发展现代职业教育", "深化职业教育教学改革全面提高人才培养质量",
]
# Higher-level documents that every plan cites; they are not in the corpus.
NATIONAL_CITES = [
    ("国家职业教育改革实施方案", "国发〔2019〕4号"),
    ("职业教育提质培优行动计划（2020—2023年）", "教职成〔2020〕7号"),
    ("关于推动现代职业教育高质量发展的意见", "中办发〔2021〕43号"),
    ("国务院办公厅关于深化产教融合的若干意见", "国办发〔2017〕95号"),
    ("关于深化现代职业教育体系建设改革的意见", ""),
]
HENAN_CITES = [
    ("教育部 河南省人民政府关于深化职业教育改革推进技能社会建设的意见", "豫政〔2021〕2号"),
    ("河南省职业教育改革实施方案", "豫政〔2019〕23号"),
    ("中共河南省委办公厅 河南省人民政府办公厅关于推动现代职业教育高质量发展的实施意见", "豫办〔2022〕35号"),
    ("河南省人民政府办公厅关于深化产教融合的实施意见", "豫政办〔2018〕47号"),
]


def provincial_cites(prov: Place) -> list[tuple[str, str]]:
    if prov.abbr == "豫":
        return HENAN_CITES
    n = 10 + sum(map(ord, prov.full)) % 40  # a stable made-up number per province
    return [(f"{prov.full}职业教育改革实施方案", f"{prov.abbr}政〔2019〕{n}号")]


@dataclass
class Doc:
    name: str
    family: str
    level: int
    place: Place
    tpl: Template
    kind: str  # 方案 | 意见
    style: Style
    core: str
    title: str
    authority: str
    docno: str
    date: dt.date
    content: Content
    parent: Doc | None = None
    cites: list[tuple[str, str]] = field(default_factory=list)  # (title, doc number) in the preamble
    cites_parent: bool = False

    @property
    def notice_title(self) -> str:
        if self.kind == "意见":
            return self.authority + self.title
        return f"{self.authority}关于印发{self.title}的通知"


def cn_date(d: dt.date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


def preamble(doc: Doc, rng: random.Random) -> str:
    end = f"经{M_LV}政府同意，现提出如下实施意见。" if doc.kind == "意见" else rng.choice(("制定本方案。", "特制订本方案。"))
    if not doc.cites:
        return f"为{doc.content.purpose}，结合我{M_LV}实际，{end}"
    joiner = "、" if rng.random() < 0.6 else ""
    parts = [f"《{t}》（{n}）" if n else f"《{t}》" for t, n in doc.cites]
    lead = rng.choice(("为贯彻落实", "为深入贯彻落实", "为认真贯彻落实"))
    spirit = "等文件精神" if len(parts) > 1 else "精神"
    return f"{lead}{joiner.join(parts)}{spirit}，{doc.content.purpose}，结合我{M_LV}实际，{end}"


def addressees(p: Place, rng: random.Random) -> str:
    if p.rank == "province":
        return rng.choice((
            "各省辖市人民政府，济源示范区管委会，省人民政府各部门：" if p.abbr == "豫" else "各市人民政府，省人民政府各部门：",
            "各市、县人民政府，省人民政府各部门：",
            "各市人民政府，省直各单位：",
        ))
    if p.rank == "city":
        return rng.choice((
            "各县（市、区）人民政府，市人民政府各部门，各有关单位：",
            "各开发区管委会，各区县（市）人民政府，市人民政府各部门，各有关单位：",
            "各县、区人民政府，各有关单位：",
            "各县（市、区）人民政府，市直各单位：",
        ))
    lv = p.lv
    return rng.choice((
        f"各乡镇人民政府，各街道办事处，{lv}人民政府各部门，各有关单位：",
        f"各乡（镇）人民政府、街道办事处，{lv}直各单位：",
        f"各乡镇人民政府，{lv}人民政府各部门：",
        f"各乡镇（街道），{lv}直有关单位：",
        f"各镇人民政府，各街道办事处，{lv}政府各部门，各有关单位：",
    ))


CC = (
    f"{M_LV}委各部门，{M_LV}人大常委会办公室，{M_LV}政协办公室。",
    f"{M_LV}委办公室，{M_LV}人大常委会办公室，{M_LV}政协办公室，{M_LV}法院，{M_LV}检察院。",
    f"{M_LV}委各部门，{M_LV}人民武装部。",
    f"{M_LV}委办公室，{M_LV}人大常委会办公室，{M_LV}政协办公室。",
)


def unit_note(units: str, form: int) -> str:
    if not units or not form:
        return ""
    if form == 1:
        return f"（责任单位：{units}）"
    return f"（{units}牵头负责）" if "、" not in units else f"（{units}等按职责分工负责）"


@dataclass
class Surface:
    """Noise drawn per document; never inherited."""

    layout: str  # gov | opinion | news
    markdown: bool
    blank: bool  # blank line between paragraphs
    breaks: str  # "" | blank | page  (page breaks mid-sentence)
    pdf: bool  # spaced characters, wrapped lines, — N — page numbers
    half: bool  # half-width commas and brackets
    footer: bool
    web: bool  # 头条 YY-MM-DD lines at the end
    attach: bool


def draw_surface(doc: Doc, rng: random.Random) -> Surface:
    t = doc.tpl.name
    layout = rng.choices(("gov", "opinion", "news"), (0.55, 0.3, 0.15) if "2022" not in t else (0.3, 0.2, 0.5))[0]
    if doc.kind == "意见" and layout == "gov" and rng.random() < 0.5:
        layout = "opinion"
    pdf = layout != "news" and rng.random() < (0.5 if "specialty" in t else 0.12)
    markdown = not pdf and rng.random() < (0.6 if "kaifeng" in t else 0.15)
    return Surface(
        layout=layout,
        markdown=markdown,
        blank=markdown or rng.random() < 0.6,
        breaks="page" if pdf else rng.choice(("", "blank", "blank", "page")),
        pdf=pdf,
        half=rng.random() < (0.6 if "2022" in t else 0.15),
        footer=layout == "gov" or (layout == "opinion" and rng.random() < 0.5),
        web=rng.random() < (0.7 if layout == "news" else 0.04),
        attach=layout == "gov" and rng.random() < 0.1,
    )


def body_lines(doc: Doc, sf: Surface, rng: random.Random) -> list[str]:
    c, style = doc.content, doc.style
    n_clauses = c.clause_count()
    out: list[str] = []
    num = 0
    md_h2 = rng.choice(("###", "###", "####", "##"))

    def count(text: str) -> str:  # "23项行动计划" must match what the document now has
        return COUNT_RX.sub(lambda m: f"{n_clauses}项{m.group(2)}", text)

    def head(sec: Section) -> str:
        cn = int_to_cn(sec.num)
        if sec.kind == "h1":
            label, md = f"{cn}、", "##"
        else:
            label, md = (f"({cn})" if style.h2_half else f"（{cn}）"), md_h2
        return f"{md} {label}{sec.title}" if sf.markdown else label + sec.title

    def emit(sec: Section) -> None:
        nonlocal num
        out.append(head(sec))
        for p in sec.body:
            out.append(count("".join(p)))
        if not style.continuous:
            num = 0
        for cl in sec.clauses:
            num += 1
            out.append(f"{num}{style.clause_sep}{count(''.join(cl.sents))}{unit_note(cl.units, c.unit_form)}")
        for s in sec.subs:
            emit(s)

    for sec in c.sections:
        emit(sec)
    return out


def attachment(doc: Doc) -> list[str]:
    rows = ["序号\t工作任务\t责任单位"]
    k = 0
    for s in doc.content.walk():
        for cl in s.clauses:
            k += 1
            task = "".join(cl.sents[1:3] or cl.sents[:1])
            rows.append(f"{k}\t{task}\t{cl.units or M_LV + '教育局'}")
    name = f"{M_FULL}{doc.core}工作任务清单"
    return [f"附件：{name}", "附件", name, "\n".join(rows)]


_PDF_PUNCT = {"，": " ,  ", "、": " 、 ", "。": " 。", "（": "  (", "）": ")  ", "：": " :"}
_DIGITS_AFTER_CJK = re.compile(r"(?<=[^\x00-\x7f])(?=\d)")


def wrap_at(t: str, k: int, brk: str) -> str:
    """Break a line at k or later, but not inside a number or a bracket."""
    while k < len(t) - 1 and not ("\u4e00" <= t[k - 1] <= "\u9fff" and "\u4e00" <= t[k] <= "\u9fff"):
        k += 1
    return t[:k] + brk + t[k:] if k < len(t) - 1 else t


_PDF_LABEL = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[)）]|\d+[.．、])")


def pdf_para(p: str, rng: random.Random) -> str:
    """Text as a PDF extractor gives it: spaced punctuation, spaced runs, wrapped tail."""
    label = ""
    if m := _PDF_LABEL.match(p):  # labels keep their shape: 一、 (一 ) 1.
        label, p = m.group(0), p[m.end():]
        if label[0] in "（(":
            label = f"({label[1:-1]} )  "
    p = label + _DIGITS_AFTER_CJK.sub(" ", replace_all(p, _PDF_PUNCT))
    if len(p) > 30 and rng.random() < 0.3:
        i = rng.randrange(len(p) - 12)
        j = i + rng.randint(6, 12)
        p = p[:i] + " ".join(p[i:j]) + p[j:]
    if len(p) > 45 and rng.random() < 0.7:
        cut = len(p) - rng.randint(6, 30)
        p = p[:cut] + "\n" + p[cut:]
    return p


def _breakable(text: str, i: int) -> bool:
    if text[i] in "\n 《》〔〕（）()" or "〔" in text[i - 14 : i + 3]:
        return False
    start = text.rfind("\n", 0, i) + 1
    end = text.find("\n", i)
    return i - start >= 12 and (end < 0 or end - i >= 4)


def page_breaks(text: str, sf: Surface, rng: random.Random) -> str:
    """Cut the text every page, mid-sentence and mid-word, as a PDF or Word export does."""
    out: list[str] = []
    pos, page = 0, 1
    while True:
        nxt = pos + rng.randint(1100, 1900)
        if nxt >= len(text) - 50:
            break
        # only inside running text: not in a heading or a clause label, never inside a
        # citation or a document number (the lineage detector needs those whole)
        while nxt < len(text) and not _breakable(text, nxt):
            nxt += 1
        out.append(text[pos:nxt])
        page += 1
        if sf.breaks == "page":
            dash = "—   {}  —" if sf.pdf else "—  {}  —"
            out.append("\n" + dash.format(page) + "\n")
        else:
            out.append(rng.choice(("\n\n", "\n\n\n", "\n\n\n\n")))
        pos = nxt
    out.append(text[pos:])
    return "".join(out)


def web_noise(d: dt.date, rng: random.Random) -> list[str]:
    lines: list[str] = []
    day = d + dt.timedelta(days=1)
    for _ in range(rng.randint(5, 60)):
        lines.append(f"头条 {day:%y-%m-%d}")
        if rng.random() < 0.15:
            day -= dt.timedelta(days=1)
    return lines


def render(doc: Doc, rng: random.Random) -> str:
    sf = draw_surface(doc, rng)
    md = sf.markdown
    p = doc.place
    sign = doc.date - dt.timedelta(days=rng.randint(0, 4)) if sf.footer else doc.date
    head: list[str] = []
    body: list[str] = []
    tail: list[str] = []
    plan_title = doc.title
    years = ""
    if m := re.search(r"（\d{4}—\d{4}年）$", doc.title):
        plan_title, years = doc.title[: m.start()], m.group(0)

    if sf.layout == "news":
        word = "意见" if doc.kind == "意见" else "方案"
        head.append(f"{cn_date(doc.date)}，{p.full}印发《{doc.title}》（{doc.docno}）。")
        head.append(f"《{word}》提出{doc.content.clause_count()}项重点任务：")
    else:
        if sf.layout == "gov":
            head.append(("# " if md else "") + f"{doc.authority}文件")
            head.append(doc.docno)
            if md:
                head.append("---")
            head.append(("## " if md else "") + doc.notice_title)
        else:
            head.append(doc.authority)
            t = doc.notice_title[len(doc.authority):]
            if len(t) > 16 and rng.random() < 0.6:  # a long title wraps over two lines
                t = wrap_at(t, rng.randint(8, len(t) - 6), "\n")
            head.append(t)
            head.append(doc.docno)
        head.append(addressees(p, rng))
        if doc.kind == "方案":
            how = rng.choice((f"已经{M_LV}人民政府同意", f"已经{M_LV}政府第{rng.randint(5, 90)}次常务会议研究同意"))
            head.append(f"《{doc.title}》{how}，现印发给你们，请认真贯彻执行。")
            if sf.layout == "gov" and rng.random() < 0.5:
                head.append(cn_date(sign))
            t = plan_title
            if rng.random() < 0.25:  # Word's title line break, seen as a space
                t = wrap_at(t, rng.randint(len(t) // 2, len(t) - 2), " ")
            head.append(("# " if md else "") + t)
            if years:
                head.append(years)
    body.append(preamble(doc, rng))
    body += body_lines(doc, sf, rng)
    if sf.attach:
        body += attachment(doc)
    if sf.layout == "opinion" or (sf.layout == "gov" and doc.kind == "意见"):
        tail.append(f"{sign.year}年 {sign.month}月 {sign.day} 日" if sf.pdf else cn_date(sign))
        if sf.pdf:
            tail.append(f"—   {rng.randint(2, 12)}  —")
    if sf.footer:
        if md:
            tail.append("---")
        tail.append(f"主办：{M_LV}教育局")
        if rng.random() < 0.3:
            tail.append(f"督办：{M_LV}政府办公室{rng.choice('一二三四五六')}科")
        tail.append("抄送：" + rng.choice(CC))
        tail.append(doc.authority)
        tail.append(f"{cn_date(doc.date)}印发")

    if sf.half:
        body = [replace_all(x, _FULL_TO_HALF) for x in body]
    if sf.pdf:
        body = [pdf_para(x, rng) for x in body]
    sep = "\n\n" if sf.blank else "\n"
    text = sep.join(body)
    if sf.breaks:
        text = page_breaks(text, sf, rng)
    lead = "\n\n" if sf.layout != "news" and rng.random() < 0.5 else ""
    noise = "\n" + "\n".join(web_noise(doc.date, rng)) if sf.web else ""
    out = lead + sep.join(head) + sep + text + sep + sep.join(tail) + noise + "\n"
    return instantiate(out, p)


_FULL_TO_HALF = {"，": ",", "（": "(", "）": ")", "：": ":"}


# ---------------------------------------------------------------------------
# The corpus.
# ---------------------------------------------------------------------------

# How many children a plan gets, by the rank of its place (counties have none).
KIDS = {"province": ((2, 3, 4, 5, 6), (3, 3, 2, 1, 1)), "city": ((0, 1, 2, 3, 4, 5, 6), (20, 15, 20, 15, 12, 10, 8))}
GRANDKIDS = ((0, 1, 2, 3, 4), (30, 25, 20, 15, 10))


class Corpus:
    def __init__(self, n: int, out: Path, seed: int, seed_dir: Path = DEFAULT_SEEDS) -> None:
        self.n = n
        self.out = out
        self.rng = random.Random(seed)
        self.places = build_places()
        self.templates, sents = load_seeds(seed_dir, self.places)
        leads = [cl.sents[0] for t in self.templates for s in t.content.walk() for cl in s.clauses]
        purposes = PURPOSES + [t.content.purpose for t in self.templates if t.content.purpose]
        self.pools = Pools(sents, leads, purposes)
        width = max(6, len(str(n)))
        names = [f"d{i:0{width}d}" for i in range(1, n + 1)]
        self.rng.shuffle(names)  # file names in random order: no lineage by adjacency
        self.names = names
        self.made = 0
        self.titles: dict[str, bool] = {}
        self.docnos: dict[str, bool] = {n: True for _, n in NATIONAL_CITES + HENAN_CITES if n}
        self.reservoir: list[tuple[str, Clause]] = []
        self.cite_bag: list[bool] = []
        self.rows: list[tuple[str, str, str, int, int, str]] = []
        self.families = 0
        self.by_level: dict[int, int] = {}

    # -- naming ---------------------------------------------------------------

    def _title(self, place: Place, kind: str, core: str, year: int, years: bool) -> str:
        base = f"关于{place.full}{core}的实施意见" if kind == "意见" else place.full + core
        cands = [base] if not years or kind == "意见" else []
        if kind != "意见":
            cands += [f"{base}（{year}—{y}年）" for y in (max(2025, year + 2), year + 3, year + 4, year + 5)]
        cands.append(f"{base}（{year}年修订）")
        for t in cands:
            if t not in self.titles:
                self.titles[t] = True
                return t
        k = 2
        while f"{cands[-1]}（第{k}版）" in self.titles:
            k += 1
        t = f"{cands[-1]}（第{k}版）"
        self.titles[t] = True
        return t

    def _authority(self, place: Place) -> tuple[str, str]:
        if self.rng.random() < 0.25:
            return f"{place.full}人民政府", f"{place.abbr}政"
        office = "办公室" if place.rank == "county" else "办公厅"
        return f"{place.full}人民政府{office}", f"{place.abbr}政办"

    def _docno(self, agency: str, year: int) -> str:
        seq = self.rng.randint(1, 120)
        while f"{agency}〔{year}〕{seq}号" in self.docnos:
            seq += 1
        no = f"{agency}〔{year}〕{seq}号"
        self.docnos[no] = True
        return no

    def _local_clauses(self, family: str, k: int) -> list[Clause]:
        """k distinct clauses from other families (or made from the pool early on)."""
        out: list[Clause] = []
        for _ in range(4 * k):
            if len(out) == k or not self.reservoir:
                break
            fam, cl = self.rng.choice(self.reservoir)
            if fam != family and all(cl.sents[0] != o.sents[0] for o in out):
                out.append(cl.copy())
        while len(out) < k:
            out.append(_pool_clause(self.rng, self.pools))
        return out

    def _remember(self, family: str, content: Content) -> None:
        clauses = [cl for s in content.walk() for cl in s.clauses]
        for cl in self.rng.sample(clauses, min(3, len(clauses))):
            if len(self.reservoir) < 400:
                self.reservoir.append((family, cl.copy()))
            else:
                self.reservoir[self.rng.randrange(400)] = (family, cl.copy())

    # -- documents --------------------------------------------------------------

    def _cites(self, place: Place, parent: Doc | None) -> tuple[list[tuple[str, str]], bool]:
        rng = self.rng
        higher = NATIONAL_CITES + provincial_cites(place.province)
        if parent is None:
            return rng.sample(higher, rng.randint(1, 3)), False
        cites = rng.sample(higher, rng.choice((0, 1, 1, 2, 3)))  # 0: 为贯彻落实《parent》（No.）精神 alone

        def ref(d: Doc) -> tuple[str, str]:
            return (d.title if rng.random() < 0.7 else d.notice_title), d.docno

        grand = parent.parent
        if not self.cite_bag:  # a shuffled bag keeps the share at ½ even in a small corpus
            self.cite_bag = [True, False] * 4
            rng.shuffle(self.cite_bag)
        if self.cite_bag.pop():
            if grand is not None and rng.random() < 0.3:
                cites.append(ref(grand))
            return cites + [ref(parent)], True
        if grand is not None and rng.random() < 0.15:  # cites the grandparent only: a trap
            cites.append(ref(grand))
        return cites, False

    def _emit(self, doc: Doc) -> None:
        text = render(doc, self.rng)
        (self.out / f"{doc.name}.txt").write_text(text, encoding="utf-8")
        parent = doc.parent.name if doc.parent else ""
        self.rows.append((doc.name, parent, doc.family, int(doc.cites_parent), doc.level, doc.date.isoformat()))
        self.by_level[doc.level] = self.by_level.get(doc.level, 0) + 1

    def _root(self, family: str) -> Doc:
        rng = self.rng
        tpl = rng.choice(self.templates)
        rank = rng.choices(("province", "city", "county"), (0.2, 0.55, 0.25))[0]
        place = rng.choice([p for p in self.places if p.rank == rank])
        date = dt.date(2019, 1, 1) + dt.timedelta(days=rng.randint(0, 1700))
        if tpl.kind == "意见":
            kind, core = "意见", tpl.core if rng.random() < 0.55 else rng.choice(OPINION_CORES)
        else:
            kind, core = "方案", tpl.core if rng.random() < 0.55 else rng.choice(PLAN_CORES)
        authority, agency = self._authority(place)
        content = vary_root(tpl, rng, self.pools)
        cites, _ = self._cites(place, None)
        style = tpl.style
        if rng.random() < 0.25:  # another drafting office, another numbering habit
            style = Style(rng.choice(("、", "．", ". ", ".")), style.h2_half != (rng.random() < 0.3), style.continuous)
        return Doc(
            self.names[self.made], family, 0, place, tpl, kind, style, core,
            self._title(place, kind, core, date.year, rng.random() < 0.3),
            authority, self._docno(agency, date.year), date, content, None, cites,
        )

    def _child(self, parent: Doc, place: Place) -> Doc:
        rng = self.rng
        date = parent.date + dt.timedelta(days=rng.randint(15, 240))
        kind, core = parent.kind, parent.core
        if kind == "意见" and rng.random() < 0.3:
            kind, core = "方案", core + "实施方案"
        elif rng.random() < 0.35:
            core = _vary_core(core, kind, rng)
        authority, agency = self._authority(place)
        content = derive_child(
            parent.content, parent.place, place, rng, lambda k: self._local_clauses(parent.family, k), self.pools
        )
        cites, cp = self._cites(place, parent)
        years = "—" in parent.title and rng.random() < 0.6 or rng.random() < 0.2
        return Doc(
            self.names[self.made], parent.family, parent.level + 1, place, parent.tpl, kind, parent.style, core,
            self._title(place, kind, core, date.year, years),
            authority, self._docno(agency, date.year), date, content, parent, cites, cp,
        )

    def _grow(self, doc: Doc) -> None:
        """Write doc, then its subtree depth-first, until N documents exist."""
        if self.made >= self.n:
            return
        self._emit(doc)
        self.made += 1
        rng = self.rng
        if doc.place.rank == "county":
            return
        if doc.level == 0:
            ks, ws = KIDS[doc.place.rank]
        else:
            ks, ws = GRANDKIDS
        k = min(rng.choices(ks, ws)[0], len(doc.place.subs))
        for place in rng.sample(doc.place.subs, k):
            if self.made >= self.n:
                return
            self._grow(self._child(doc, place))

    def build(self) -> None:
        self.out.mkdir(parents=True, exist_ok=True)
        ours = [p for p in self.out.iterdir() if p.name == "truth.csv" or re.fullmatch(r"d\d{6,}\.txt", p.name)]
        others = sorted(p.name for p in self.out.iterdir() if p not in ours)
        if others:  # the folder must hold the corpus and nothing else; never delete what isn't ours
            raise SystemExit(f"{self.out}: holds other files ({', '.join(others[:3])}…); give an empty or new folder")
        for p in ours:  # a rerun into the same folder replaces the last corpus
            p.unlink()
        while self.made < self.n:
            self.families += 1
            family = f"f{self.families:05d}"
            root = self._root(family)
            self._remember(family, root.content)
            self._grow(root)
        self.rows.sort()
        with (self.out / "truth.csv").open("w", encoding="utf-8", newline="") as fh:
            w = csv.writer(fh, lineterminator="\n")
            w.writerow(["doc", "parent", "family", "cites_parent", "level", "date"])
            w.writerows(self.rows)


def _vary_core(core: str, kind: str, rng: random.Random) -> str:
    if kind == "意见":
        return rng.choice(OPINION_CORES)
    edits: list[Callable[[str], str]] = [
        lambda c: c.replace("实施方案", "工作方案"),
        lambda c: c.replace("行动方案", "实施方案"),
        lambda c: c.replace("职业教育", "职业教育高质量", 1) if "高质量" not in c else c.replace("高质量", ""),
        lambda c: rng.choice(PLAN_CORES),
    ]
    return rng.choice(edits)(core)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("n", type=int, help="number of notices to write")
    ap.add_argument("--out", type=Path, required=True, help="output folder (d*.txt and truth.csv)")
    ap.add_argument("--seed", type=int, default=0, help="random seed; the same seed gives the same bytes")
    ap.add_argument("--seeds-dir", type=Path, default=DEFAULT_SEEDS, help="seed notices (default: data/raw)")
    args = ap.parse_args(argv)
    if args.n < 1:
        ap.error("n must be at least 1")
    t0 = time.perf_counter()
    c = Corpus(args.n, args.out, args.seed, args.seeds_dir)
    c.build()
    levels = " ".join(f"level{k}={v}" for k, v in sorted(c.by_level.items()))
    print(
        f"docs={c.made} families={c.families} roots={c.by_level.get(0, 0)} {levels} "
        f"time={time.perf_counter() - t0:.2f}s out={args.out}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
