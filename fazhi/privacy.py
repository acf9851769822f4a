"""Personal-data checks for record text (rule 8 of the record contract, version 2).

Publication follows the spirit of the courts' rules for publishing judgments
online: parties appear only as surname + 某/某某 (or 某公司, 甲公司 …), and no
identity number, phone number, bank card, e-mail address or door-level street
address may be published. This module only *finds* suspicious text; the
caller decides what is an error and applies the `privacy_reviewed` waivers,
which quote `Finding.match`.

Two entry points:

* `scan_text` for any text (titles, summaries, sections, body, keywords, role keys,
  source fields …);
* `check_party_name` for one entry of a case's `parties` lists.

Text is normalised before matching (`normalise`): NFKC, invisible format characters
removed, Unicode spaces as spaces, runs of Chinese numerals read as digits. Findings
still quote and point at the original text.

Detectors are functions ``(text, norm) -> list[Finding]`` in two lists:
`NUMBER_DETECTORS` (numbers, e-mail, addresses: allowed nowhere) and `NAME_DETECTORS`
(personal names: not applied where a name may stand, such as a source's author).

All detection is rule based and deliberately conservative on the side of
privacy: a rare false positive can be waived, a leaked name cannot be recalled.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import date

from fazhi.names import COMPOUND_SURNAMES, OFFICE_TITLES, SURNAMES, find_person_names, find_person_names_many

__all__ = [
    "CODES",
    "NAME_DETECTORS",
    "NUMBER_DETECTORS",
    "OFFICE_TITLES",
    "Detector",
    "Finding",
    "Normalised",
    "check_party_name",
    "id_check_digit",
    "is_resident_id",
    "luhn_ok",
    "normalise",
    "person_name_detector",
    "place_names",
    "prime_names",
    "scan_text",
]

CODES: tuple[str, ...] = (
    "privacy.id_number",
    "privacy.phone",
    "privacy.bank_card",
    "privacy.email",
    "privacy.address",
    "privacy.role_name",
    "privacy.person_name",
    "privacy.party_name",
)


@dataclass(frozen=True)
class Finding:
    """One piece of suspected personal data.

    `code` is a stable id (one of `CODES`); `match` is the offending text
    exactly as it appears, at `start:end` in the scanned (original) text; `message`
    and `hint` are the Chinese texts shown to the user (what was found / how to fix).
    """

    code: str
    match: str
    start: int
    end: int
    message: str
    hint: str


_WAIVER = "如确需保留，在 privacy_reviewed 中说明理由"

# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

# Dashes and dots that people put between digit groups; read as '-' and '.'.
_DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\ufe58\ufe63"
_DOTS = "\u00b7\u2022\u2219\u30fb\uff65\u2027"


# The punctuation the patterns read; other full-width punctuation (，。：；) is left as it is.
_KEPT = frozenset("@.-+()/#%_&")


def _build_tables() -> tuple[dict[int, str], str]:
    """One-to-one replacements (NFKC, spaces, dashes) and the characters needing the slow path.

    Only the blocks where such characters are common are tabulated (Latin-1 to the CJK
    symbols, and the compatibility and full-width forms); any character outside the
    known-simple ranges takes the slow path, which normalises it on the spot.
    """
    one: dict[int, str] = {}
    slow: list[str] = []
    for cp in (*range(0x80, 0x3400), *range(0xF900, 0x10000)):
        ch = chr(cp)
        category = unicodedata.category(ch)
        if category == "Cf":
            slow.append(ch)
        elif category == "Zs":
            one[cp] = " "
        else:
            folded = unicodedata.normalize("NFKC", ch)
            if len(folded) == 1 and folded != ch and (folded.isalnum() or folded in _KEPT):
                one[cp] = folded  # ２ → 2, ＠ → @, （ → (; not ， → , which no pattern needs
            elif len(folded) > 1 and any(c.isalnum() or c == "@" for c in folded):
                slow.append(ch)  # ⑩ → 10, ㈠ → (一): may hide digits
    for ch in _DASHES:
        one[ord(ch)] = "-"
    for ch in _DOTS:
        one[ord(ch)] = "."
    return one, "".join(slow)


_ONE_TO_ONE, _SLOW_CHARS = _build_tables()
_NEEDS_TABLE = re.compile("[" + re.escape("".join(map(chr, _ONE_TO_ONE))) + "]")
_NEEDS_SLOW = re.compile(
    "[" + re.escape(_SLOW_CHARS) + "]|[^\\x00-\\u33ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\uffff]"
)
_NEEDS_WORK = re.compile(_NEEDS_SLOW.pattern + "|" + _NEEDS_TABLE.pattern)
_CN_DIGITS = "〇零幺一二三四五六七八九○"
_CN_TO_ASCII = str.maketrans(_CN_DIGITS, "0011234567890")
# A run of at least 7 digits or Chinese numerals, single separators allowed, holding at
# least one Chinese numeral: 一三八零零一三八零零零, 138零零13八000, 一三八 零零一三 八零零零.
_CN_RUN = re.compile(
    f"(?=[0-9{_CN_DIGITS}](?:[ .\\-]?[0-9{_CN_DIGITS}]){{6}})"
    f"[0-9{_CN_DIGITS}](?:[ .\\-]?[0-9{_CN_DIGITS}])*"
)
_HAS_CN_DIGIT = re.compile(f"[{_CN_DIGITS}]")
# Any character that normalisation changes or a number detector starts from: a text without
# one (most sentences) is read as it is, by the name detectors only. One character class,
# so one fast pass; the last ranges are those outside the known-simple ones of _NEEDS_SLOW.
_TRIGGER = re.compile(
    "[0-9@号室户栋幢单" + _CN_DIGITS + re.escape(_SLOW_CHARS + "".join(map(chr, _ONE_TO_ONE)))
    + "\u4dc0-\u4dff\ua000-\uf8ff\U00010000-\U0010ffff]"
)


class Normalised(str):
    """Text as the detectors read it, remembering where each character came from.

    ``origin[i]`` is the offset in the original text of character ``i``; ``origin`` is
    None when the two have the same length and offsets (the common case).
    """

    origin: list[int] | None
    original: str

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's span for ``self[start:end]`` (``end > start``)."""
        if self.origin is None:
            return start, end
        return self.origin[start], self.origin[end - 1] + 1


