"""Door-level addresses: a road and door number, a building, unit and room, a village group and door."""

from __future__ import annotations

import re

from fazhi.privacy.finding import Finding, quote_finding
from fazhi.privacy.normalise import Normalised, is_cjk

__all__ = ["find_addresses"]

# What may follow a door number and still be part of the same address.
_DOOR_TAIL = r"(?:[楼院])?(?: ?[0-9]+ ?(?:号楼|栋|幢|座|单元|层|楼|室|号|户))*"
# After 号: not a document, a line, an order, a window …
_NOT_DOCUMENT = r"(?!文|令|线|公告|通知|窗口|判决|裁定|决定|意见|规定|批复|解释|案)"
# After the 号 of a place word that is also common prose (里, 屯, 组, 社区): not a day of the
# month (“这里5号开庭”, “社区12号开展活动”).
_NOT_DAY = r"(?!前|后|之前|以前|起|至|到|晚|早|上午|下午|中午|当天|开庭|开始|开展|举行|召开|凌晨|那天)"
_NUM_CN = r"(?:[0-9]+(?:[-之][0-9]+)?|[一二三四五六七八九十百零〇]+)"
# A room number with no 室/号/户 after it (3栋502): three or four digits not followed by
# another digit or by a Chinese word other than a few that can follow an address.
_BARE_ROOM = r"[0-9]{3,4}(?![0-9])(?![\u4e00-\u9fff])"
_ROOM = r"(?:[0-9]+ ?(?:室|户|号|房)" + _NOT_DOCUMENT + "|" + _BARE_ROOM + ")"

_ADDRESS_RES: tuple[re.Pattern[str], ...] = (
    # …路12号, …街道8号, …巷3号, …弄5号, …胡同7号 (and whatever door detail follows)
    re.compile(r"(?:路|街|道|巷|弄|胡同) ?" + _NUM_CN + r" ?号" + _NOT_DOCUMENT + _DOOR_TAIL),
    # 3栋2单元501室, 5号楼1201室, 2幢301户, 3栋502, 12号楼502, 5号楼1单元301
    re.compile(
        r"(?<![0-9第])[0-9]+ ?(?:号楼|栋|幢|座) ?(?:[0-9]+ ?单元 ?)?(?:[0-9]+ ?[层楼] ?)?" + _ROOM
    ),
    # 2单元501室, 2单元501
    re.compile(
        r"(?<![0-9第])[0-9]+ ?单元 ?(?:[0-9]+ ?(?:室|户|号)" + _NOT_DOCUMENT
        + r"|[0-9]{3,4}(?![0-9]|[课页题章节]))"
    ),
    # …小区12号, …花园8号
    re.compile(
        r"(?:小区|花园|公寓|大厦|家园|新村|山庄|苑) ?[0-9]+ ?号(?![楼院])"
        + _NOT_DOCUMENT + _DOOR_TAIL
    ),
    # …社区12号, …胜利里5号, …屯5号: the place words that are also common prose
    re.compile(
        r"(?:社区|(?<![这那哪家心手夜公千万英海里村县市城屋乡镇院厂所局庭组队店区])里|屯) ?[0-9]+ ?号(?![楼院])"
        + _NOT_DOCUMENT + _NOT_DAY + _DOOR_TAIL
    ),
    # …村3组12号, …村五组12号, …村民组12号, …村12号, …嘎查18号
    re.compile(
        r"(?:村|嘎查)(?:(?:[0-9]+|[一二三四五六七八九十]+|[\u4e00-\u9fff]{1,3}?) ?组)? ?[0-9]+ ?号"
        + _NOT_DOCUMENT + _DOOR_TAIL
    ),
    # 3组12号, 五组12号 (a numbered villagers' group, the village named earlier or not at all)
    re.compile(
        r"(?<![0-9第])(?:[0-9]+|[一二三四五六七八九十]+) ?组 ?[0-9]+ ?号"
        + _NOT_DOCUMENT + _NOT_DAY + _DOOR_TAIL
    ),
)

# A word each pattern above cannot match without, in the same order.
_ADDRESS_NEEDS: tuple[tuple[str, ...], ...] = (
    ("号",), ("栋", "幢", "座", "号楼"), ("单元",), ("号",), ("号",), ("号",), ("号",),
)

# Characters that end the place name we prepend to an address match.
_ADDRESS_STOP = frozenset("在于住至到从往向的是为与和及或、，。；：:（）()“”\"' 　\n\t位址即系")
# The county, city or province before the street is not part of the match …
_ADDRESS_REGION = frozenset("省市县区旗盟州")
# … but these are part of an estate's name.
_ESTATE_WORDS = frozenset(["小区", "社区", "园区", "街区", "片区", "校区", "城区"])
_ADDRESS_BACK = 8

def _address_start(norm: str, start: int) -> int:
    """Extend an address match to the left over the place name (中山路, 幸福小区 …)."""
    s = start
    while s > 0 and start - s < _ADDRESS_BACK:
        ch = norm[s - 1]
        if not (is_cjk(ch) or ch.isdigit()) or ch in _ADDRESS_STOP:
            break
        if ch in _ADDRESS_REGION and norm[s - 2:s] not in _ESTATE_WORDS:
            break
        s -= 1
    return s


def find_addresses(text: str, norm: Normalised) -> list[Finding]:
    """Addresses down to the door, building or room; not those whose place is anonymised (某村12号)."""
    spans: list[tuple[int, int]] = []
    for pattern, marks in zip(_ADDRESS_RES, _ADDRESS_NEEDS, strict=True):
        if not any(mark in norm for mark in marks):
            continue  # each pattern needs one of these words: a cheap test before a slow search
        for m in pattern.finditer(norm):
            spans.append((_address_start(norm, m.start()), m.end()))
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [
        quote_finding("privacy.address", text, norm, s, e)
        for s, e in merged
        if "某" not in norm[s:e]  # 某村12号, 某小区3栋: the place is already anonymized
    ]
