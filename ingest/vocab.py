"""The national vocabulary of public-finance disclosures: item labels, categories, scopes and measures.

Everything here is data (dicts and keyword lists) plus small look-up functions, so a new label is one new
entry, not a new rule.  The vocabulary is that of the national budget classification (政府收支分类科目) and the
standard 部门决算 / 部门预算 / 绩效自评 templates; nothing in it is specific to one bureau or one document.

``classify_item(label)``  → (normalized item, category) or None
``function_path(parts)``  → '类/款/项' path of a function-class line
``scope_of(text)``        → all | fiscal | general_public | gov_fund
``measure_of(text)``      → budget_initial | budget_final | actual | None
"""

from __future__ import annotations

import re

__all__ = [
    "ALIASES", "CATEGORY_KEYWORDS", "EXACT_ITEMS", "FUNCTION_NAMES", "classify_item", "function_path",
    "measure_of", "normalize_label", "scope_of", "split_function_label",
]

# ------------------------------------------------------------------------------------------- labels

# layout noise around a label: numbering (一、 （二） 1. ①), 其中, trailing colons, 合计 markers written apart
_LEAD_NOISE = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十]+[）)、.．]|[（(]\d+[）)]|\d+[、.．](?!\d)|[①-⑳]|其中[:：]?|含[:：]?|"
    r"[-—·•]+)+"
)
_TRAIL_NOISE = re.compile(r"[:：，,。；;、\s]+$")
_SPACES = re.compile(r"\s+")
_QUOTES = re.compile(r"[“”\"'‘’「」]")

# spellings of the same item → the name the fact contract uses
ALIASES: dict[str, str] = {
    "三公经费": "三公经费",
    "三公经费支出": "三公经费",
    "三公经费合计": "三公经费",
    "因公出国(境)费": "因公出国（境）费",
    "因公出国（境）费用": "因公出国（境）费",
    "因公出国(境)费用": "因公出国（境）费",
    "因公出国（境）经费": "因公出国（境）费",
    "因公出国(境)经费": "因公出国（境）费",
    "因公出国（境）支出": "因公出国（境）费",
    "因公出国(境)支出": "因公出国（境）费",
    "因公出国境费": "因公出国（境）费",
    "因公出国出境费": "因公出国（境）费",
    "出国经费": "因公出国（境）费",
    "出国费": "因公出国（境）费",
    "公务接待": "公务接待费",
    "公务接待费用": "公务接待费",
    "公务接待经费": "公务接待费",
    "公务接待支出": "公务接待费",
    "公务接待费支出": "公务接待费",
    "公务用车购置及运行费": "公务用车购置及运行维护费",
    "公务用车购置及运行维护": "公务用车购置及运行维护费",
    "公务用车购置和运行维护费": "公务用车购置及运行维护费",
    "公务用车购置和维护经费": "公务用车购置及运行维护费",
    "公务用车购置及运行维护费支出": "公务用车购置及运行维护费",
    "公务用车购置及运行维护支出": "公务用车购置及运行维护费",
    "公车购置及运行维护费": "公务用车购置及运行维护费",
    "公车购置及运维费": "公务用车购置及运行维护费",
    "公务用车购置": "公务用车购置费",
    "公务用车购置支出": "公务用车购置费",
    "公车购置": "公务用车购置费",
    "公车购置费": "公务用车购置费",
    "公务用车运行维护": "公务用车运行维护费",
    "公务用车运行维护支出": "公务用车运行维护费",
    "公务用车运行维护费支出": "公务用车运行维护费",
    "公务用车运行费": "公务用车运行维护费",
    "公车运行维护": "公务用车运行维护费",
    "公车运行维护费": "公务用车运行维护费",
    "公车运维费": "公务用车运行维护费",
    "机关运行费用": "机关运行经费",
    "机关运行费用支出": "机关运行经费",
    "机关运行经费支出": "机关运行经费",
    "当年财政拨款": "财政拨款",
    "上年结转资金": "上年结转",
    "年度资金金额": "年度资金总额",
}

# exact labels → category (after normalization and alias resolution)
EXACT_ITEMS: dict[str, str] = {}


def _add(category: str, names: str) -> None:
    for name in names.split():
        EXACT_ITEMS[name] = category