def _fold(ch: str) -> str:
    """One character as `normalise` reads it: like the table, and for the rest NFKC where
    that gives a letter, a digit or punctuation the patterns read."""
    mapped = _ONE_TO_ONE.get(ord(ch))
    if mapped is not None:
        return mapped
    folded = unicodedata.normalize("NFKC", ch)
    if folded != ch and any(c.isalnum() or c in _KEPT for c in folded):
        return folded.translate(_ONE_TO_ONE)
    return ch


def _slow_normalise(text: str) -> tuple[str, list[int]]:
    chars: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        category = unicodedata.category(ch)
        if category == "Cf":
            continue
        folded = " " if category == "Zs" else _fold(ch)
        chars.append(folded)
        origin.extend([i] * len(folded))
    return "".join(chars), origin


def normalise(text: str) -> Normalised:
    """Fold `text` for matching: NFKC, no format characters (Cf), Unicode spaces as spaces,
    dashes as '-', middle dots as '.', and Chinese numerals read as digits within a run of
    at least seven digits or numerals. The result maps back to `text` (`Normalised.span`).
    """
    origin: list[int] | None = None
    work = None if text.isascii() else _NEEDS_WORK.search(text)
    if work is None:
        folded = text
    elif _NEEDS_SLOW.search(text, work.start()):
        folded, origin = _slow_normalise(text)
    else:
        folded = text.translate(_ONE_TO_ONE)
    if _CN_RUN.search(folded):
        folded = _CN_RUN.sub(_read_cn_run, folded)
    norm = Normalised(folded)
    norm.origin = origin
    norm.original = text
    return norm


def _unchanged(text: str) -> Normalised:
    norm = Normalised(text)
    norm.origin = None
    norm.original = text
    return norm


def _read_cn_run(m: re.Match[str]) -> str:
    run = m.group()
    return run.translate(_CN_TO_ASCII) if _HAS_CN_DIGIT.search(run) else run


def _is_cjk(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff"


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


Detector = Callable[[str, Normalised], list["Finding"]]


def _finding(code: str, text: str, norm: Normalised, start: int, end: int, message: str,
             hint: str) -> Finding:
    """A finding for ``norm[start:end]``, quoting the original text; `message` may hold {match}."""
    s, e = norm.span(start, end)
    match = text[s:e]
    return Finding(code, match, s, e, message.format(match=match), hint)


# ---------------------------------------------------------------------------
# Resident identity numbers
# ---------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"

_ID18_RE = re.compile(
    r"(?<![0-9])(?:[0-9]{17}[0-9Xx]|[0-9]{6} [0-9]{8} [0-9]{3}[0-9Xx])(?![0-9A-Za-z])"
)
_ID15_RE = re.compile(r"(?<![0-9])[0-9]{15}(?![0-9])")


def id_check_digit(first17: str) -> str:
    """Return the ISO 7064 MOD 11-2 check character for 17 ID digits."""
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def _plausible_birth_date(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:8])
    if not 1900 <= year <= date.today().year:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def is_resident_id(candidate: str) -> bool:
    """True if `candidate` (18 characters, spaces ignored) is a valid resident ID number.

    Valid means: 17 digits, then a digit or X whose ISO 7064 MOD 11-2 check
    matches, with a birth date (characters 7-14) that exists and lies between
    1900 and today.
    """
    s = candidate.replace(" ", "").upper()
    if len(s) != 18 or not s[:17].isascii() or not s[:17].isdigit():
        return False
    if not (s[17] == "X" or (s[17].isascii() and s[17].isdigit())):
        return False
    return _plausible_birth_date(s[6:14]) and id_check_digit(s[:17]) == s[17]


