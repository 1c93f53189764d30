"""The fixed facts the demo park is drawn from: its jurisdictions, departments, industries,
roads and tags. The numbers follow seed 001 (近1200家市场主体, 27个部门, 近500名干部).

Names of places and roads are those of Xiangtan; enterprise names are made up from word pools
(see `lianqi.demo.names`) and never taken from real companies.
"""

from __future__ import annotations

from dataclasses import dataclass

from lianqi.enterprises.choices import EnterpriseKind

PROVINCE = ("430000", "湖南省", "湖南")
CITY = ("430300", "湘潭市", "湘潭")


@dataclass(frozen=True)
class ParkSpec:
    """One park of the demo city and how big it is at scale 1.0."""

    code: str
    name: str
    short_name: str
    #: Market entities per kind at scale 1.0.
    kinds: dict[str, int]
    roads: tuple[str, ...]
    #: Where its self-employed register (name prefix, division code of the register).
    individual_places: tuple[tuple[str, str], ...]
    #: Multipliers on the industry weights: what this park is known for.
    profile: dict[str, float]
    #: Staff per tier at scale 1.0 (leaders, middle, staff).
    staff: tuple[int, int, int]
    #: Departments: all 27 for the main park, a compact set for the others.
    departments: tuple[str, ...]
    townships: tuple[tuple[str, str], ...] = ()
    #: The park's own tags: (name, description, odds for each of its firms above or below
    #: designated size). Only this park sees them; a sibling may use the same name for its own.
    tags: tuple[tuple[str, str, float], ...] = ()


K = EnterpriseKind

#: (name, short name, industry prefixes, relative staff size). The order is the display order.
#: Prefixes are GB/T 4754 section letters or 2–4 digit codes; the longest matching one wins.
#: A department claims about as many firms as its staff can serve (2–4 each); the rest go to
#: the general pool, so that every cadre serves a few firms, as seed 001 says (全员下沉).
DEPARTMENTS: tuple[tuple[str, str, str, int], ...] = (
    ("党群工作部", "党群部", "", 15),
    ("纪工委", "纪工委", "", 8),
    ("企业服务中心（营商办）", "营商办", "", 30),
    ("经济发展局", "经发局", "36", 30),
    ("科技创新局", "科创局", "3584,65", 22),
    ("招商合作局", "招商局", "3831,384", 28),
    ("财政局", "财政局", "", 15),
    ("行政审批局", "审批局", "", 18),
    ("规划建设局", "规建局", "", 15),
    ("自然资源和规划分局", "自规分局", "29,30,31", 18),
    ("住房和城乡建设局", "住建局", "E,K", 22),
    ("税务分局", "税务分局", "51", 15),
    ("市场监督管理分局", "市监分局", "525,27", 20),
    ("人力资源和社会保障局", "人社局", "", 12),
    ("应急管理局", "应急局", "26", 12),
    ("生态环境分局", "环境分局", "32", 10),
    ("消防救援大队", "消防大队", "", 12),
    ("公安分局", "公安分局", "", 20),
    ("综合执法局", "执法局", "O", 30),
    ("金融服务中心", "金融中心", "J,L", 8),
    ("统计局", "统计局", "", 6),
    ("社会事务局", "社会事务局", "621", 28),
    ("城市管理局", "城管局", "", 20),
    ("水务局", "水务局", "46", 6),
    ("燃气公司", "燃气公司", "45", 5),
    ("供电公司", "供电公司", "44", 8),
    ("通信发展办公室", "通信办", "63,64", 4),
)
SERVICE_OFFICE = "企业服务中心（营商办）"

#: The smaller parks keep a compact set; industries no department of theirs owns go to the
#: general pool of their staff.
COMPACT_DEPARTMENTS = (
    "党群工作部",
    "企业服务中心（营商办）",
    "经济发展局",
    "科技创新局",
    "招商合作局",
    "财政局",
    "行政审批局",
    "住房和城乡建设局",
    "市场监督管理分局",
    "金融服务中心",
    "社会事务局",
    "综合执法局",
)


@dataclass(frozen=True)
class IndustryLine:
    """A line of business the demo draws enterprises from: its GB/T 4754 class (the division is
    its first two digits), the words that go into a name, what a project of it builds, and its
    weight for above-size firms, below-size firms and projects."""

    code: str
    words: tuple[str, ...]
    product: str
    weights: tuple[float, float, float]


