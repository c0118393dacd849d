"""find_targets on real sentences from data/raw: every field but the offsets is compared."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import policydiff
from policydiff.extract import quantities as qt
from policydiff.extract import subjects as sj
from policydiff.extract import targets as tg
from policydiff.extract.targets import _Extractor, find_targets
from policydiff.text.numbers import cn_to_int

RAW = Path(__file__).resolve().parent.parent / "data" / "raw"
SEED_TEXT = {p.name: p.read_text(encoding="utf-8") for p in sorted(RAW.glob("*.txt"))}
PERIOD = (2021, 2025)

FIELDS = ("raw", "subject", "comparator", "value", "low", "high", "unit", "year", "kind")


def _t(
    raw: str,
    subject: str,
    comparator: str,
    value: float | None,
    low: float | None,
    high: float | None,
    unit: str,
    year: int | None,
    kind: str,
) -> dict[str, Any]:
    return dict(zip(FIELDS, (raw, subject, comparator, value, low, high, unit, year, kind), strict=True))


# One helper per comparator keeps the 60+ rows readable; each still spells out every field.
def eq(raw: str, subject: str, value: float, unit: str, year: int | None = None, kind: str = "target") -> dict[str, Any]:
    return _t(raw, subject, "eq", value, None, None, unit, year, kind)


def ge(raw: str, subject: str, value: float, unit: str, year: int | None = None, kind: str = "target") -> dict[str, Any]:
    return _t(raw, subject, "ge", value, value, None, unit, year, kind)


def gt(raw: str, subject: str, value: float, unit: str, year: int | None = None, kind: str = "target") -> dict[str, Any]:
    return _t(raw, subject, "gt", value, value, None, unit, year, kind)


def approx(raw: str, subject: str, value: float, unit: str, year: int | None = None, kind: str = "target") -> dict[str, Any]:
    return _t(raw, subject, "approx", value, None, None, unit, year, kind)


def rng(raw: str, subject: str, low: float, high: float, unit: str, year: int | None = None, kind: str = "target") -> dict[str, Any]:
    return _t(raw, subject, "range", None, low, high, unit, year, kind)


# (seed file, sentence exactly as in the file, expected targets with period=(2021, 2025))
CASES: list[tuple[str, str, list[dict[str, Any]]]] = [
    # --- the cases the brief names ---------------------------------------------------------
    (
        "zhengzhou-2022-highland-plan.txt",
        "到2025年,全市职业教育“双师型”教师占专业课教师比例达到70%以上。",
        [ge("70%以上", "“双师型”教师占专业课教师比例", 70, "%", 2025)],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "到2025年，全市职业教育“双师型”教师占专业课教师比例达到70%以上。",
        [ge("70%以上", "“双师型”教师占专业课教师比例", 70, "%", 2025)],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "探索高层次“双师型”教师培养模式，到 2025 年“双师型”教师占专任专业课教师总数的比例超过 50%。",
        [gt("50%", "“双师型”教师占专任专业课教师总数的比例", 50, "%", 2025)],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "在企业实训基地按照现代学徒制、新型企业学徒制标准开展人才培养的,根据专业对接的产业类别,按3000—6000元/生/年标准补助企业。",
        [rng("3000—6000元/生/年", "补助企业", 3000, 6000, "元/生/年", kind="norm")],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "公办中等职业学校生均财政拨款水平可适当高于当地普通高中,公办高等职业学校生均拨款水平应不低于12000元,并根据发展需要和财力逐步提高。",
        [ge("12000元", "公办高等职业学校生均拨款水平", 12000, "元", kind="norm")],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "逐步提高公办中等职业学校生均财政拨款水平并可适当高于普通高中，公办高等职业学校生均拨款水平应不低于 12000 元，根据发展需要逐步提高。",
        [ge("12000 元", "公办高等职业学校生均拨款水平", 12000, "元", kind="norm")],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "推动职业院校积极主动开展培训，5年累计培训人次不低于108万人次。",
        [ge("108万人次", "培训人次", 1_080_000, "人次", 2025)],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "重点 建设传统优势专业点 230个左右 、 新兴专业点 260个左右 、未来\n专业点 70个左右 、特色专业点 100个左右 。",
        [
            approx("230个左右", "传统优势专业点", 230, "个"),
            approx("260个左右", "新兴专业点", 260, "个"),
            approx("70个左右", "未来专业点", 70, "个"),
            approx("100个左右", "特色专业点", 100, "个"),
        ],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "把继续教育经费列入本级教育经费年度预算，按照辖区内常住人口数人均不低于2元的标准拨付。",
        [ge("2元", "继续教育经费", 2, "元/人", kind="norm")],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "目前,在汴大中专职业院校共计在校生 13.8 万人,其中 7 所高职院校在校生 6.7 万人;21 所中职学校在校生 7.1 万人。",
        [
            eq("13.8 万人", "在汴大中专职业院校共计在校生", 138_000, "人", kind="baseline"),
            eq("7 所", "高职院校", 7, "所", kind="baseline"),
            eq("6.7 万人", "高职院校在校生", 67_000, "人", kind="baseline"),
            eq("21 所", "中职学校", 21, "所", kind="baseline"),
            eq("7.1 万人", "中职学校在校生", 71_000, "人", kind="baseline"),
        ],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        (
            "到 2022 年底，达标学校数量原则上不低于我市中等职业学校总量的 30%；到 2023 年底，达标学校数量原则上不低于我市中等职业学校总量的 60%；"
            "到 2024 年底，达标学校数量原则上不低于我市中等职业学校总量的 90%；到 2025 年底，基本实现中等职业学校全部达标。"
        ),
        [
            ge("30%", "达标学校数量", 30, "%", 2022),
            ge("60%", "达标学校数量", 60, "%", 2023),
            ge("90%", "达标学校数量", 90, "%", 2024),
        ],
    ),
    # --- kaifeng ----------------------------------------------------------------------------
    (
        "kaifeng-2021-expansion-plan.txt",
        "经过逐步发展,到 2025 年大中专职业院校招生规模将达到新增\n\n14.5 万人的目标，其中，高职院校 5 年共增加 11.4 万人，中职学校 5 年共增加 3.1 万人。",
        [
            eq("14.5 万人", "大中专职业院校招生规模", 145_000, "人", 2025),
            eq("11.4 万人", "高职院校", 114_000, "人", 2025),
            eq("3.1 万人", "中职学校", 31_000, "人", 2025),
        ],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "通过 5 年职业教育提质扩容行动，在汴大中专职业院校在校生人数达到 28.3 万人，实现翻番。",
        [eq("28.3 万人", "在汴大中专职业院校在校生人数", 283_000, "人", 2025)],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "在汴本科院校招生规模 5 年增加 3 万人，到 2025 年底驻汴大中专院校在校学生人数达到 39.1 万。",
        [
            eq("3 万人", "在汴本科院校招生规模", 30_000, "人", 2025),
            eq("39.1 万", "驻汴大中专院校在校学生人数", 391_000, "人", 2025),
        ],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        (
            "统筹思政课程和课程思政建设，培育 20 个思政课程示范课堂和 20 个课程思政典型案例，鼓励聘请劳动模范、道德模范、技术能手、大国工匠担任兼职导师，"
            "推动思想政治教育与技术技能培养相融合。"
        ),
        [eq("20 个", "思政课程示范课堂", 20, "个"), eq("20 个", "课程思政典型案例", 20, "个")],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "开展综合改革试点工作，培育 10 所左右“三全育人”综合改革示\n\n范学校。",
        [approx("10 所左右", "“三全育人”综合改革示范学校", 10, "所")],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "打造 10 个高质量的产教融合集成平台。",
        [eq("10 个", "产教融合集成平台", 10, "个")],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "推进职业教育集团化办学，支持建设 10 个有特色、成规模化的示范性职教联盟。",
        [eq("10 个", "示范性职教联盟", 10, "个")],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "建设8个契合发展需要的高水平专业（群）和20个契合发展需要的品牌专业（群）。",
        [eq("8个", "高水平专业（群）", 8, "个"), eq("20个", "品牌专业（群）", 20, "个")],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "深化教法教材改革，遴选20门“示范课”和20部活页式、工作手册式新型教材。",
        [eq("20门", "“示范课”", 20, "门"), eq("20部", "活页式、工作手册式新型教材", 20, "部")],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "推动职业学校参与“1+X”证书制度实施，组建开封市“1+X”证书制度试点联盟，推进学历证书与职业技能等级证书互通衔接，遴选支持 20 个“1+X”证书制度试点示范项目。",
        [eq("20 个", "“1+X”证书制度试点示范项目", 20, "个")],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        (
            "加大名校长、名班主任、优秀思政课教师、教学名师、技能大师（行业工匠）培养力度，培育 15 个“开封职教名师工坊”、培养 10 位名校长，"
            "认定和挂牌 10 个高水平高素质教师教学创新团队。"
        ),
        [
            eq("15 个", "“开封职教名师工坊”", 15, "个"),
            eq("10 位", "名校长", 10, "位"),
            eq("10 个", "高水平高素质教师教学创新团队", 10, "个"),
        ],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "鼓励职业院校面向基础教育开放教学资源，联合中小学开展劳动和职业启蒙教育，5年共认定30所开封市中小学职业体验示范中心。",
        [eq("30所", "开封市中小学职业体验示范中心", 30, "所", 2025)],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "提升服务县域经济发展能力，每个县区至少要建好、办好一所设施完善、功能齐全的达标中等职业学校，提升职业教育服务水平。",
        [ge("一所", "达标中等职业学校", 1, "所")],
    ),
    (
        "kaifeng-2021-expansion-plan.txt",
        "持续加大职业教育投入，确保新增财政性教育经费向职业教育倾斜，确保教育费附加用于职业教育的比例不低于 30%。",
        [ge("30%", "教育费附加用于职业教育的比例", 30, "%")],
    ),
    # --- xinzheng ---------------------------------------------------------------------------
    (
        "xinzheng-2023-highland-plan.txt",
        "到 2025 年，中等职业学校在校生规模达到 3 万人，毕业生就业率保持在 95%以上，各类职业技能培训达到 6 万人次。",
        [
            eq("3 万人", "中等职业学校在校生规模", 30_000, "人", 2025),
            ge("95%以上", "毕业生就业率", 95, "%", 2025),
            eq("6 万人次", "职业技能培训", 60_000, "人次", 2025),
        ],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        (
            "通过五大项任务举措，23 项行动计划，构建职业教育体系更加优化、办学水平明显提高、产教融合深入开展、服务能力显著增强、保障措施更加有力、"
            "发展环境更加友好的职业教育发展新格局，继续保持国家级农村职业教育和成人教育示范县（市）领先地位。"
        ),
        [eq("23 项", "行动计划", 23, "项")],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "推动普通高中和中等职业教育协调发展，合理规划职业学校布局，重点办好 2 所与我市经济发展、产业结构相适应的骨干中等职业学校，使城乡新增劳动力普遍接受高中段教育。",
        [eq("2 所", "骨干中等职业学校", 2, "所")],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "到 2025 年，全市中等职业学校办学条件全部达到国家规定办学标准，努力建成 1—2 所省级高水平中等职业学校和 2—3 个高水平专业群。",
        [rng("1—2 所", "省级高水平中等职业学校", 1, 2, "所", 2025), rng("2—3 个", "高水平专业群", 2, 3, "个", 2025)],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "到2025年，全市中等职业学校办学条件全部达到国家规定办学标准，努力建成1-2所省级高水平中等职业学校和2-3个高水平专业群。",
        [rng("1-2所", "省级高水平中等职业学校", 1, 2, "所", 2025), rng("2-3个", "高水平专业群", 2, 3, "个", 2025)],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "支持建设 1—2 个特色鲜明、服务精准的示范性高等职业学校产业学院。",
        [rng("1—2 个", "示范性高等职业学校产业学院", 1, 2, "个")],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "培养 20 名\n\n以上郑州市级课程思政优秀教师，打造 10 门以上课程思政示范课程，建设 2 个思政和德育示范建设基地。",
        [
            ge("20 名\n\n以上", "课程思政优秀教师", 20, "名"),
            ge("10 门以上", "课程思政示范课程", 10, "门"),
            eq("2 个", "思政和德育示范建设基地", 2, "个"),
        ],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        (
            "到 2025 年，融合各职业学校专业资源，组建智能制造装备、汽车运用与服务、航空服务、文旅餐饮、商贸物流、艺术与体育、轨道交通、电子信息、现代农艺、"
            "健康食品等方向的 10 个特色专业群。"
        ),
        [eq("10 个", "特色专业群", 10, "个", 2025)],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "培育10家以上的省级产教融合型企业，建设至少3所郑州市级产教融合创新试点职业学校和3个示范性校企合作项目。",
        [
            ge("10家以上", "省级产教融合型企业", 10, "家"),
            ge("3所", "产教融合创新试点职业学校", 3, "所"),
            ge("3个", "示范性校企合作项目", 3, "个"),
        ],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        (
            "落实对产教融合型企业“金融+财政+土地+信用”的组合式激励政策，对纳入产教融合型企业建设培育范围的试点企业，兴办职业教育的投资符合规定的，"
            "可按投资额的30%抵免当年应缴教育费附加和地方教育附加。"
        ),
        [eq("30%", "抵免当年应缴教育费附加和地方教育附加", 30, "%", kind="norm")],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "支持职业学校按教职工核定编制数额 30%左右的比例聘足配齐兼职教师，财政统筹资金予以支持。",
        [approx("30%左右", "聘足配齐兼职教师", 30, "%", kind="norm")],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "建立职业学校教师绩效工资总量动态调整机制，职业学校通过校企合作、技术服务、社会培训、自办企业等所得收入，可按照不低于 50%的比例用于教师劳动报酬。",
        [ge("50%", "教师劳动报酬", 50, "%", kind="norm")],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "全面推进“1+X”证书工作试点，中等职业学校参与率不低于 50%。",
        [ge("50%", "中等职业学校参与率", 50, "%")],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "把继续教育经费列入本级教育经费年度预算,按照辖区内常住人口数人均不低于2元的标准拨付。",
        [ge("2元", "继续教育经费", 2, "元/人", kind="norm")],
    ),
    (
        "xinzheng-2023-highland-plan.txt",
        "9\t融合各职业学校专业资源，组建智能制造装备、汽车运用与服务、航空服务、文旅餐饮、商贸物流、艺术与体育、轨道交通、电子信息、现代农艺、健康食品等方向的10个特色专业群。",
        [eq("10个", "特色专业群", 10, "个")],
    ),
    # --- zhengzhou 2022 -----------------------------------------------------------------------
    (
        "zhengzhou-2022-highland-plan.txt",
        (
            "11月2日,郑州市印发《郑州市职业教育创新发展高地建设实施方案》,力争到2025年,中等职业学校在校生规模达到45万人,高等职业院校在校生规模达到80万人,"
            "毕业生就业率保持在95%以上。"
        ),
        [
            eq("45万人", "中等职业学校在校生规模", 450_000, "人", 2025),
            eq("80万人", "高等职业院校在校生规模", 800_000, "人", 2025),
            ge("95%以上", "毕业生就业率", 95, "%", 2025),
        ],
    ),
    ("zhengzhou-2022-highland-plan.txt", "《方案》提出25项重点任务:", [eq("25项", "重点任务", 25, "项")]),
    (
        "zhengzhou-2022-highland-plan.txt",
        "优化职业学校布局与功能定位,每个开发区、县(市)、有职业学校的区集中力量重点办好1—2所骨干中等职业学校。",
        [rng("1—2所", "骨干中等职业学校", 1, 2, "所")],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "集中力量建设高水平高等职业学校和专业,重点支持创建1所国家级高水平职业院校和6个国家级高水平专业(集群)。",
        [eq("1所", "国家级高水平职业院校", 1, "所"), eq("6个", "国家级高水平专业(集群)", 6, "个")],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "推动本科层次职业学校和本科层次职业教育专业建设,支持郑州市1—2所专科职业学校申办本科职业学校。",
        [rng("1—2所", "专科职业学校", 1, 2, "所")],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "培养200名市级课程思政优秀教师,打造100门市级课程思政示范课程,遴选建设20个市级思政和德育示范建设基地。",
        [
            eq("200名", "课程思政优秀教师", 200, "名"),
            eq("100门", "课程思政示范课程", 100, "门"),
            eq("20个", "思政和德育示范建设基地", 20, "个"),
        ],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "启动50个市级(含中高本)高水平专业群建设,建设一批市级重点专业、品牌专业、特色专业、急特需专业。",
        [eq("50个", "高水平专业群", 50, "个")],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "围绕郑州市主导产业、战略新兴产业、未来产业谋篇布局,遴选、培育100家以上的省级产教融合型企业,遴选、建设20所市级产教融合创新试点职业学校和60个示范性校企合作项目。",
        [
            ge("100家以上", "省级产教融合型企业", 100, "家"),
            eq("20所", "产教融合创新试点职业学校", 20, "所"),
            eq("60个", "示范性校企合作项目", 60, "个"),
        ],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "每个产业集聚区、产业园区至少建设一个高水平、专业化产教融合公共实训基地。",
        [ge("一个", "高水平、专业化产教融合公共实训基地", 1, "个")],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "支持职业学校建设30个对接区域产业发展需求,兼具生产、教学、应用性研究功能的高水平产教融合基地。",
        [eq("30个", "高水平产教融合基地", 30, "个")],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "建设5个特色鲜明、服务精准的示范性高等职业学校产业学院。",
        [eq("5个", "示范性高等职业学校产业学院", 5, "个")],
    ),
    ("zhengzhou-2022-highland-plan.txt", "建设10个职业教育集团(联盟)。", [eq("10个", "职业教育集团(联盟)", 10, "个")]),
    (
        "zhengzhou-2022-highland-plan.txt",
        "支持职业学校按教职工核定编制数额30%左右的比例聘足配齐兼职教师,财政统筹资金予以支持。",
        [approx("30%左右", "聘足配齐兼职教师", 30, "%", kind="norm")],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "建立职业学校教师绩效工资总量动态调整机制,职业学校通过校企合作、技术服务、社会培训、自办企业等所得收入,可按照不低于50%的比例用于教师劳动报酬。",
        [ge("50%", "教师劳动报酬", 50, "%", kind="norm")],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "全面推进“1+X”证书工作试点,全市高等职业学校参与率100%,中等职业学校参与率不低于50%。",
        [eq("100%", "高等职业学校参与率", 100, "%"), ge("50%", "中等职业学校参与率", 50, "%")],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "推动每个区县(市)至少建设1所社区学院和1个养教结合的老年教育中心。",
        [ge("1所", "社区学院", 1, "所"), ge("1个", "老年教育中心", 1, "个")],
    ),
    (
        "zhengzhou-2022-highland-plan.txt",
        "吸引境外优质职业教育机构来郑合作,按“一校一策”方式支持引进15个以上国际合作项目。",
        [ge("15个以上", "国际合作项目", 15, "个")],
    ),
    # --- zhengzhou 2023 (raw PDF text: stray spaces and line breaks inside words) -----------
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "先进制造 、 新能源 、 新材料 、 现代信息技术 、 生物技术 、 人\n工 智能 、健康养老 、 家政服务等产业相关专业点占 70%以上 。",
        [ge("70%以上", "先进制造、新能源、新材料、现代信息技术、生物技术、人工智能、健康养老、家政服务等产业相关专业点", 70, "%")],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "推动每所职业院校重点打造 1— 3 个具有行业特色和区域优  势的专业  (群) ,  重点建成省级优质中职专业  (群)  30个左右 、\n高水平高职专业  (群)  15个左右 。",
        [
            rng("1— 3 个", "专业(群)", 1, 3, "个"),
            approx("30个左右", "省级优质中职专业(群)", 30, "个"),
            approx("15个左右", "高水平高职专业(群)", 15, "个"),
        ],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "职业 本科专业稳步发展 ,  职业本科教育招生规模不低于高职教育招生\n规模的 10%。",
        [ge("10%", "职业本科教育招生规模", 10, "%")],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "推动相关专业升级提质 ,  重点建设 230个左\n右传统优势专业点 ,  打造 70个省级示范性传统优势专业点 。",
        [approx("230个左\n右", "传统优势专业点", 230, "个"), eq("70个", "省级示范性传统优势专业点", 70, "个")],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "重点增 设  260个左右 新 兴 专 业 点 ,  打 造 100个 左 右 省 级 示 范 性 新 兴 专 业  点 。",
        [approx("260个左右", "新兴专业点", 260, "个"), approx("100个 左 右", "省级示范性新兴专业点", 100, "个")],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "重点培育 70个左右未来专业点 ,  打造 20个省级示范性  未来专业点 。",
        [approx("70个左右", "未来专业点", 70, "个"), eq("20个", "省级示范性未来专业点", 20, "个")],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "重点建设 100个左右特色专业点 ,  打造 30个省级示范\n性特色专业点 、 15个省级示范性品牌专业点 。",
        [
            approx("100个左右", "特色专业点", 100, "个"),
            eq("30个", "省级示范性特色专业点", 30, "个"),
            eq("15个", "省级示范性品牌专业点", 15, "个"),
        ],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "推动每所高职院 校聚焦服务 2— 3 个主导行业产业 ,  形成特色专业 ,  打造职教品 牌 。",
        [rng("2— 3 个", "主导行业产业", 2, 3, "个")],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "重点打造 70个省级升级改造 示范性骨干专业点 。",
        [eq("70个", "省级升级改造示范性骨干专业点", 70, "个")],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "优先支持建设 25所左右省级高水平中职学校和 35个左  右高水平 专 业  (群) 。",
        [approx("25所左右", "省级高水平中职学校", 25, "所"), approx("35个左  右", "高水平专业(群)", 35, "个")],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "力争  “十四五 ” 期间 ,  我市入选国  家  “双高计划” 高等职业学校 1 所以上 、 高水平专业  (群)  达 5 个以上 。",
        [ge("1 所以上", "国家“双高计划”高等职业学校", 1, "所", 2025), ge("5 个以上", "高水平专业(群)", 5, "个", 2025)],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "重点支持建设 15所左右省级高水平高等职业学校和 25 个左右省级高水平专业  (群) 。",
        [approx("15所左右", "省级高水平高等职业学校", 15, "所"), approx("25 个左右", "省级高水平专业(群)", 25, "个")],
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "力争  “十四五” 期间 ,  我市新增职业 本科学校 1 所 ,  专业点达到 100个 。",
        [eq("1 所", "职业本科学校", 1, "所", 2025), eq("100个", "专业点", 100, "个", 2025)],
    ),
    # --- drafting note ------------------------------------------------------------------------
    (
        "zhengzhou-reform-plan-drafting-note.txt",
        (
            "2020年9月中旬，教育部等九部门联合印发《职业教育提质培优行动计划（2020-2023年）》（以下简称“行动计划”），围绕提质培优、增值赋能，规划设计了10项任务、27条举措，"
            "将《国家职业教育改革实施方案》再细化和具体化。"
        ),
        # 规划设计了10项任务: the perfective 了 reports what another document did: baseline, not a goal.
        [eq("10项", "任务", 10, "项", kind="baseline"), eq("27条", "举措", 27, "条", kind="baseline")],
    ),
    (
        "zhengzhou-reform-plan-drafting-note.txt",
        "《郑州市职业教育改革实施方案》共有四个部分，二十四条内容。",
        [eq("四个", "部分", 4, "个"), eq("二十四条", "内容", 24, "条")],
    ),
    (
        "zhengzhou-reform-plan-drafting-note.txt",
        "主要从加强党对职业教育工作的全面领导，落实政府发展职业教育的责任，健全经费投入机制，营造职业教育发展环境等四个方面，保障我市职业教育改革发展顺利推进。",
        [eq("四个", "方面", 4, "个")],
    ),
    (
        "zhengzhou-reform-plan-drafting-note.txt",
        "四是在第一轮征求意见修改完成后，又征求了8个政府部门的建议，共收到修改建议14条，采纳意见14条，5个局委无意见。",
        # 又征求了…共收到…: how the draft was consulted, past facts (baseline), not targets.
        [
            eq("8个", "政府部门", 8, "个", kind="baseline"),
            eq("14条", "修改建议", 14, "条", kind="baseline"),
            eq("14条", "采纳意见", 14, "条", kind="baseline"),
            eq("5个", "局委", 5, "个", kind="baseline"),
        ],
    ),
]

# Sentences from the seeds with numbers that state no quantity.
NO_TARGETS: list[tuple[str, str]] = [
    ("kaifeng-2021-expansion-plan.txt", "3. 实施“1+X”证书制度。"),
    (
        "kaifeng-2021-expansion-plan.txt",
        "推动职业学校参与“1+X”证书制度实施，组建开封市“1+X”证书制度试点联盟，推进学历证书与职业技能等级证书互通衔接",
    ),
    ("zhengzhou-2022-highland-plan.txt", "扩大“3+2”分段和五年一贯制高等职业教育规模"),
    ("zhengzhou-2023-specialty-opinions.txt", "支持探索中职— 本科  “3+4”、高职— 本科  “3+2”“2+\n2”等贯通培养模式 。"),
    ("xinzheng-2023-highland-plan.txt", "新政办〔2023〕17号"),
    (
        "kaifeng-2021-expansion-plan.txt",
        "为贯彻落实《国家职业教育改革实施方案》(国发〔2019〕4 号)《职业教育提质培优行动计划(2020—2023)》(教职成〔2020〕7 号)",
    ),
    (
        "zhengzhou-2023-specialty-opinions.txt",
        "围绕电子信息 、 软件 、 5G通信 、 高端装备 、 新材料 、 新能  源汽车及动力电池等新兴产业发展需求",
    ),
    ("kaifeng-2021-expansion-plan.txt", "2021年11月23日"),
    ("zhengzhou-2023-specialty-opinions.txt", "2023年 10月 19 日"),
    (
        "kaifeng-2021-expansion-plan.txt",
        "《开封市职业教育提质扩容行动方案（2021—2025年）》已经市政府第65次常务会议研究同意，现印发给你们，请认真贯彻落实。",
    ),
    ("xinzheng-2023-highland-plan.txt", "结合我市“十四五”期间现代产业体系构建和产业集聚区、产业园区产业发展规划"),
    ("zhengzhou-2022-highland-plan.txt", "19.扩大对外交流,服务“一带一路”建设。"),
    ("xinzheng-2023-highland-plan.txt", "深入贯彻党的二十大精神、习近平总书记关于职业教育工作的重要指示和全国职业教育大会精神"),
    ("zhengzhou-2022-highland-plan.txt", "6.做强“五育并举”,落实立德树人根本任务。"),
    ("xinzheng-2023-highland-plan.txt", "构建“三全育人”格局。"),
    ("xinzheng-2023-highland-plan.txt", "将建设高质量现代职业教育作为“一把手”工程"),
    ("zhengzhou-2023-specialty-opinions.txt", "坚持  “四个面向 ”,  锚定 “四个高地 ” 核心功能定位"),
    ("xinzheng-2023-highland-plan.txt", "提高专业与我市“三主三新”产业的匹配度。"),
    ("kaifeng-2021-expansion-plan.txt", "重点打造一批国家级骨干专业和省级品牌专业（群）。"),
    ("kaifeng-2021-expansion-plan.txt", "一体化设计中职、高职与应用型本科相衔接的课程体系。"),
    ("zhengzhou-2023-specialty-opinions.txt", "保持职业教育办学方向 、培养模式 、特 色发展  “三个不变 ”。"),
    ("zhengzhou-reform-plan-drafting-note.txt", "党的十八大以来，以习近平同志为核心的党中央站在党和国家发展全局的高度"),
    ("zhengzhou-reform-plan-drafting-note.txt", "经中央全面深化改革委员会第五次会议审议通过了《国家职业教育改革实施方案》。"),
    ("zhengzhou-2022-highland-plan.txt", "坚持五年一周期的职业学校教师全员轮训制度"),
    ("zhengzhou-2022-highland-plan.txt", "年培训人次不低于在校生数。"),
    ("zhengzhou-2022-highland-plan.txt", "成立市、县两级终身教育与学习型城市建设工作指导委员会"),
    ("zhengzhou-2022-highland-plan.txt", "头条 22-11-03"),
    (
        "xinzheng-2023-highland-plan.txt",
        "1\t市教育局\t负责全市中小学、幼儿园、校外培训机构、民办教育机构的日常管理工作，落实立德树人根本任务，深化教育教学改革，提高教育质量。\t王局长\t123456789",
    ),
    ("zhengzhou-2023-specialty-opinions.txt", "—   10  —"),
]


def _id(sentence: str) -> str:
    return re.sub(r"\s+", "", sentence)[:24]


def _fields(t: Any) -> dict[str, Any]:
    return {f: getattr(t, f) for f in FIELDS}


def test_enough_cases() -> None:
    assert len(CASES) >= 60
    assert len({s for _, s, _ in CASES}) == len(CASES)


@pytest.mark.parametrize(
    ("seed", "sentence"), [(f, s) for f, s, _ in CASES] + NO_TARGETS, ids=lambda x: _id(x) if "\n" in x or len(x) > 30 else x
)
def test_sentences_are_real(seed: str, sentence: str) -> None:
    assert sentence in SEED_TEXT[seed]


@pytest.mark.parametrize(("seed", "sentence", "expected"), CASES, ids=[_id(s) for _, s, _ in CASES])
def test_targets(seed: str, sentence: str, expected: list[dict[str, Any]]) -> None:
    got = [_fields(t) for t in find_targets(sentence, period=PERIOD)]
    want = [{**e, **{k: float(e[k]) for k in ("value", "low", "high") if e[k] is not None}} for e in expected]
    assert got == want


@pytest.mark.parametrize(("seed", "sentence"), NO_TARGETS, ids=[_id(s) for _, s in NO_TARGETS])
def test_no_targets(seed: str, sentence: str) -> None:
    assert find_targets(sentence, period=PERIOD) == []


# --- behaviour beyond the table ----------------------------------------------------------------


def test_offsets_and_clause_id() -> None:
    sentence = "到 2025 年，中等职业学校在校生规模达到 3 万人，毕业生就业率保持在 95%以上。"
    targets = find_targets(sentence, clause_id="s1.s2", offset=1000)
    assert [(t.clause, t.start, t.end) for t in targets] == [
        ("s1.s2", 1000 + sentence.index("3 万人"), 1000 + sentence.index("3 万人") + 4),
        ("s1.s2", 1000 + sentence.index("95%以上"), 1000 + sentence.index("95%以上") + 5),
    ]


def test_relative_years_need_the_period() -> None:
    sentence = "推动职业院校积极主动开展培训，5年累计培训人次不低于108万人次。"
    assert find_targets(sentence)[0].year is None
    assert find_targets(sentence, period=(2021, 2025))[0].year == 2025
    assert find_targets(sentence, period=(2023, 2027))[0].year == 2027


def test_plan_periods() -> None:
    assert find_targets("力争“十四五”期间，新增职业本科学校1所。")[0].year == 2025
    assert find_targets("十四五末，专业点达到100个。")[0].year == 2025
    assert find_targets("“十三五”期间建成3所学校。")[0].year == 2020
    assert find_targets("2025年前建成3所学校。")[0].year == 2025


def test_year_from_later_in_the_sentence() -> None:
    [t] = find_targets("中等职业学校在校生规模达到45万人，力争到2025年实现。")
    assert t.year == 2025


def test_baseline_then_target_in_one_sentence() -> None:
    got = [(t.raw, t.subject, t.kind, t.year) for t in find_targets("截至2022年底，全市现有职业院校15所，到2025年达到20所。")]
    assert got == [("15所", "职业院校", "baseline", 2022), ("20所", "职业院校", "target", 2025)]


def test_perfective_le_is_baseline_but_not_in_words() -> None:
    def kinds(text: str) -> list[str]:
        return [t.kind for t in find_targets(text)]

    assert kinds("近年来，我市建成了国家级示范校3所。") == ["baseline"]
    assert kinds("我市培养了技能人才2万人，到2025年培养5万人。") == ["baseline", "target"]
    # 为了, 除了, 了解, 一目了然 are no perfective 了.
    assert kinds("为了提高质量，建设10所学校。") == ["target"]
    assert kinds("除了中职学校，再建设3所高职院校。") == ["target"]
    assert kinds("深入了解企业需求，建设10个实训基地。") == ["target"]


def test_fullwidth_digits_keep_offsets() -> None:
    text = "公办高等职业学校生均拨款水平应不低于１２０００元。"
    [t] = find_targets(text)
    assert (t.raw, t.value, t.unit, t.comparator, t.kind) == ("１２０００元", 12000.0, "元", "ge", "norm")
    assert text[t.start : t.end] == t.raw


def test_units_and_multipliers() -> None:
    def one(text: str) -> tuple[Any, ...]:
        [t] = find_targets(text)
        return (t.comparator, t.value, t.low, t.high, t.unit)

    assert one("安排资金50万元。") == ("eq", 500_000.0, None, None, "元")
    assert one("投入2.5亿元。") == ("eq", 250_000_000.0, None, None, "元")
    assert one("补助3000～5000元。") == ("range", None, 3000.0, 5000.0, "元")
    assert one("每校不超过12,000元。") == ("le", 12_000.0, None, 12_000.0, "元")
    assert one("比例提高2个百分点。") == ("eq", 2.0, None, None, "百分点")
    assert one("建成100余所学校。") == ("gt", 100.0, 100.0, None, "所")
    assert one("培育十多个品牌。") == ("gt", 10.0, 10.0, None, "个")
    assert one("建设两三个基地。") == ("range", None, 2.0, 3.0, "个")
    assert one("在校生3—5万人。") == ("range", None, 30_000.0, 50_000.0, "人")
    assert one("就业率约为90%。") == ("approx", 90.0, None, None, "%")
    assert one("师生比低于20%。") == ("lt", 20.0, None, 20.0, "%")


def test_chinese_numerals() -> None:
    cases = {"十": 10, "二十四": 24, "两": 2, "一百零五": 105, "三万五千": 35000, "一亿二千万": 120_000_000}
    assert {k: cn_to_int(k) for k in cases} == cases
    assert [cn_to_int(s) for s in ("十四五", "三主三新", "万", "二〇二五")] == [None, None, None, None]
    assert find_targets("百家争鸣，千家万户，实施千人计划，三次产业，一次性补助。") == []
    assert find_targets("建立一个机制。") == []  # 一个 without 至少…: an article


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet="0123456789０１２.,，。；;、%％—-～一二两三四五六七八九十百千万亿个所家名人次元/生年以上下左右约不低于超过至少到底期间十四五“”《》〔〕()（）第按照比例标准目前现有 \n\t",
        max_size=80,
    )
    | st.text(max_size=60),
    st.integers(min_value=0, max_value=10_000),
    st.one_of(st.none(), st.tuples(st.integers(1990, 2030), st.integers(1990, 2035))),
)
def test_never_raises_and_raw_matches_offsets(text: str, offset: int, period: tuple[int, int] | None) -> None:
    targets = find_targets(text, clause_id="c", offset=offset, period=period)
    # find_targets swallows errors as a last resort; the extractor itself must not need that.
    assert [t.raw for t in _Extractor(text, "c", offset, period).run()] == [t.raw for t in targets]
    for t in targets:
        assert text[t.start - offset : t.end - offset] == t.raw
        assert t.raw
        if t.comparator == "range":
            assert t.low is not None and t.high is not None and t.value is None
        else:
            assert t.value is not None


def test_whole_seed_files() -> None:
    # Whole raw files (tables, headers, stray spaces) as one text: offsets hold and nothing raises.
    total = 0
    for text in SEED_TEXT.values():
        for t in find_targets(text, offset=7, period=PERIOD):
            assert text[t.start - 7 : t.end - 7] == t.raw
            total += 1
    assert total > 100


# --- targets outside clauses: preamble and section items reach the document ----------------------


def test_preamble_targets_are_the_documents(seed_docs: dict[str, Any]) -> None:
    doc = seed_docs["zhengzhou-2022-highland-plan"]
    headline = [(t.clause, t.raw, t.subject, t.comparator, t.value, t.unit, t.year, t.kind) for t in doc.targets if t.year]
    assert headline == [
        ("preamble", "45万人", "中等职业学校在校生规模", "eq", 450_000.0, "人", 2025, "target"),
        ("preamble", "80万人", "高等职业院校在校生规模", "eq", 800_000.0, "人", 2025, "target"),
        ("preamble", "95%以上", "毕业生就业率", "ge", 95.0, "%", 2025, "target"),
    ]
    for t in doc.targets:
        assert doc.text[t.start : t.end] == t.raw
    listed = doc.all_targets()
    assert all(any(t is u for u in listed) for t in doc.targets)
    # Nothing outside sections in the plans that have no such text.
    assert seed_docs["kaifeng-2021-expansion-plan"].targets == []


def test_section_item_targets_are_on_the_section(seed_docs: dict[str, Any]) -> None:
    doc = seed_docs["zhengzhou-reform-plan-drafting-note"]
    [s5] = [s for s in doc.iter_sections() if s.title.startswith("五、")]
    assert s5.items and not s5.body  # 一是/二是… only
    got = [(t.clause, t.raw, t.subject, t.kind) for t in s5.targets]
    assert got == [
        (s5.id, "8个", "政府部门", "baseline"),
        (s5.id, "14条", "修改建议", "baseline"),
        (s5.id, "14条", "采纳意见", "baseline"),
        (s5.id, "5个", "局委", "baseline"),
    ]
    for t in s5.targets:
        assert doc.text[t.start : t.end] == t.raw


def test_targets_command_lists_targets_outside_clauses(seed_docs: dict[str, Any]) -> None:
    from policydiff.api import render_targets
    from policydiff.render.tables import target_rows

    doc = seed_docs["zhengzhou-2022-highland-plan"]
    rows = json.loads(str(render_targets([doc], fmt="json")))
    assert {("preamble", "45万人"), ("preamble", "80万人"), ("preamble", "95%以上")} <= {(r["clause"], r["raw"]) for r in rows}
    note = seed_docs["zhengzhou-reform-plan-drafting-note"]
    exported = {(r["clause_id"], r["raw"]) for r in target_rows([doc, note])}
    assert ("preamble", "45万人") in exported
    assert any(raw == "8个" for _, raw in exported)


def test_every_target_is_listed_once(seed_docs: dict[str, Any]) -> None:
    for doc in seed_docs.values():
        listed = doc.all_targets()
        assert len({(t.start, t.end) for t in listed}) == len(listed), doc.name


# --- the fast paths give what the plain patterns give ---------------------------------------------


# Texts with the characters the patterns turn on, plus every seed.
PATTERN_TEXT = st.text(
    alphabet='0123456789.年底末前之以到至截止十一二三四五六七八九期间内共计累计增加新增通过经过利用”"约制签不低于超过至多少大概体接近现有目当已经了为除解然如 。，；\n',
    max_size=60,
)
SEEDS = list(SEED_TEXT.values())


def _spans(rx: Any, text: str) -> list[tuple[int, int]]:
    return [m.span() for m in rx.finditer(text)]


@settings(max_examples=400, deadline=None)
@given(PATTERN_TEXT)
def test_scan_patterns_match_the_plain_ones(text: str) -> None:
    _check_scan_patterns(text)


def test_scan_patterns_on_the_seeds() -> None:
    for text in SEEDS:
        _check_scan_patterns(text)


def _check_scan_patterns(text: str) -> None:
    # Year marks: the group-free scan finds the matches of _YEAR_MARK_RE.
    assert _spans(tg._YEAR_MARK_SCAN_RE, text) == _spans(tg._YEAR_MARK_RE, text)
    # Comparator words: as the pattern with one named group per comparator (as it was written first).
    grouped = re.compile(
        "|".join(
            f"(?P<{kind}>{qt.spaced_alternatives(words)}" + ("|(?<![制签节公条合预契简缩])约)" if kind == "approx" else ")")
            for kind, words in tg._PREFIX_WORDS.items()
        )
    )
    fast = [(m.span(), tg._PREFIX_WORD_KIND[qt.compact(m.group())]) for m in tg._PREFIX_CMP_SCAN_RE.finditer(text)]
    assert fast == [(m.span(), m.lastgroup) for m in grouped.finditer(text)]
    # Baseline markers: without 现有 the fast pattern finds what the full one finds.
    if not tg._XIANYOU_RE.search(text):
        assert _spans(tg._BASELINE_FAST_RE, text) == _spans(tg._BASELINE_RE, text)


def test_search_windows_cover_the_patterns() -> None:
    from re import _parser  # type: ignore[attr-defined]

    for rx, width in (
        (sj._TRAIL_RE, sj._TRAIL_WIDTH),
        (tg._NORM_MODAL_RE, tg._NORM_MODAL_WIDTH),
        (tg._PER_CAPITA_RE, tg._PER_CAPITA_WIDTH),
        (sj._POSSESSOR_RE, sj._POSSESSOR_WIDTH),
    ):
        assert rx.pattern.endswith("$")
        assert _parser.parse(rx.pattern).getwidth()[1] <= width, rx.pattern


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="的用于建设等、和及与在校学生毕业人数规模招x", max_size=12))
def test_string_forms_of_the_subject_substitutions(s: str) -> None:
    assert sj._drop_post_lead(s) == sj._POST_LEAD_RE.sub("", s)
    assert sj._drop_post_trail(s) == sj._POST_TRAIL_RE.sub("", s)
    assert sj._drop_measure_tail(s) == sj._MEASURE_TAIL_RE.sub("", s)


def test_has_space_is_regex_whitespace() -> None:
    from policydiff.text.ngrams import has_space

    for code in range(0x110000):
        c = chr(code)
        assert has_space(f"a{c}b") == bool(re.search(r"\s", c)), hex(code)
    assert [has_space(s) for s in ("", "职业教育", " 职业", "职业\n", "职 业", "  ")] == [False, False, True, True, True, True]


def test_decimal_only_when_scaled() -> None:
    # float() of the digits is float(Decimal(digits)); 万/亿 multiply exactly.
    assert qt._arabic_value("11.4", "万") == 114000.0
    assert qt._arabic_value("12,000", None) == 12000.0
    assert qt._arabic_value("0.1", None) == float(Decimal("0.1"))


# --- penalties of legal texts ---------------------------------------------------------------------------------------

PENALTIES = [
    ("违反本条例规定的，处一万元以上五万元以下罚款。", [("罚款", "range", None, 10000, 50000, "元")]),
    ("处二百元罚款", [("罚款", "eq", 200, None, None, "元")]),
    ("处5000元以上3万元以下的罚款", [("罚款", "range", None, 5000, 30000, "元")]),
    ("处五日以下拘留；情节较重的，处十日以上十五日以下拘留", [("拘留", "le", 5, None, None, "日"), ("拘留", "range", None, 10, 15, "日")]),
    ("处三年以上七年以下有期徒刑，并处罚金", [("有期徒刑", "range", None, 3, 7, "年")]),
    ("处十年以上有期徒刑、无期徒刑或者死刑", [("有期徒刑", "ge", 10, None, None, "年")]),
    ("没收违法所得，并处违法所得一倍以上五倍以下罚款", [("罚款", "range", None, 1, 5, "倍")]),
    ("并处罚金二万元", [("罚金", "eq", 20000, None, None, "元")]),
    ("处以罚款二百元", [("罚款", "eq", 200, None, None, "元")]),
    ("货值金额一万元以上的，处五万元以下的罚款", [("罚款", "le", 50000, None, None, "元")]),  # the 一万元 is a condition
    ("处六个月以上五年以下有期徒刑", [("有期徒刑", "range", None, 6, 60, "个月")]),
    # Who is fined, when the sentence says it (会计法): 单位 and its managers are two measures.
    ("对单位可以并处二十万元以下的罚款，对其直接负责的主管人员和其他直接责任人员可以处五万元以下的罚款",
     [("罚款（单位）", "le", 200000, None, None, "元"), ("罚款（直接负责的主管人员和其他直接责任人员）", "le", 50000, None, None, "元")]),
    ("对违反本条例规定的行为，处二百元罚款", [("罚款", "eq", 200, None, None, "元")]),
    ("五年内不得从事相关工作", []),
]


@pytest.mark.parametrize(("text", "expected"), PENALTIES)
def test_penalties_are_read_as_norms(text: str, expected: list[tuple[object, ...]]) -> None:
    found = [t for t in policydiff.parse_text(f"某某条例\n第一条 {text}", name="p").clauses[0].targets if t.kind == "norm"]
    assert [(t.subject, t.comparator, t.value, t.low, t.high, t.unit) for t in found] == expected


def test_a_revised_fine_is_a_numeric_change() -> None:
    """公司法 2018 → 2023 (LawRefBook/Laws): the fine of one article went from 5万—50万 to 5万—200万 元."""
    old = policydiff.parse_text("公司法\n第二百零二条 公司在依法向有关主管部门提供的财务会计报告等材料上作虚假记载的，"
                                "对直接负责的主管人员处三万元以上三十万元以下的罚款。\n第二百零三条 处五日以下拘留。\n", name="old")
    new = policydiff.parse_text("公司法\n第二百五十四条 公司在依法向有关主管部门提供的财务会计报告等材料上作虚假记载的，"
                                "对直接负责的主管人员处五万元以上二百万元以下的罚款。\n第二百五十五条 处五日以下拘留。\n", name="new")
    changes = [(c.subject, c.change, c.text) for c in policydiff.compare(old, new).numeric_changes if c.change != "same"]
    assert changes == [("罚款（直接负责的主管人员）", "changed", "30000—300000元 → 50000—2000000元")], changes