# ---------------------------------------------------------------------------
# Bank cards
# ---------------------------------------------------------------------------

_CARD_RE = re.compile(
    r"(?<![0-9])(?:[0-9]{16,19}|[0-9]{4}(?:[ .-][0-9]{4}){3}(?:[ .-][0-9]{1,3})?)(?![0-9])"
)


_URL_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*://[^\s<>\"'，。；、）]+")


def luhn_ok(digits: str) -> bool:
    """True if the digit string passes the Luhn (mod 10) check."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return total % 10 == 0


# ---------------------------------------------------------------------------
# Phones
# ---------------------------------------------------------------------------

# Not preceded by a digit or a decimal point, not followed by a digit, a
# decimal part or a money word: a phone number is never an amount.
_AMOUNT_WORDS = r"\s*(?:元|万|亿|余|多)"
_NOT_AMOUNT_AFTER = r"(?![0-9])(?!\.[0-9])(?!" + _AMOUNT_WORDS + ")"
_AMOUNT_AFTER_RE = re.compile(r"\.[0-9]|" + _AMOUNT_WORDS)
_MOBILE_RE = re.compile(
    r"(?<![0-9.+])"
    r"(?:(?:\+|00)?86[ .-]?|\(\+?86\) ?)?"
    r"1[3-9][0-9](?:[ .-]?[0-9]{4}){2}" + _NOT_AMOUNT_AFTER
)
# Area codes: 010, 02X, or 0[3-9]XX; the local number does not start with 0.
_AREA = r"0(?:10|2[0-9]|[3-9][0-9]{2})"
_AREA_RE = re.compile(_AREA)
_FIXED_RE = re.compile(
    r"(?<![0-9.])"
    r"(?:\(" + _AREA + r"\) ?|" + _AREA + r"[ .-]?)"
    r"[1-9][0-9]{6,7}" + _NOT_AMOUNT_AFTER
)

# Digit groups joined by separators (a space, a dot or a hyphen, perhaps with spaces
# around it): 1101-0119-9003-0745-14, 110101 1990 0307 4514, 138.0013.8000. Slashes
# are not separators: they join the parts of dates and fractions, not of numbers.
_GROUPED_RE = re.compile(r"[0-9]+(?:(?: ?[.\-] ?| )[0-9]+)+(?:[Xx](?![0-9A-Za-z]))?")
_GROUP_RE = re.compile(r"[0-9]+[Xx]?")

# ---------------------------------------------------------------------------
# E-mail
# ---------------------------------------------------------------------------

_EMAIL_RE = re.compile(
    r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)

# ---------------------------------------------------------------------------
# Door-level addresses
# ---------------------------------------------------------------------------

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

# ---------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------

# Surnames: `fazhi.names.SURNAMES` and `COMPOUND_SURNAMES`, shared with the name recogniser.

# Role words (contract rule 8, version 2), matched longest first. 原告方/被告方 are the
# role words themselves ("the plaintiff's side"), not 方 + a given name.
_ROLE_WORDS = (
    "申请执行人", "犯罪嫌疑人", "被申请人", "被执行人", "申请人", "当事人", "被告人", "第三人",
    "案外人", "农民工", "劳动者", "原告方", "被告方", "原告", "被告",
    "法定代表人", "负责人", "实际控制人", "股东", "债务人", "债权人", "被害人", "受害人", "证人",
    "代理人", "委托代理人", "监护人", "罪犯", "上诉人", "被上诉人", "包工头", "工人", "职工",
    "员工",
)
_ROLE_RE = re.compile(
    "(" + "|".join(sorted(_ROLE_WORDS, key=len, reverse=True)) + r")[ :：]*"
)

# Words that never start a name after a role word, although many of them
# begin with a surname character (申请, 和解, 权益, 安全, 高消费 …).
_NOT_NAME_WORDS = _words(
    """
    因 于 与 及 和 的 在 将 被 对 向 均 已 等 都 也 为 仍 未 共 各 称 由 但 那 应 并 或 而
    把 从 给 让 以 经 即 就 便 才 还 又 再 之 其 该 此 这 是 系 所 若 如
    通过 当即 主动 拒不 名下 家中 一方 履行 达成 到案 申请 表示 依法
    全部 全体 全额 全家 全面 全程 全力 全都 全数 全款 全年 全国 全省 全市 全县 全员 全过程
    成功 成为 成立 成员 成本 成果 成绩 成了
    申诉 申报 申领 申辩 申明 申请书 申请执行
    支付 支持 支出 支取 支付宝 支援
    权益 权利 权力 权属 权责
    利益 利用 利息 利润 利害
    安全 安置 安排 安心 安装 安慰 安抚 安稳
    信息 信用 信任 信心 信访 信件
    原因 原来 原本 原有 原告 原件 原审 原判 原先 原则 原籍 原单位
    单位 单独 单方 单据
    方面 方式 方法 方案 方向 方便 方能
    时间 时候 时期 时机 时效 时常
    明确 明知 明显 明白 明确表示
    相关 相继 相互 相应 相信 相同 相当 相对 相比 相约
    陆续 来到 来自 来说 来看 来源 来往 来院 来电
    管理 管辖 解决 解除 解释 解冻 解困
    关于 关系 关键 关注 关心 关闭 关机 关联
    公司 公开 公安 公告 公民 公众 公证 公平 公正 公共 公益 公章
    国家 国有 国内 宣告 宣布 宣传 宣判 宣读
    严重 严格 严肃 严厉 强调 强制 强行 强烈
    曾经 曾多次 曾先后 曾任 曾承诺 曾表示 曾出具 曾签订 曾拖欠 曾借
    连续 连连 连忙 连同 高度 高兴 高额 高消费 高空 满意 满足 满怀 满腹
    费用 尚未 尚欠 尚有 马上 居住 居民 居然 任何 任务 任意 文书 文件 文化 文明
    修改 修文 金额 金钱 包括 包工头 包工 包含 施工 施行 施压 干部 干活 干预
    万元 万余 万一 何时 何种 何况 迟迟 常常 常年 常住 和解 和谐 付款 付清 付出 付给
    许多 许可 程序 周转 周围 周边 陈述 范围 谢谢 田间 白白 白天 顾及 顾虑 钱款 钱财
    莫名 康复 齐心 甘心 宁可 宁愿 凌晨 路上 路费 项目 纪律 符合 季度 房屋 房产 房租 房东
    尤其 农业 农村 农民 农户 司法 简单 简易 车辆 车主 党员 党委 冷静 卫生 师傅
    商量 商品 商业 商户 商铺 查封 查询 查明 查扣 查找 查控 查实 查处 查看 官方 官司
    封存 封闭 谈话 谈判 乐意 花名册 花名 花费 索要 索赔 索取 平时 平均 平台 平等 平安
    计算 计划 初步 初期 初次 门口 门前 门市 普通 普遍 薄弱 阿姨 母亲 况且 宿舍
    印章 印象 危险 危害 银行 元旦 元月 展开 展示 幸福 幸好 毕竟 毕业 辛苦 仲裁
    劳动 劳务 劳资 劳保 劳累 闻讯 位于 盖章 呼吁 余款 余额 余下 董事 董事长 黎明
    左右 容易 位置 公布 成长 相反 厉害 成熟 全身 明天 麻烦 满脸 支配 何必 干净 商议 单纯
    简历 强化 尚无 位居 揭露 平常 明明 时分 干脆 安定 严峻 相见 强迫 常有 解开 公认 厉声
    严密 相通 相助 焦急 焦虑 全新 全然 谈论 迟疑 花钱 明亮 平稳 高举 来信 乐观 连夜 来讲
    来临 索性 万分 来得及 来回 高呼 高声 呼声 成效 常规 公务员 时刻 相处 相识 解答 连声
    勾结 奉命 来历 郑重 计较 谈谈 成交 幸运 解散 任用 呼叫 解读 公然 严禁 宣扬 迟早 何故
    敬重 呼喊 容忍 查出 盘算 何事 揭发 强占 相聚 相符 原定 解救 相待 谈起 许久 严惩 尚且
    辜负 何尝 关押 关照 查阅 安葬 严加 冷落 敬意 原意 迟缓 初衷 关爱 居中 强忍 成婚 相伴
    尚可 呼救 商讨 连累 查问 盘问 商谈 鞠躬 包揽 查获 包办 计入 付费 谢罪 包容 蒙受 管用
    闭门 相视 幸免 幸存 劳苦 来意 满分 高利贷 高息 高价 万般
    张贴 张罗 张望 张开 张扬 张口 席上 席位 席间 包吃 包住 包吃包住 包干 包车 管吃 管住
    盗窃 诈骗 抢劫 抢夺 驾驶 殴打 持刀 伙同 拒绝 偿还 归还 给付 赔偿 签订 出具 承诺
    认为 同意 承认 辩称 诉称 提出 提供 雇佣 雇请 拖欠 欠付 借款 经营 涉嫌 犯有 家住
    """
)

# Characters that cannot be part of a given name in this position: function
# words, measure words, and the suffixes of place names.
_NON_NAME_CHARS = frozenset(
    "的了着过因于与和及等在向将被把对从给让使已均都也为是称说拒未不没仍又再共各并即就便才还"
    "而或之其该此这那每以到由所系曾经后前内外里个名人位次件亿年日号某多犯"
    "省市县区镇乡村州旗盟"
)
_PLACE_SUFFIX = frozenset("省市县区镇乡村州旗盟")
_ORG_SUFFIX_RE = re.compile(
    r"(?:有限责任公司|有限公司|公司|集团|合作社|商行|商店|酒店|饭店|超市|银行|工作室|事务所"
    r"|经营部|门市部|加工厂|养殖场|厂|店)"
)


# ---------------------------------------------------------------------------
# Party entries: the anonymised grammar
# ---------------------------------------------------------------------------

_CJK = "\u4e00-\u9fff"
_COUNT = r"(?:[0-9]+|[一二两三四五六七八九十百千万几数]+)"
_COUNTED = _COUNT + r"(?:余|多)?(?:名|位|个|户|家|人)"
# Who a description or a group may consist of.
_GROUP_WORDS = _words(
    "农民工 工人 建筑工人 务工人员 劳动者 工友 村民 居民 业主 员工 职工 群众 消费者 购房者 投资人"
    " 债权人 债务人 未成年人 家属 学生 老人 儿童 妇女 残疾人 退役军人 农户 养殖户 种植户 商户 租户"
    " 企业 小微企业 当事人 申请人 被申请人 申请执行人 被执行人 原告 被告 第三人 案外人"
)
_GROUP = "(?:" + "|".join(sorted(_GROUP_WORDS, key=len, reverse=True)) + ")"
_ORG_WORDS = _words(
    "有限责任公司 股份有限公司 有限公司 分公司 公司 集团 村镇银行 银行 信用社 合作社 商行 商店 商贸"
    " 超市 酒店 饭店 宾馆 餐馆 加工厂 工厂 厂 店 工地 项目部 医院 诊所 学校 幼儿园 企业 单位"
    " 工作室 事务所 经营部 门市部 养殖场 农场 工程队 施工队 劳务队 物业 协会 村委会 居委会"
)
_ORG = "(?:" + "|".join(sorted(_ORG_WORDS, key=len, reverse=True)) + ")"
_PLACE_ENDING = re.compile(rf"[{_CJK}]{{1,6}}?(?:自治区|自治州|自治县|[省市县区镇乡村旗盟州])")
# Provinces by their short names, which commonly stand before 某公司 without a suffix.
_PROVINCES = _words(
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
            for suffix in ("自治区", "自治州", "自治县", "特别行政区", *_PLACE_SUFFIX):
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


def _party_hint(entry: str) -> str:
    """How to write `entry` anonymised: 张建国 → 张某, an organisation → 某公司."""
    fix = "删去括号及其中的内容，" if re.search(r"[(（]", entry) else ""
    body = re.split(r"[(（]", entry, maxsplit=1)[0].lstrip("某 ")
    if _ORG_SUFFIX_RE.search(body) or re.search(_ORG, body):
        return fix + "写成“某公司”或“地名+某公司”（如“修文某公司”）；" + _WAIVER
    surname = body[:2] if body[:2] in COMPOUND_SURNAMES else body[:1]
    if surname and _is_cjk(surname[0]) and surname[0] != "某":
        return fix + f"写成“{surname}某”或“{surname}某某”；" + _WAIVER
    return fix + "写成“张某”“张某某”“某公司”或“19名农民工”这样的匿名形式；" + _WAIVER


def check_party_name(name: str, places: Collection[str] = ()) -> Finding | None:
    """Check one entry of a case's `parties` lists; return a finding if it is not anonymized.

    The entry must be, exactly, a list (joined by 、) of: an anonymized person (张某, 覃某某,
    欧阳某, 张某甲), perhaps heading a group (冉某某等8人, 梁某等20名农民工); an anonymized
    organisation (某公司, 某村镇银行, 某建筑公司, 甲公司, or place + 某 + organisation, as
    修文某公司, where the place is a province or in `places`, see `place_names`, or ends in
    省/市/县/区/镇/乡/村…); or a description that names no one (19名农民工, 300余名农民工,
    农民工, 部分村民). Anything else (张建国, 某张建国, 张某（张建国）,
    某公司（法定代表人张建国）, 贵州鑫源建筑有限公司) is a 'privacy.party_name' finding
    quoting the whole entry, whose hint shows the anonymised form to write. Numbers and
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
    return Finding(
        "privacy.party_name", stripped, start, start + len(stripped),
        f"当事人名称“{stripped}”不是匿名形式", _party_hint(wrong[0]),
    )