MANUFACTURING: tuple[IndustryLine, ...] = (
    IndustryLine("3612", ("新能源汽车", "汽车科技"), "新能源汽车整车", (3, 0.5, 3)),
    IndustryLine("3670", ("汽车零部件", "汽车部件", "精密机械"), "汽车零部件", (14, 9, 8)),
    IndustryLine("3841", ("新能源", "锂电科技", "电池"), "锂离子动力电池", (6, 3, 6)),
    IndustryLine("3831", ("电缆", "线缆", "电线电缆"), "特种电缆", (10, 7, 3)),
    IndustryLine("3823", ("电气", "电力设备", "智能电气"), "智能配电设备", (6, 5, 3)),
    IndustryLine("3812", ("电机", "电机科技"), "高效节能电机", (5, 3, 2)),
    IndustryLine("3859", ("电器", "智能家居"), "智能家电", (1, 2, 1)),
    IndustryLine("3415", ("风电装备", "风能科技"), "风电装备", (3, 1, 2)),
    IndustryLine("3581", ("医疗科技", "医疗设备"), "医疗诊断设备", (5, 6, 5)),
    IndustryLine("3584", ("医疗器械", "医用器械"), "医疗器械", (6, 8, 6)),
    IndustryLine("3586", ("康复器械", "康复科技"), "康复辅具", (2, 3, 2)),
    IndustryLine("2770", ("医用材料", "卫生材料"), "医用耗材", (3, 3, 2)),
    IndustryLine("2661", ("新材料", "化工科技"), "电子化学品", (3, 3, 2)),
    IndustryLine("2651", ("高分子材料", "新材料"), "改性塑料", (2, 2, 1)),
    IndustryLine("3091", ("碳素", "碳材料"), "石墨负极材料", (3, 2, 2)),
    IndustryLine("3062", ("复合材料",), "复合材料", (2, 2, 1)),
    IndustryLine("3240", ("合金材料", "金属材料"), "高性能合金", (3, 2, 2)),
    IndustryLine("3252", ("铝业", "铝材"), "新能源汽车铝型材", (3, 2, 2)),
    IndustryLine("3441", ("泵业", "流体设备"), "工业泵", (2, 2, 1)),
    IndustryLine("3453", ("传动科技", "齿轮"), "精密减速机", (3, 3, 1)),
    IndustryLine("3491", ("智能装备", "机器人"), "工业机器人", (3, 4, 3)),
    IndustryLine("3514", ("重工", "工程机械"), "工程机械", (3, 2, 2)),
    IndustryLine("3311", ("钢结构", "钢构"), "装配式钢结构", (3, 4, 1)),
    IndustryLine("3982", ("电子", "电路科技"), "高密度电路板", (3, 4, 2)),
    IndustryLine("3983", ("传感科技", "智能传感"), "智能传感器", (2, 3, 1)),
    IndustryLine("6513", ("软件", "信息技术", "数字科技"), "", (0.5, 8, 0)),
    IndustryLine("7320", ("技术研究院", "工程技术"), "", (0.5, 4, 0)),
    IndustryLine("5179", ("机电设备", "商贸"), "", (0.5, 8, 0)),
    IndustryLine("5431", ("物流", "运输"), "", (1, 5, 0)),
    IndustryLine("5920", ("仓储", "供应链"), "", (0.5, 2, 0)),
    IndustryLine("4790", ("建设工程", "建筑工程"), "", (1, 3, 0)),
)


@dataclass(frozen=True)
class TradeLine:
    """A trade of shops (门店) and the self-employed (个体工商户)."""

    code: str
    word: str
    weight: float


SHOP_TRADES: tuple[TradeLine, ...] = (
    TradeLine("5212", "超市", 5),
    TradeLine("5251", "大药房", 4),
    TradeLine("6210", "餐饮管理", 6),
    TradeLine("6220", "快餐", 3),
    TradeLine("5261", "汽车销售服务", 3),
    TradeLine("8111", "汽车服务", 3),
    TradeLine("6121", "酒店管理", 2),
    TradeLine("8040", "美容美发", 2),
    TradeLine("5272", "电器", 2),
    TradeLine("5232", "服饰", 2),
    TradeLine("5213", "便利店", 3),
)

INDIVIDUAL_TRADES: tuple[TradeLine, ...] = (
    TradeLine("5281", "五金店", 4),
    TradeLine("5229", "副食店", 4),
    TradeLine("5213", "便利店", 3),
    TradeLine("6291", "小吃店", 4),
    TradeLine("6210", "餐馆", 4),
    TradeLine("8040", "理发店", 3),
    TradeLine("8111", "汽车修理部", 3),
    TradeLine("5223", "水果店", 2),
    TradeLine("5232", "服装店", 2),
    TradeLine("5289", "建材经营部", 2),
    TradeLine("5274", "手机店", 1),
    TradeLine("5226", "烟酒店", 2),
    TradeLine("5221", "粮油店", 1),
)