_add("total", """
    收支总计 收入总计 支出总计 收入合计 支出合计 本年收入合计 本年支出合计 本年收入 本年支出 年初结转和结余 年末结转和结余
    年初结转结余 年末结转结余 结余分配 本年结余 本年收支结余 年度资金总额 预算收入 预算支出 当年收入 部门整体支出
    实际到位资金 实际拨款支出 一般公共预算财政拨款支出 政府性基金预算财政拨款支出 一般公共预算财政拨款结余
    政府性基金预算财政拨款结余 财政拨款支出 财政拨款结转和结余 年末财政拨款结转和结余 总收入 总支出 收入总额 支出总额
    用事业基金弥补收支差额 结余分配 年末结转 年初结转 项目资金收入总额 基本支出收入总额 资金总额 预算总额
    部门整体支出预算调整 部门整体支出预算
""")
_add("source", """
    财政拨款收入 一般公共预算财政拨款收入 政府性基金预算财政拨款收入 国有资本经营预算财政拨款收入 财政拨款 一般公共预算
    政府性基金预算 国有资本经营预算 上级补助收入 事业收入 经营收入 附属单位上缴收入 其他收入 上年结转 其他资金
    财政资金 财政资金支出 其他资金支出 使用非财政拨款结余 上年度财政指标结转 调整增拨一般财政拨款 单位资金 自有资金
    非财政拨款收入 非财政拨款 财政专户管理资金收入 财政专户管理资金 事业单位经营收入 上年结转结余
""")
_add("nature", """
    基本支出 项目支出 人员经费 公用经费 日常公用经费 经营支出 上缴上级支出 对附属单位补助支出 人员支出 公用支出
    人员经费支出 公用经费支出 业务工作专项 运行维护专项 其他支出
""")
_add("economic", """
    工资福利支出 基本工资 津贴补贴 奖金 伙食补助费 绩效工资 机关事业单位基本养老保险缴费 机关事业单位基本养老保险费
    职业年金缴费 职工基本医疗保险缴费 公务员医疗补助缴费 其他社会保障缴费 其他社会保障费 住房公积金 医疗费
    其他工资福利支出 商品和服务支出 商品服务支出 办公费 印刷费 咨询费 手续费 水费 电费 邮电费 取暖费 物业管理费
    差旅费 维修（护）费 维修费 租赁费 会议费 培训费 专用材料费 被装购置费 专用燃料费 劳务费 委托业务费 工会经费
    福利费 其他交通费用 税金及附加费用 其他商品和服务支出 对个人和家庭的补助 对个人和家庭补助 对个人和家庭补助支出
    离休费 退休费 退职（役）费 抚恤金 生活补助 救济费 医疗费补助 助学金 奖励金 个人农业生产补贴
    其他对个人和家庭的补助 其他对个人和家庭补助 其他个人和家庭补助 资本性支出 房屋建筑物购建 办公设备购置
    专用设备购置 基础设施建设 大型修缮 信息网络及软件购置更新 物资储备 其他资本性支出 对企业补助 债务利息及费用支出
    办公经费 会议费、培训费 水费、电费、差旅费 对社会保障基金补助
""")
_add("three_public", """
    三公经费 因公出国（境）费 公务接待费 公务用车购置及运行维护费 公务用车购置费 公务用车运行维护费 国内公务接待费
    外事接待费
""")
_add("operating", "机关运行经费")
_add("procurement", """
    政府采购支出 政府采购支出总额 政府采购金额 政府采购货物支出 政府采购工程支出 政府采购服务支出 授予中小企业合同金额
    授予小微企业合同金额 政府采购合同金额 政府采购预算 政府采购
""")
_add("asset", """
    资产总计 资产总额 固定资产 固定资产原值 固定资产净值 固定资产累计折旧 流动资产 非流动资产 无形资产 在建工程
    资产购置支出 新增固定资产原值 处置固定资产原值 车辆 通用设备 专用设备 家具用具装具
""")

# the 类 (first level) of the 支出功能分类 — national list
FUNCTION_CLASSES = """
    一般公共服务支出 外交支出 国防支出 公共安全支出 教育支出 科学技术支出 文化旅游体育与传媒支出 文化体育与传媒支出
    社会保障和就业支出 社会保险基金支出 卫生健康支出 医疗卫生与计划生育支出 节能环保支出 城乡社区支出 农林水支出
    交通运输支出 资源勘探工业信息等支出 商业服务业等支出 金融支出 援助其他地区支出 自然资源海洋气象等支出
    住房保障支出 粮油物资储备支出 国有资本经营预算支出 灾害防治及应急管理支出 预备费 债务付息支出 债务发行费用支出
    抗疫特别国债安排的支出 其他支出
""".split()