# ---------------------------------------------------------------------------
# Detectors: (text, norm) -> findings in the original text
# ---------------------------------------------------------------------------


def _find_ids(text: str, norm: Normalised) -> list[Finding]:
    out: list[Finding] = []
    hint = "删除身份证号码；" + _WAIVER
    for m in _ID18_RE.finditer(norm):
        if is_resident_id(m.group()):
            out.append(_finding("privacy.id_number", text, norm, *m.span(),
                                "发现疑似居民身份证号码“{match}”", hint))
    for m in _ID15_RE.finditer(norm):
        out.append(_finding("privacy.id_number", text, norm, *m.span(),
                            "发现疑似居民身份证号码（15位）“{match}”", hint))
    return out


def _url_spans(norm: str) -> list[tuple[int, int]]:
    return [m.span() for m in _URL_RE.finditer(norm)] if "://" in norm else []


def _find_cards(text: str, norm: Normalised) -> list[Finding]:
    out: list[Finding] = []
    urls = _url_spans(norm)
    for m in _CARD_RE.finditer(norm):
        if any(s <= m.start() < e for s, e in urls):
            continue  # a long article number in a web address (toutiao.com/article/73…) is no card
        digits = re.sub(r"[ .-]", "", m.group())
        if not 16 <= len(digits) <= 19 or not luhn_ok(digits):
            continue
        if len(digits) == 18 and is_resident_id(digits):
            continue  # reported as an ID number
        out.append(_finding("privacy.bank_card", text, norm, *m.span(), "发现疑似银行卡号“{match}”",
                            "删除卡号，至多写“尾号1234”；" + _WAIVER))
    return out


