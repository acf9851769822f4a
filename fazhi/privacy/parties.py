"""The strict grammar of a case's `parties` entries: anonymised people, organisations, descriptions."""

from __future__ import annotations

import re
from collections.abc import Collection

from fazhi.names import COMPOUND_SURNAMES
from fazhi.privacy.finding import Finding
from fazhi.privacy.normalise import is_cjk, normalise, read_words
from fazhi.privacy.roles import ORG_SUFFIX_RE, PLACE_SUFFIX

__all__ = ["check_party_name", "place_names"]

_CJK = "\u4e00-\u9fff"
_COUNT = r"(?:[0-9]+|[一二两三四五六七八九十百千万几数]+)"
_COUNTED = _COUNT + r"(?:余|多)?(?:名|位|个|户|家|人)"
# Who a description or a group may consist of.
_GROUP_WORDS = read_words(
    "农民工 工人 建筑工人 务工人员 劳动者 工友 村民 居民 业主 员工 职工 群众 消费者 购房者 投资人"
    " 债权人 债务人 未成年人 家属 学生 老人 儿童 妇女 残疾人 退役军人 农户 养殖户 种植户 商户 租户"
    " 企业 小微企业 当事人 申请人 被申请人 申请执行人 被执行人 原告 被告 第三人 案外人"
)
_GROUP = "(?:" + "|".join(sorted(_GROUP_WORDS, key=len, reverse=True)) + ")"
_ORG_WORDS = read_words(
    "有限责任公司 股份有限公司 有限公司 分公司 公司 集团 村镇银行 银行 信用社 合作社 商行 商店 商贸"
    " 超市 酒店 饭店 宾馆 餐馆 加工厂 工厂 厂 店 工地 项目部 医院 诊所 学校 幼儿园 企业 单位"
    " 工作室 事务所 经营部 门市部 养殖场 农场 工程队 施工队 劳务队 物业 协会 村委会 居委会"
)
_ORG = "(?:" + "|".join(sorted(_ORG_WORDS, key=len, reverse=True)) + ")"
_PLACE_ENDING = re.compile(rf"[{_CJK}]{{1,6}}?(?:自治区|自治州|自治县|[省市县区镇乡村旗盟州])")
# Provinces by their short names, which commonly stand before 某公司 without a suffix.
_PROVINCES = read_words(
    "北京 天津 河北 山西 内蒙古 辽宁 吉林 黑龙江 上海 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南"
    " 广东 广西 海南 重庆 四川 贵州 云南 西藏 陕西 甘肃 青海 宁夏 新疆"
)
_PARTY_SPLIT_RE = re.compile(r"[、，,；;]")


def _party_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    # Surname + 某/某某 (+ 甲/乙 to tell two apart), perhaps heading a group (等8人). The
    # surname is any one character (丽某: the common list lacks it) or a compound surname.
    compound = "|".join(sorted(COMPOUND_SURNAMES, key=len, reverse=True))
    people = re.compile(
        rf"(?:{compound}|(?!某)[{_CJK}])某某?[甲乙丙丁]?(?:等(?:{_COUNTED}{_GROUP}?|人)?)?")
    # (place)某(industry)公司, 甲公司, 乙建筑公司
    org = re.compile(rf"(?P<place>[{_CJK}]*?)某(?P<middle>[{_CJK}]{{0,6}}?){_ORG}"
                     rf"|[甲乙丙丁戊][{_CJK}]{{0,6}}?{_ORG}")
    description = re.compile(
        rf"(?:其他|其余|另外|另|全体|部分)?(?:{_COUNTED}{_GROUP}?|{_GROUP})")
    return people, org, description


_PEOPLE_RE, _ORG_ENTRY_RE, _DESCRIPTION_RE = _party_patterns()