# common 款 and 项 (second / third level) of the 支出功能分类; open-ended, see ``classify_item`` for the rules
FUNCTION_NAMES = set(FUNCTION_CLASSES) | set("""
    行政运行 一般行政管理事务 机关服务 事业运行 医疗保障管理事务 医疗保障政策管理 医疗保障经办 信息化建设
    其他医疗保障管理事务支出 医疗救助 城乡医疗救助 疾病应急救助 其他医疗救助支出 优抚对象医疗 优抚对象医疗补助
    行政事业单位医疗 行政单位医疗 事业单位医疗 公务员医疗补助 其他行政事业单位医疗支出 行政事业单位养老支出
    机关事业单位基本养老保险缴费支出 机关事业单位职业年金缴费支出 对机关事业单位基本养老保险基金的补助
    其他行政事业单位养老支出 住房改革支出 提租补贴 购房补贴 人力资源和社会保障管理事务
    其他人力资源和社会保障管理事务支出 退役安置 其他退役安置支出 抚恤 死亡抚恤 伤残抚恤 民政管理事务 社会福利
    最低生活保障 临时救助 特困人员救助供养 就业补助 财政对基本医疗保险基金的补助 财政对城乡居民基本医疗保险基金的补助
    彩票公益金安排的支出 用于城乡医疗救助的彩票公益金支出 用于社会福利的彩票公益金支出 卫生健康管理事务 公立医院
    基层医疗卫生机构 公共卫生 基本公共卫生服务 重大公共卫生服务 计划生育事务 中医药 其他卫生健康支出
    其他社会保障和就业支出 其他一般公共服务支出 其他住房保障支出 政府办公厅（室）及相关机构事务
""".split())

_FUNCTION_SUFFIX = re.compile(r"[（(](类|款|项)[）)]")
_FUNCTION_CODE = re.compile(r"^\d{3,7}")
# keywords → category for labels not in the exact list (checked in order; the first hit wins)
CATEGORY_KEYWORDS: list[tuple[str, tuple[str, ...]]] = [
    ("three_public", ("三公", "因公出国", "公务接待", "公务用车", "公车购置", "公车运行")),
    ("operating", ("机关运行",)),
    ("procurement", ("政府采购", "中小企业合同", "小微企业合同")),
    ("asset", ("资产", "固定资产", "折旧")),
    ("total", ("总计", "合计", "结转和结余", "结转结余", "资金总额")),
    ("source", ("财政拨款收入", "补助收入", "事业收入", "经营收入", "其他收入", "上年结转")),
    ("nature", ("基本支出", "项目支出", "人员经费", "公用经费")),
    ("economic", ("工资福利", "商品和服务", "对个人和家庭", "资本性支出", "社会保障缴费", "养老保险", "医疗保险")),
]


def normalize_label(label: str) -> str:
    """A label with layout noise removed: spaces, numbering, quotes, trailing punctuation, （类）/（款）/（项） kept.

    Parameters
    ----------
    label:
        A table cell or a phrase of running text naming an amount.
    """
    t = _SPACES.sub("", label or "")
    t = _QUOTES.sub("", t)
    t = _LEAD_NOISE.sub("", t)
    t = _TRAIL_NOISE.sub("", t)
    t = t.replace("(", "（").replace(")", "）")
    if t.startswith("其中"):
        t = t[2:].lstrip("：:")
    return ALIASES.get(t, ALIASES.get(t.replace("（", "(").replace("）", ")"), t))


def split_function_label(label: str) -> list[str] | None:
    """The levels of a function-class label written with markers: '卫生健康（类）医疗救助（款）城乡医疗救助（项）'.

    Returns the level names without their markers (and without a leading 科目 code), or None when the label
    carries no （类）/（款）/（项） marker.

    Parameters
    ----------
    label:
        The label as written (spaces are ignored).
    """
    t = _SPACES.sub("", label or "")
    if not _FUNCTION_SUFFIX.search(t):
        return None
    parts = [p for p in _FUNCTION_SUFFIX.split(t)]
    names = [normalize_label(_FUNCTION_CODE.sub("", p)) for p in parts[0::2]]
    names = [n for n in names if n]
    return names or None