def _find_phones(text: str, norm: Normalised) -> list[Finding]:
    out: list[Finding] = []
    hint = "删除号码；" + _WAIVER
    for m in _MOBILE_RE.finditer(norm):
        out.append(_finding("privacy.phone", text, norm, *m.span(), "发现疑似手机号码“{match}”", hint))
    for m in _FIXED_RE.finditer(norm):
        out.append(_finding("privacy.phone", text, norm, *m.span(), "发现疑似固定电话号码“{match}”",
                            hint))
    return out


def _grouped_kind(groups: list[str], after: str) -> str:
    """What digit groups joined by separators spell: 'id', 'mobile', 'fixed' or ''."""
    digits = "".join(groups)
    if len(digits) == 18 and is_resident_id(digits):
        return "id"
    if "x" in digits.lower() or _AMOUNT_AFTER_RE.match(after):
        return ""
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "3456789" \
            and all(len(g) >= 2 for g in groups) and len(groups[0]) >= 3:
        return "mobile"
    if 10 <= len(digits) <= 12 and _AREA_RE.fullmatch(groups[0]) and digits[len(groups[0])] != "0" \
            and 7 <= len(digits) - len(groups[0]) <= 8:
        return "fixed"
    return ""


def _find_grouped_numbers(text: str, norm: Normalised) -> list[Finding]:
    """IDs and phones however their digits are grouped: any run of whole groups."""
    out: list[Finding] = []
    messages = {"id": ("privacy.id_number", "发现疑似居民身份证号码“{match}”", "删除身份证号码；"),
                "mobile": ("privacy.phone", "发现疑似手机号码“{match}”", "删除号码；"),
                "fixed": ("privacy.phone", "发现疑似固定电话号码“{match}”", "删除号码；")}
    for run in _GROUPED_RE.finditer(norm):
        groups = list(_GROUP_RE.finditer(run.group()))
        base = run.start()
        i = 0
        while i < len(groups):
            for j in range(len(groups), i + 1, -1):  # two groups or more: one is a plain number
                parts = [g.group() for g in groups[i:j]]
                if not 10 <= sum(map(len, parts)) <= 18:
                    continue
                end = base + groups[j - 1].end()
                kind = _grouped_kind(parts, norm[end:end + 4])
                if kind:
                    code, message, hint = messages[kind]
                    out.append(_finding(code, text, norm, base + groups[i].start(), end, message,
                                        hint + _WAIVER))
                    i = j - 1
                    break
            i += 1
    return out


