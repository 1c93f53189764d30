"""Made-up but realistic Chinese names, phone numbers and credit codes for the demo park.

Everything is drawn from one `random.Random`, so a seed gives the same names in the same order.
Brands are two characters from a pool of the syllables Hunan firms favour; a short list of the
region's well-known brands is kept out so that no demo firm passes for a real one.
"""

from __future__ import annotations

import random

from lianqi.enterprises import creditcode

#: Common surnames of Hunan, most frequent first; the first ones are weighted up.
SURNAMES: tuple[str, ...] = (
    *"刘李王陈张彭周谭罗唐胡邓肖曾黄杨赵吴龙易贺蒋毛袁文朱何郭许田邹戴姚谢廖颜石汤向丁江尹雷卢梁宋范段钟符汪康左皮阳",
    "欧阳",
)
_SURNAME_WEIGHTS = [12, 11, 10, 10, 9, 8, 7, 7, 7, 7, 6, 5, 5, 5, 5, 5, 4, 4, 4, 4, 4]
_SURNAME_WEIGHTS += [2] * (len(SURNAMES) - len(_SURNAME_WEIGHTS))

MALE_GIVEN = (
    "伟军勇杰涛明超华平辉刚强斌波鹏飞宇浩然晨阳俊峰磊鑫亮智文武建国志新立宏海林松柏云健康宁安德胜利永"
)
FEMALE_GIVEN = "红霞丽娟芳敏静燕艳玲婷颖琳雪梅兰英慧洁琴倩佳欣怡蓉湘韵霖晨文萍莉丹娜秀珍"

BRAND_CHARS = (
    "华瑞博凯恒鑫宏达远创盛泰隆兴源丰宇航聚力新科峰锐拓晟嘉铭瀚昊睿德信诚安捷驰越卓"
    "海天益利通弘裕昌腾旭启明湘潭楚韶莲芙雁岳"
)
#: Brands of well-known firms of Xiangtan and Hunan: never generated.
RESERVED_BRANDS = frozenset(
    {"华菱", "湘电", "吉利", "三一", "中联", "远大", "楚天", "泰嘉", "中韶", "中通", "湘钢", "江麓", "江南",
     "华曙", "力合", "海天", "利欧", "宏达", "联东", "丰树", "湘潭", "韶山", "湘江", "楚湘"}
)  # fmt: skip

COMPANY_PREFIXES = (("湖南", 5), ("湘潭", 4), ("湖南省", 1))
COMPANY_SUFFIXES = (("有限公司", 14), ("股份有限公司", 3), ("有限责任公司", 1))

MOBILE_PREFIXES = [
    "130",
    "131",
    "132",
    "133",
    "135",
    "136",
    "137",
    "138",
    "139",
    "150",
    "151",
    "152",
    "153",
    "155",
    "156",
    "157",
    "158",
    "159",
    "173",
    "175",
    "176",
    "177",
    "180",
    "181",
    "182",
    "183",
    "185",
    "186",
    "187",
    "188",
    "189",
    "191",
    "198",
    "199",
]

ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
ORG_CODE_BODY = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def weighted(rng: random.Random, pairs: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([p[0] for p in pairs], weights=[p[1] for p in pairs])[0]


def surname(rng: random.Random) -> str:
    return rng.choices(SURNAMES, weights=_SURNAME_WEIGHTS)[0]


def person_name(rng: random.Random) -> str:
    pool = MALE_GIVEN if rng.random() < 0.6 else FEMALE_GIVEN
    given_length = 1 if rng.random() < 0.3 else 2
    return surname(rng) + "".join(rng.choice(pool) for _ in range(given_length))


def brand(rng: random.Random) -> str:
    while True:
        word = rng.choice(BRAND_CHARS) + rng.choice(BRAND_CHARS)
        if word[0] != word[1] and word not in RESERVED_BRANDS:
            return word


def company_name(rng: random.Random, industry_word: str, *, listed: bool = False) -> str:
    """湖南瑞博新材料有限公司: place, brand, industry word, form of company."""
    prefix = weighted(rng, COMPANY_PREFIXES)
    suffix = "股份有限公司" if listed else weighted(rng, COMPANY_SUFFIXES)
    middle = "科技" if rng.random() < 0.25 and not industry_word.endswith(("科技", "技术")) else ""
    return f"{prefix}{brand(rng)}{industry_word}{middle}{suffix}"


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def _org_code(rng: random.Random, *, new_style: bool) -> str:
    """The 9-character organisation code inside a credit code, with its GB 11714 check
    character. Entities registered since the 2015 reform carry an "MA" code."""
    if new_style:
        body = "MA4" + "".join(rng.choice(ORG_CODE_BODY) for _ in range(5))
    else:
        body = "".join(rng.choice("0123456789") for _ in range(8))
    total = sum(_org_value(ch) * w for ch, w in zip(body, ORG_CODE_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def _org_value(ch: str) -> int:
    return int(ch) if ch.isdigit() else ord(ch) - ord("A") + 10


def credit_code(rng: random.Random, *, division: str, individual: bool, new_style: bool) -> str:
    """A valid unified social credit code: 91 for a company, 92 for the self-employed, the
    division of the registering office, an organisation code, and the GB 32100 check character."""
    kind = "92" if individual else "91"
    return creditcode.complete(kind + division + _org_code(rng, new_style=new_style))
