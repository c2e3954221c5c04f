"""The demo speaks one language at a time: no text of the other language outside names and data.

Issue 12: "A test runs the demo in each locale and fails on text of the other language outside
names and data (community names, people, addresses)." Names and data are printed as they were
given in every locale, so each is allowed below, by its exact text or a narrow pattern, with the
reason it is data. Everything else the demo prints in en_US must hold no Chinese character or
CJK punctuation, and in zh_CN no English word: only codes and ids (P1, R-01, owner-17, …), the
community's code and currency codes.

A leak is reported line by line, so that the package the text comes from can be told at once.
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from propcrm.demo import run_demo

LOCALES = ("zh_CN", "en_US")

# -- en_US: names and data that stay Chinese ---------------------------------------------------

NAMES_AND_DATA = (
    # The community, as it named itself, and the organisations of its party book.
    "阳光花园",
    "阳光置业有限公司",
    "阳光茶馆",
    # People, masked as the party book prints them (张三丰 as 张*丰, …), and the billed parties
    # of the sold flat's two notices.
    "张*丰",
    "李*",
    "王*",
    "赵*",
    "钱*",
    "孙*",
    "周*",
    "张**",
    # Staff, by the names they act under (the complaint's actors, the SLA events' actors).
    "KF-01 小王",
    "GJ-03 李管家",
    "ZG-01 陈主管",
    "值班主管",
    # Fee items and units the community named itself in its tariff and price list.
    "物业管理费",
    "车位管理费",
    "水费",
    "特约服务",
    "空调清洗",
    "台",
    # A special-service line's name as billing stored it when the notice was issued: the charge's
    # name and the price list's item, joined.
    "特约服务：空调清洗",
    # A holiday's name as the holiday provider (the holidays package) gives it.
    "国庆节",
    # What residents said and what staff noted, quoted as they wrote it.
    "厨房燃气味道很重",
    "5号楼前草坪该修剪了",
    "垃圾房有蟑螂",
    "3号楼电梯异响",
    "电梯内有老人被困",
    "家里停水了",
    "楼上1-2-0401晚上十点还在装修电钻，影响休息",
    "已受理，明早处理",
    "上门约谈0401装修负责人",
    "装修户不配合",
    "装修户承诺晚八点后停工",
    "昨晚九点仍在施工",
    "装修户签署施工时间承诺书，暂扣押金",
    "昨晚已安静",
    # The desk's intake as the resident said it, the fix as staff wrote it in the solution base,
    # and the words the search matched on, cut from the resident's text (character pairs: the
    # demo searches without jieba-rs so that it reads the same with or without it).
    "厨房水池下面的水管在漏水",
    "关总阀，更换角阀和密封圈",
    "厨房",
    "房水",
    "水管",
    "漏水",
)

DATA_PATTERNS = (
    # An amount in Chinese uppercase (大写金额) is what a receipt must carry: Chinese by design.
    re.compile(r"人民币[零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整]+"),
    # A unit's address as the party book holds it: SUNRISE 1栋2单元0301室, SUNRISE S栋0101室.
    re.compile(r"\b[A-Z]+ [0-9A-Z]+栋(?:\d+单元)?\d+室"),
)

# CJK punctuation and symbols, kana, ideographs, compatibility ideographs, full-width forms.
# ㎡ (U+33A1) is a unit symbol, not Chinese text: the CJK compatibility block is not included.
CJK = re.compile(
    r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]+"
)

# -- zh_CN: codes, ids and abbreviations that stay Latin --------------------------------

LATIN_ALLOWED = frozenset(
    {
        "SUNRISE",  # the community's code (in notice numbers and addresses)
        "ORG",  # party ids ORG-DEV, ORG-TEA
        "DEV",
        "TEA",
        "RFM",  # recency, frequency, monetary: written RFM in Chinese too
        "SLA",  # the service-level term, as written in Chinese (时限（SLA）)
        "LPR",  # 贷款市场报价利率, written LPR in Chinese
        "default",  # the name of the shipped classification rule set
        "system",  # the id of the actor of automatic steps (propcrm.complaints.SYSTEM)
    }
)
# Any run of letters, digits and joiners that holds a digit is a code or an id: P1, R-01,
# owner-17, BANK-20261130-03, SUNRISE/2026-11/1-2-0301, 2026.1 …
ID = re.compile(r"[A-Za-z0-9_\-/.]*\d[A-Za-z0-9_\-/.]*")
# A rule's name, quoted: “gas-smell”, 'elderly-alone-at-home' (lower-case codes of a rule set).
QUOTED_CODE = re.compile(r"[“'\"][a-z][a-z0-9]*(?:-[a-z0-9]+)+[”'\"]|“[a-z]+”")
WORD = re.compile(r"[A-Za-z]+")
# Names the library's built-in calendars were given: data, printed as given in every locale.
LATIN_NAMES = ("CN service hours",)


@cache
def demo(locale: str) -> str:
    """The whole demo in ``locale`` (built once per locale for every test of this module)."""
    return run_demo(locale)


def chinese_outside_data(text: str) -> list[str]:
    """Each line of ``text`` with Chinese left once names and data are taken out, and what."""
    leaks = []
    for line in text.splitlines():
        rest = line
        for pattern in DATA_PATTERNS:
            rest = pattern.sub(" ", rest)
        for name in sorted(NAMES_AND_DATA, key=len, reverse=True):
            rest = rest.replace(name, " ")
        found = CJK.findall(rest)
        if found:
            leaks.append(f"{found} in: {line.strip()}")
    return leaks


def english_outside_codes(text: str) -> list[str]:
    """Each line of ``text`` with English words once addresses, codes and ids are taken out."""
    leaks = []
    for line in text.splitlines():
        rest = line
        for pattern in DATA_PATTERNS:  # an address holds its building's code: S栋0101室
            rest = pattern.sub(" ", rest)
        rest = QUOTED_CODE.sub(" ", rest)
        for name in LATIN_NAMES:
            rest = rest.replace(name, " ")
        rest = ID.sub(" ", rest)
        found = [word for word in WORD.findall(rest) if word not in LATIN_ALLOWED]
        if found:
            leaks.append(f"{found} in: {line.strip()}")
    return leaks


def test_the_en_us_demo_has_no_chinese_outside_names_and_data() -> None:
    leaks = chinese_outside_data(demo("en_US"))
    assert not leaks, f"{len(leaks)} en_US lines with Chinese text:\n" + "\n".join(leaks)


def test_the_zh_cn_demo_has_no_english_outside_codes_and_ids() -> None:
    leaks = english_outside_codes(demo("zh_CN"))
    assert not leaks, f"{len(leaks)} zh_CN lines with English text:\n" + "\n".join(leaks)


# -- the checks themselves -----------------------------------------------------------------------


@pytest.mark.parametrize("name", NAMES_AND_DATA)
def test_every_allowed_name_is_printed_by_the_demo(name: str) -> None:
    # An allowance the demo no longer needs would hide a leak of the same text elsewhere.
    assert name in demo("en_US")


@pytest.mark.parametrize("pattern", DATA_PATTERNS, ids=lambda p: p.pattern)
def test_every_allowed_pattern_matches_the_demo(pattern: re.Pattern[str]) -> None:
    assert pattern.search(demo("en_US"))


@pytest.mark.parametrize("code", sorted(LATIN_ALLOWED))
def test_every_allowed_code_is_printed_by_the_zh_cn_demo(code: str) -> None:
    assert re.search(rf"(?<![A-Za-z]){code}(?![A-Za-z])", demo("zh_CN"))


@pytest.mark.parametrize(
    ("line", "leaks"),
    [
        ("Unit 1-2-0301 (住宅)", True),
        ("Total CN¥466.48    In words 人民币肆佰陆拾陆元肆角捌分", False),
        ("Community 阳光花园    Unit 1-2-0301（residential）", True),  # full-width brackets
        ("  物业管理费   89.37 ㎡   CN¥2.80", False),
        ("  车位管理费   1 个", True),
        ("  unit 1-2-0301  SUNRISE 1栋2单元0301室", False),
        ("    ✓ 按时缴费户 reliable payer", True),
    ],
)
def test_the_en_us_check_tells_data_from_leaks(line: str, leaks: bool) -> None:
    assert bool(chinese_outside_data(line)) is leaks


@pytest.mark.parametrize(
    ("line", "leaks"),
    [
        ("1-2-0301 (owner-17): reminder #1 due by sms/wechat", True),
        ("状态 open", True),
        ("R-01 2025-09-30 23:55 燃气泄漏「厨房燃气味道很重」", False),
        ("P1 特急：规则集 default 第 2026.1 版，规则“gas-smell”", False),
        ("P1 特急 (extra-urgent)", True),
        ("BANK-20261215-11: tenant-51 代业主缴纳 ¥400.00", False),
        ("诉讼风险 1-2-0301：按 LPR+30% 计为 ¥2.24", False),
        ("arrears ≤ CNY 0.00", True),
    ],
)
def test_the_zh_cn_check_tells_codes_from_leaks(line: str, leaks: bool) -> None:
    assert bool(english_outside_codes(line)) is leaks