def _find_emails(text: str, norm: Normalised) -> list[Finding]:
    return [_finding("privacy.email", text, norm, *m.span(), "发现电子邮箱地址“{match}”",
                     "删除邮箱地址；" + _WAIVER)
            for m in _EMAIL_RE.finditer(norm)]


def _address_start(norm: str, start: int) -> int:
    """Extend an address match to the left over the place name (中山路, 幸福小区 …)."""
    s = start
    while s > 0 and start - s < _ADDRESS_BACK:
        ch = norm[s - 1]
        if not (_is_cjk(ch) or ch.isdigit()) or ch in _ADDRESS_STOP:
            break
        if ch in _ADDRESS_REGION and norm[s - 2:s] not in _ESTATE_WORDS:
            break
        s -= 1
    return s


def _find_addresses(text: str, norm: Normalised) -> list[Finding]:
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
    hint = "地址只写到县（区）、乡镇（街道）或村（社区），删去路名门牌号、楼栋和房号；" + _WAIVER
    return [
        _finding("privacy.address", text, norm, s, e, "发现精确到门牌的地址“{match}”", hint)
        for s, e in merged
        if "某" not in norm[s:e]  # 某村12号, 某小区3栋: the place is already anonymized
    ]


def _starts_not_name_word(text: str, pos: int) -> bool:
    return any(text[pos:pos + k] in _NOT_NAME_WORDS for k in (1, 2, 3, 4))