#: The national tags (全国通用): titles that mean the same in every park. (name, description).
TAGS: tuple[tuple[str, str], ...] = (
    ("规上工业", "规模以上工业企业（年主营业务收入2000万元及以上）"),
    ("高新技术企业", "经认定的国家高新技术企业"),
    ("科技型中小企业", "入库的科技型中小企业"),
    ("专精特新", "省级专精特新中小企业"),
    ("小巨人", "国家级专精特新“小巨人”企业"),
    ("创新型中小企业", "工信部门认定的创新型中小企业"),
    ("企业技术中心", "省级及以上企业技术中心"),
    ("外贸企业", "有进出口实绩的企业"),
    ("上市企业", "境内外上市公司及其子公司"),
)

#: The city's tags: titles the city awards, seen by each of its parks. (name, description).
CITY_TAGS: tuple[tuple[str, str], ...] = (
    ("瞪羚企业", "湘潭市认定的高成长性科技企业"),
    ("链主企业", "湘潭市产业链链主企业"),
)

MAIN_PARK = ParkSpec(
    code="430371",
    name="湘潭高新技术产业开发区",
    short_name="湘潭高新区",
    kinds={K.ABOVE_SIZE: 200, K.BELOW_SIZE: 450, K.SHOP: 250, K.PROJECT: 60, K.INDIVIDUAL: 240},
    roads=(
        "晓塘路",
        "杉山路",
        "双拥南路",
        "火炬北路",
        "高新路",
        "芙蓉大道",
        "书院路",
        "双马路",
        "板塘路",
        "东风路",
    ),
    individual_places=(("湘潭市岳塘区", "430304"), ("湘潭县", "430321"), ("湘潭市雨湖区", "430302")),
    profile={},
    staff=(10, 60, 430),
    departments=tuple(d[0] for d in DEPARTMENTS),
    townships=(("430371001", "双马街道"), ("430371002", "板塘街道"), ("430371003", "宝塔街道")),
    tags=(
        ("亩均效益A类企业", "高新区亩均效益综合评价A类", 0.15),
        ("智能制造示范企业", "高新区认定的智能制造示范车间、示范企业", 0.08),
    ),
)

OTHER_PARKS: tuple[ParkSpec, ...] = (
    ParkSpec(
        code="430372",
        name="湘潭经济技术开发区",
        short_name="湘潭经开区",
        kinds={K.ABOVE_SIZE: 35, K.BELOW_SIZE: 55, K.SHOP: 25, K.PROJECT: 10, K.INDIVIDUAL: 25},
        roads=("吉利路", "白石西路", "九华大道", "保税路", "石码头路", "金鹏路", "和平路"),
        individual_places=(("湘潭市雨湖区", "430302"), ("湘潭县", "430321")),
        profile={"3612": 3, "3670": 2, "3581": 3, "3584": 3, "3586": 2},
        staff=(3, 10, 30),
        departments=COMPACT_DEPARTMENTS,
        tags=(
            ("亩均效益A类企业", "经开区亩均效益综合评价A类", 0.12),
            ("汽车零部件配套企业", "为经开区整车企业配套的零部件企业", 0.2),
        ),
    ),
    ParkSpec(
        code="430373",
        name="韶山高新技术产业开发区",
        short_name="韶山高新区",
        kinds={K.ABOVE_SIZE: 30, K.BELOW_SIZE: 60, K.SHOP: 25, K.PROJECT: 10, K.INDIVIDUAL: 25},
        roads=("韶山大道", "银田路", "清溪路", "永义路", "如意路"),
        individual_places=(("韶山市", "430382"),),
        profile={"3823": 4, "3859": 6, "3491": 2, "3612": 0, "3415": 0},
        staff=(3, 10, 30),
        departments=COMPACT_DEPARTMENTS,
        tags=(("本地采购奖励企业", "采购本地战略性产业企业产品、享受3%奖励的企业", 0.1),),
    ),
)

#: Leaders of a park's Party working committee and administrative committee.
LEADER_POSITIONS = (
    "党工委书记",
    "管委会主任",
    "党工委副书记",
    "管委会常务副主任",
    "管委会副主任",
    "管委会副主任",
    "党工委委员、纪工委书记",
    "管委会副主任",
    "党工委委员",
    "管委会主任助理",
)