def function_path(parts: list[str]) -> str:
    """The '类/款/项' path of a function-class line: names joined by '/', a bare 类 name gets its 支出 suffix.

    Parameters
    ----------
    parts:
        The names of the levels present, top first (1 to 3 of them).
    """
    out = []
    for i, p in enumerate(parts):
        p = normalize_label(p)
        if i == 0 and not p.endswith("支出") and p + "支出" in FUNCTION_NAMES:
            p += "支出"
        out.append(p)
    return "/".join(out)


def classify_item(label: str, hint: str | None = None) -> tuple[str, str] | None:
    """The normalized item name and its category for a label, or None when the label is no known money item.

    Parameters
    ----------
    label:
        The label as written (a table cell, a phrase of running text).
    hint:
        A category the caller knows from context (the table or section); it decides ambiguous labels such as
        住房公积金 (economic or function) and 其他支出 (nature or function).
    """
    levels = split_function_label(label)
    if levels:
        return function_path(levels), "function"
    item = normalize_label(_FUNCTION_CODE.sub("", _SPACES.sub("", label or "")))
    if not item:
        return None
    if hint and (hint != "function" or item in FUNCTION_NAMES or item.endswith("支出")):
        return item, hint
    if item in EXACT_ITEMS:
        return item, EXACT_ITEMS[item]
    if item in FUNCTION_NAMES:
        return item, "function"
    for category, words in CATEGORY_KEYWORDS:
        if any(w in item for w in words):
            return item, category
    return None


# -------------------------------------------------------------------------------------- scope, measure

# longest phrase first: the most specific scope wins
_SCOPE_WORDS: list[tuple[str, str]] = [
    ("一般财政拨款", "general_public"),
    ("政府性基金预算财政拨款", "gov_fund"),
    ("政府性基金预算", "gov_fund"),
    ("政府性基金", "gov_fund"),
    ("一般公共预算财政拨款", "general_public"),
    ("一般公共预算", "general_public"),
    ("财政拨款", "fiscal"),
]


def scope_of(text: str) -> str:
    """Whose money a heading or phrase speaks of: gov_fund, general_public, fiscal, or all.

    Parameters
    ----------
    text:
        A table title, section heading or the words before an amount.
    """
    t = _SPACES.sub("", text or "")
    for word, scope in _SCOPE_WORDS:
        if word in t:
            return scope
    return "all"


_MEASURE_WORDS: list[tuple[str, str]] = [
    ("年初预算", "budget_initial"),
    ("年初部门预算", "budget_initial"),
    ("年初批复", "budget_initial"),
    ("部门预算数", "budget_initial"),
    ("调整后预算", "budget_final"),
    ("调整预算", "budget_final"),
    ("全年预算", "budget_final"),
    ("预算调整", "budget_final"),
    ("年中调整", "budget_final"),
    ("追加预算", "budget_final"),
    ("决算", "actual"),
    ("实际支出", "actual"),
    ("执行数", "actual"),
    ("实际执行", "actual"),
    ("实际完成", "actual"),
    ("支出数", "actual"),
]


_NOT_MEASURE = re.compile(r"一般公共预算|政府性基金预算|国有资本经营预算|社会保险基金预算|部门预算收支|预算单位")


def measure_of(text: str, fallback: bool = True) -> str | None:
    """Which measure a column header or phrase names: budget_initial, budget_final, actual, or None.

    The phrase nearest the end of ``text`` wins, so ``决算数较年初预算数`` … is decided by what comes last only
    when the caller passes the words right before the number.

    Parameters
    ----------
    text:
        A column header (年初预算数, 全年预算数, 全年执行数, 决算数 …) or the words before an amount.
    fallback:
        Whether a bare 预算 (not part of 一般公共预算 …) means the initial budget.
    """
    t = _NOT_MEASURE.sub("", _SPACES.sub("", text or ""))
    best, where = None, -1
    for word, measure in _MEASURE_WORDS:
        k = t.rfind(word)
        if k > where:
            best, where = measure, k
    if best is None and fallback and "预算" in t:
        best = "budget_initial"
    return best