def _looks_like_org_or_place(text: str, name_end: int) -> bool:
    """True if the candidate name is really the start of a place or an organisation name."""
    n = len(text)
    # 安顺市, 修文县, 呼伦贝尔市: a place suffix right after the candidate (or one later).
    for k in (0, 1):
        if name_end + k < n and text[name_end + k] in _PLACE_SUFFIX:
            return True
        if name_end + k >= n or not _is_cjk(text[name_end + k]):
            break
    # 丁公司, 江西宏达建设有限公司: the run continues straight into an organisation
    # suffix and ends there.
    j = name_end
    while j < n and j - name_end < 12 and _is_cjk(text[j]) and text[j] not in _NON_NAME_CHARS:
        j += 1
    run = text[name_end - 3 if name_end >= 3 else 0:j]
    return any(m.end() == len(run) for m in _ORG_SUFFIX_RE.finditer(run))


def _parse_person(text: str, pos: int) -> tuple[str, int, str]:
    """Parse a possible person name at `pos`, right after a role word.

    Returns (kind, end, surname) with kind 'none' (not a name), 'anon'
    (surname + 某/某某) or 'name' (an unanonymized personal name ending at `end`).
    """
    n = len(text)
    if pos >= n or not _is_cjk(text[pos]) or _starts_not_name_word(text, pos):
        return "none", pos, ""
    if text[pos:pos + 2] in COMPOUND_SURNAMES:
        surname = text[pos:pos + 2]
    elif text[pos] in SURNAMES:
        surname = text[pos]
    else:
        return "none", pos, ""
    i = pos + len(surname)
    given = 0
    while given < 2 and i < n:
        # One space inside a name hides nothing: 张 建国 (an ideographic space, folded to ' ').
        j = i + 1 if text[i] == " " and i + 1 < n and _is_cjk(text[i + 1]) else i
        ch = text[j]
        if ch == "某" and j == i:
            break
        if not _is_cjk(ch) or ch in _NON_NAME_CHARS or ch == "某":
            break
        if (given or j > i) and (text[j:j + 2] in _NOT_NAME_WORDS or text[j:j + 3] in _NOT_NAME_WORDS):
            break
        given += 1
        i = j + 1
    if i < n and text[i] == "某":  # 张某, 覃某某, 欧阳某, 司马某 (司 + 马 + 某)
        i += 1
        if i < n and text[i] == "某":
            i += 1
        return "anon", i, surname
    if given == 0 or _looks_like_org_or_place(text, i):
        return "none", pos, ""
    return "name", i, surname


def _find_role_names(text: str, norm: Normalised) -> list[Finding]:
    out: list[Finding] = []
    for m in _ROLE_RE.finditer(norm):
        role = m.group(1)
        pos = m.end()
        while True:
            kind, end, surname = _parse_person(norm, pos)
            if kind == "name":
                out.append(_finding(
                    "privacy.role_name", text, norm, pos, end,
                    f"发现“{role}”后的姓名“{{match}}”未匿名",
                    f"改写为“{surname}某”或“{surname}某某”；" + _WAIVER,
                ))
            # 被执行人朱某、丽某: an enumeration keeps the role.
            if kind == "none" or end >= len(norm) or norm[end] != "、":
                break
            pos = end + 1
    return out