def place_names(regions: Collection[str]) -> frozenset[str]:
    """Place names that may stand before 某公司: each level of `regions` (省/市/县), also
    without its suffix (贵州省/贵阳市/修文县 → 贵州省 贵州 贵阳市 贵阳 修文县 修文)."""
    names: set[str] = set()
    for region in regions:
        for level in region.split("/"):
            level = level.strip()
            if not level:
                continue
            names.add(level)
            for suffix in ("自治区", "自治州", "自治县", "特别行政区", *PLACE_SUFFIX):
                if level.endswith(suffix) and len(level) - len(suffix) >= 2:
                    names.add(level[: -len(suffix)])
    return frozenset(names)


def _is_place(prefix: str, places: Collection[str]) -> bool:
    """True if `prefix` is empty or a sequence of place names (安顺市, 修文, 贵州省贵阳市)."""
    reachable = [True] + [False] * len(prefix)
    for i in range(len(prefix)):
        if not reachable[i]:
            continue
        for j in range(i + 2, min(len(prefix), i + 10) + 1):
            token = prefix[i:j]
            if token in places or token in _PROVINCES or _PLACE_ENDING.fullmatch(token):
                reachable[j] = True
    return reachable[-1]


def _party_part_ok(part: str, places: Collection[str]) -> bool:
    if _PEOPLE_RE.fullmatch(part) or _DESCRIPTION_RE.fullmatch(part):
        return True
    m = _ORG_ENTRY_RE.fullmatch(part)
    return m is not None and _is_place(m.group("place") or "", places)


# The codes for an entry that is not anonymised, by what it looks like, without and with a
# bracketed explanation (张某（张建国）) to delete.
_PARTY_CODES = {
    "org": ("privacy.party_org", "privacy.party_org_bracket"),
    "person": ("privacy.party_person", "privacy.party_person_bracket"),
    "other": ("privacy.party_name", "privacy.party_name_bracket"),
}


def _party_fix(entry: str) -> tuple[str, dict[str, str]]:
    """How to write `entry` anonymised, as a code and its parameters: 张建国 → 张某, a company → 某公司."""
    bracket = 1 if re.search(r"[(（]", entry) else 0
    body = re.split(r"[(（]", entry, maxsplit=1)[0].lstrip("某 ")
    if ORG_SUFFIX_RE.search(body) or re.search(_ORG, body):
        return _PARTY_CODES["org"][bracket], {}
    surname = body[:2] if body[:2] in COMPOUND_SURNAMES else body[:1]
    if surname and is_cjk(surname[0]) and surname[0] != "某":
        return _PARTY_CODES["person"][bracket], {"surname": surname}
    return _PARTY_CODES["other"][bracket], {}


def check_party_name(name: str, places: Collection[str] = ()) -> Finding | None:
    """Check one entry of a case's `parties` lists; return a finding if it is not anonymized.

    The entry must be, exactly, a list (joined by 、) of: an anonymized person (张某, 覃某某,
    欧阳某, 张某甲), perhaps heading a group (冉某某等8人, 梁某等20名农民工); an anonymized
    organisation (某公司, 某村镇银行, 某建筑公司, 甲公司, or place + 某 + organisation, as
    修文某公司, where the place is a province or in `places`, see `place_names`, or ends in
    省/市/县/区/镇/乡/村…); or a description that names no one (19名农民工, 300余名农民工,
    农民工, 部分村民). Anything else (张建国, 某张建国, 张某（张建国）,
    某公司（法定代表人张建国）, 贵州鑫源建筑有限公司) is a finding quoting the whole entry
    (code ``privacy.party_*``), whose hint shows the anonymised form to write. Numbers and
    addresses inside an entry are `scan_text`'s business.
    """
    stripped = name.strip()
    if not stripped:
        return None
    norm = normalise(stripped).replace(" ", "")
    wrong = [part for part in _PARTY_SPLIT_RE.split(norm) if part and not _party_part_ok(part, places)]
    if not wrong:
        return None
    start = name.index(stripped)
    code, params = _party_fix(wrong[0])
    return Finding(code, stripped, start, start + len(stripped), params)