def person_name_detector(find: Callable[[str], list[tuple[int, int]]]) -> Detector:
    """A detector from a name recogniser that returns spans of personal names in a text.

    The recogniser reads the normalised text (no invisible characters, full-width folded);
    its spans are mapped back to the original text.
    """
    def detect(text: str, norm: Normalised) -> list[Finding]:
        return [_finding("privacy.person_name", text, norm, s, e, "发现未匿名的姓名“{match}”",
                         "当事人等私人只写姓加“某”（如“张某”“张某某”）；" + _WAIVER)
                for s, e in find(str(norm)) if 0 <= s < e <= len(norm)]
    return detect


# Earlier detectors win where spans overlap (an 18-digit ID is not also a card).
NUMBER_DETECTORS: list[Detector] = [
    _find_emails, _find_ids, _find_cards, _find_phones, _find_grouped_numbers, _find_addresses,
]
NAME_DETECTORS: list[Detector] = [
    _find_role_names,  # first: its message names the role word where both find a name
    person_name_detector(find_person_names),  # names with no role word before them (fazhi.names)
]

# Cheap tests that tell, from the normalised text, that a number detector cannot find
# anything, so that most texts skip the patterns (scanning 10,000 cases runs them on
# ~170,000 texts). Each test is implied by its detectors' patterns:
# - an ID, card or phone number holds at least 10 digits, with at most three separators
#   (space, dot, hyphen, parenthesis) between consecutive digits;
# - an e-mail address holds an @;
# - every address pattern holds 号, 室, 户, 单元, 栋 or 幢 (3栋502 has no 号).
_DIGIT_RUN = re.compile(r"[0-9](?:[ ().\-]{0,3}[0-9]){9}")
_ADDRESS_MARK = re.compile("号|室|户|单元|栋|幢")
_ASCII_DIGIT = re.compile("[0-9]")
_NEEDS = {_find_emails: "email", _find_ids: "digits", _find_cards: "digits",
          _find_phones: "digits", _find_grouped_numbers: "digits", _find_addresses: "address"}


def _detectors_for(norm: str, detectors: Sequence[Detector]) -> Sequence[Detector]:
    """The number detectors (in order) that might find something in `norm`."""
    digits = _DIGIT_RUN.search(norm) is not None
    email = "@" in norm
    address = _ADDRESS_MARK.search(norm) is not None
    if not (digits or email or address):
        return ()
    possible = {"digits": digits, "email": email, "address": address}
    return [d for d in detectors if possible.get(_NEEDS.get(d, ""), True)]


def scan_text(text: str, *, names: bool = True) -> list[Finding]:
    """Scan any text for personal data and return the findings in text order.

    Detects resident ID numbers, mobile and fixed-line phone numbers (however grouped or
    separated), bank card numbers (Luhn), e-mail addresses, door-level street addresses
    and, unless `names` is False, personal names that are not anonymized (a role word such
    as 被执行人, 原告, 证人 … followed by a name that is not 张某/张某某). Digits inside a web
    address are not read as a bank card. The text is normalised first; findings quote and
    point at the original. Overlapping findings are reported once.
    """
    if not text or (text.isascii() and "@" not in text and not _ASCII_DIGIT.search(text)):
        return []  # ids, slugs, words: nothing a detector looks for
    triggered = _TRIGGER.search(text) is not None
    norm = normalise(text) if triggered else _unchanged(text)
    detectors: Sequence[Detector] = _detectors_for(norm, NUMBER_DETECTORS) if triggered else ()
    if names and not text.isascii():  # names are Chinese
        detectors = (*detectors, *NAME_DETECTORS)
    kept: list[Finding] = []
    for detector in detectors:
        for f in detector(text, norm):
            if not any(f.start < k.end and k.start < f.end for k in kept):
                kept.append(f)
    kept.sort(key=lambda f: (f.start, f.end))
    return kept


def _normalised(text: str) -> Normalised:
    """`normalise(text)`, skipped for text with nothing to normalise."""
    return _unchanged(text) if _TRIGGER.search(text) is None else normalise(text)


def prime_names(texts: Collection[str]) -> None:
    """Run the name recogniser over many texts at once, so that `scan_text` finds them memoised.

    The recogniser tags batches of sentences many times faster than one text at a time; a
    check calls this with every text it will scan for names.
    """
    find_person_names_many([str(_normalised(text)) for text in texts if text and not text.isascii()])
