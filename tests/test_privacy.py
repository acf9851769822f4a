"""Tests for fazhi.privacy: personal data in published text (contract rule 8)."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fazhi.privacy import (
    CODES,
    Finding,
    check_party_name,
    id_check_digit,
    is_resident_id,
    luhn_ok,
    scan_text,
)

ROLE_WORDS = [
    "当事人", "申请人", "申请执行人", "被执行人", "被申请人", "原告", "被告", "被告人",
    "犯罪嫌疑人", "第三人", "案外人", "农民工", "劳动者",
]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩覃冉包丽花牛")
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "慕容"]


def make_id(area: str, birth: date, seq: int) -> str:
    first17 = f"{area}{birth:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


def luhn_complete(prefix: str) -> str:
    """Append the Luhn check digit to `prefix`."""
    for d in "0123456789":
        if luhn_ok(prefix + d):
            return prefix + d
    raise AssertionError("unreachable")


def codes(text: str) -> list[str]:
    return [f.code for f in scan_text(text)]


def matches(text: str, code: str) -> list[str]:
    return [f.match for f in scan_text(text) if f.code == code]


ID_CODES = {"privacy.id_number", "privacy.old_id_number"}  # 18 digits, and the old 15
PHONE_CODES = {"privacy.phone", "privacy.fixed_phone"}  # mobile, fixed line
# A party entry's code says which anonymised form its hint shows, and whether a bracket goes.
PARTY_CODES = {f"privacy.party_{kind}{bracket}" for kind in ("name", "person", "org")
               for bracket in ("", "_bracket")}


VALID_ID = make_id("110101", date(1990, 3, 7), 451)  # 110101199003074514
VALID_ID_X = "11010519491231109X"


# --------------------------------------------------------------------------- helpers


def test_check_digit_and_luhn_helpers() -> None:
    assert VALID_ID == "110101199003074514"
    assert is_resident_id(VALID_ID)
    assert is_resident_id(VALID_ID_X)
    assert is_resident_id(VALID_ID_X.lower())
    assert not is_resident_id("110101199003074515")
    assert luhn_ok("4111111111111111")
    assert not luhn_ok("4111111111111112")


def test_finding_shape() -> None:
    text = "请联系被执行人张建国，电话13812345678。"
    found = scan_text(text)
    assert [f.code for f in found] == ["privacy.role_name", "privacy.phone"]
    for f in found:
        assert isinstance(f, Finding)
        assert f.code in CODES
        assert text[f.start:f.end] == f.match
        assert f.match in f.message
        assert "privacy_reviewed" in f.hint
    with pytest.raises(AttributeError):
        found[0].code = "x"  # type: ignore[misc]


def test_empty_text() -> None:
    assert scan_text("") == []


# --------------------------------------------------------------------------- ID numbers


@pytest.mark.parametrize(
    "text, expected",
    [
        (VALID_ID, VALID_ID),
        (f"身份证号{VALID_ID}，", VALID_ID),
        (f"身份证号：{VALID_ID_X}。", VALID_ID_X),
        (f"证号{VALID_ID_X.lower()}", VALID_ID_X.lower()),
        ("１１０１０１１９９００３０７４５１４", "１１０１０１１９９００３０７４５１４"),
        ("110101 19900307 4514", "110101 19900307 4514"),
    ],
)
def test_id_number_found(text: str, expected: str) -> None:
    assert matches(text, "privacy.id_number") == [expected]
    assert codes(text) == ["privacy.id_number"]


def test_old_id_number_found() -> None:
    text = "旧身份证号110101900307451。"  # 15 digits standing alone
    assert matches(text, "privacy.old_id_number") == ["110101900307451"]
    assert codes(text) == ["privacy.old_id_number"]


@pytest.mark.parametrize(
    "text",
    [
        "110101199003074515",  # wrong check digit
        make_id("110101", date(1990, 3, 7), 451)[:-1] + "0",
        "110101199013074514",  # month 13 (check digit recomputed below is irrelevant)
        "11010119900307451",  # 17 digits
        "1101011990030745141",  # 19 digits: part of a longer run
        "1234567890123456",  # 16 digits
        "12345678901234",  # 14 digits
        "0110101900307451",  # 16 digits containing 15
        "案号（2023）内0702执恢123号",
    ],
)
def test_id_number_not_found(text: str) -> None:
    assert not ID_CODES & set(codes(text))


def test_id_with_impossible_birth_date_is_not_an_id() -> None:
    for birthday in ("19900230", "18991231", f"{date.today().year + 1}0101"):
        first17 = f"110101{birthday}451"
        candidate = first17 + id_check_digit(first17)
        assert not is_resident_id(candidate)
        assert "privacy.id_number" not in codes(candidate)


def test_wrong_check_digit_may_be_a_bank_card() -> None:
    # 18 digits, wrong ID check digit but passing Luhn -> a card, not an ID.
    for last in "0123456789":
        candidate = "11010119900307451" + last
        if luhn_ok(candidate) and not is_resident_id(candidate):
            assert codes(candidate) == ["privacy.bank_card"]
            return
    raise AssertionError("no Luhn-valid variant found")


def test_valid_id_that_passes_luhn_is_reported_once_as_id() -> None:
    for seq in range(1000):
        candidate = make_id("110101", date(1985, 6, 1), seq)
        if luhn_ok(candidate):
            assert codes(candidate) == ["privacy.id_number"]
            return
    raise AssertionError("no Luhn-valid ID found")


# --------------------------------------------------------------------------- phones


@pytest.mark.parametrize(
    "text, expected",
    [
        ("13812345678", "13812345678"),
        ("联系电话：13812345678。", "13812345678"),
        ("手机19912345678", "19912345678"),
        ("138-1234-5678", "138-1234-5678"),
        ("138 1234 5678", "138 1234 5678"),
        ("+86 138 1234 5678", "+86 138 1234 5678"),
        ("+8613812345678", "+8613812345678"),
        ("（+86）13812345678", "（+86）13812345678"),
        ("１３８１２３４５６７８", "１３８１２３４５６７８"),
    ],
)
def test_phone_found(text: str, expected: str) -> None:
    assert matches(text, "privacy.phone") == [expected]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("电话0471-6912345", "0471-6912345"),
        ("(010)12345678", "(010)12345678"),
        ("（0471）6912345", "（0471）6912345"),
        ("021-62345678", "021-62345678"),
        ("04716912345", "04716912345"),
        ("0851 86812345", "0851 86812345"),
    ],
)
def test_fixed_phone_found(text: str, expected: str) -> None:
    assert matches(text, "privacy.fixed_phone") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "依托 12309 检察服务中心",
        "拨打12345政务服务热线",
        "12348公共法律服务热线",
        "劳务费共计60475元",
        "筹措资金8584.6元",
        "2023年3月",
        "2024-01-14",
        "2020 年 5 月 1 日",
        "共化解纠纷 121 件",
        "1234",
        "执结标的101.2万元",
        "13800000000元",  # an amount, not a phone
        "138123456789",  # 12 digits: longer than a mobile
        "213812345678",
        "订单号 0138123456789012",
        "12345678",
        "400-123-4567",
        "（2023）黔0502执1234号",
        "2023年1月10日至15日",
        "2.13812345678",
    ],
)
def test_phone_not_found(text: str) -> None:
    assert not PHONE_CODES & set(codes(text))


# --------------------------------------------------------------------------- bank cards


@pytest.mark.parametrize(
    "text, expected",
    [
        ("4111111111111111", "4111111111111111"),
        ("卡号6222021234567890128，", "6222021234567890128"),
        ("卡号：6222 0212 3456 7890 128", "6222 0212 3456 7890 128"),
    ],
)
def test_bank_card_found(text: str, expected: str) -> None:
    assert luhn_ok("".join(ch for ch in expected if ch.isdigit()))
    assert matches(text, "privacy.bank_card") == [expected]


@pytest.mark.parametrize("sep", [" ", "-"])
def test_grouped_card_found(sep: str) -> None:
    card = luhn_complete("622202123456789")
    grouped = sep.join(card[i:i + 4] for i in range(0, 16, 4))
    assert matches(f"卡号{grouped}。", "privacy.bank_card") == [grouped]


def test_generated_cards_found() -> None:
    for prefix in ("622202123456789", "62122612345678901", "621700123456789012"):
        card = luhn_complete(prefix)
        assert 16 <= len(card) <= 19
        assert matches(f"转入账户{card}后", "privacy.bank_card") == [card]


@pytest.mark.parametrize(
    "text",
    [
        "4111111111111112",  # fails Luhn
        "41111111111111111111",  # 20 digits
        "411111111111111",  # 15 digits (that is an old-style ID instead)
        "尾号1234",
        VALID_ID,
    ],
)
def test_bank_card_not_found(text: str) -> None:
    assert "privacy.bank_card" not in codes(text)


# --------------------------------------------------------------------------- e-mail


@pytest.mark.parametrize(
    "text, expected",
    [
        ("邮箱zhang.san@example.com。", "zhang.san@example.com"),
        ("联系 a_b-c+d@mail.court.gov.cn", "a_b-c+d@mail.court.gov.cn"),
        ("zhangsan＠example.com", "zhangsan＠example.com"),
    ],
)
def test_email_found(text: str, expected: str) -> None:
    assert matches(text, "privacy.email") == [expected]


@pytest.mark.parametrize("text", ["a@b", "@某公司", "微博@呼伦贝尔中院", "user@localhost"])
def test_email_not_found(text: str) -> None:
    assert "privacy.email" not in codes(text)


# --------------------------------------------------------------------------- addresses


@pytest.mark.parametrize(
    "text, expected",
    [
        ("住址：人民路12号。", "人民路12号"),
        ("家住中山街道8号", "中山街道8号"),
        ("住柳树巷3号", "柳树巷3号"),
        ("位于幸福小区3栋2单元501室", "幸福小区3栋2单元501室"),
        ("住5号楼1201室", "5号楼1201室"),
        ("家住石桥村3组12号", "石桥村3组12号"),
        ("家住石桥村五组12号", "石桥村五组12号"),
        ("张家村民组25号", "张家村民组25号"),
        ("呼和浩特市新华大街12号院3号楼2单元501室", "新华大街12号院3号楼2单元501室"),
        ("住中山路12号3栋2单元501室。", "中山路12号3栋2单元501室"),
        ("阳光花园8号", "阳光花园8号"),
        ("住２单元５０１室", "２单元５０１室"),
    ],
)
def test_address_found(text: str, expected: str) -> None:
    assert matches(text, "privacy.address") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "依据法释〔2016〕19号",
        "根据第3号令",
        "市政府12号文件",
        "根据2023年第3号公告",
        "轨道交通3号线",
        "地铁2号线",
        "房屋为3室2厅",
        "共有3栋楼",
        "第2单元501页",
        "乘坐公交12路",
        "（2023）黔0502执1234号",
        "开辟“绿色通道”，实现快立、快审",
        "工程项目所在街道办事处",
        "将人民法庭审判工作延伸至村(居)",
        "创建“无讼村”",
        "中山路",
        "回民区某建筑工地",
        "家住某县某村12号",  # the place is already anonymized
        "住某小区3栋2单元501室",
    ],
)
def test_address_not_found(text: str) -> None:
    assert "privacy.address" not in codes(text)


# --------------------------------------------------------------------------- role word + name


@pytest.mark.parametrize(
    "text, expected",
    [
        ("被执行人张建国拒不履行", "张建国"),
        ("被告人王五犯盗窃罪", "王五"),
        ("犯罪嫌疑人李明于2023年到案", "李明"),
        ("申请执行人徐海涛", "徐海涛"),
        ("申请人赵丽", "赵丽"),
        ("被申请人孙强向法院", "孙强"),
        ("原告陈晓明诉称", "陈晓明"),
        ("被告刘刚辩称", "刘刚"),
        ("第三人周杰", "周杰"),
        ("案外人覃建华", "覃建华"),
        ("农民工冉光明和其他7个农民工", "冉光明"),
        ("劳动者梁红", "梁红"),
        ("当事人：李四", "李四"),
        ("被执行人欧阳娜娜拒不履行", "欧阳娜娜"),
        ("被执行人司马懿", "司马懿"),
        ("被执行人朱某、张建国拒不支付", "张建国"),
        ("被执行人刘明支付了劳务费", "刘明"),
        ("被执行人刘明明确表示", "刘明"),
        ("被执行人丁建国", "丁建国"),
    ],
)
def test_role_name_found(text: str, expected: str) -> None:
    assert matches(text, "privacy.role_name") == [expected]


def test_role_name_message_and_hint() -> None:
    (f,) = scan_text("被执行人张建国拒不履行")
    assert f.message == "发现“被执行人”后的姓名“张建国”未匿名"
    assert f.hint.startswith("改写为“张某”或“张某某”")
    assert (f.start, f.end) == (4, 7)


@pytest.mark.parametrize(
    "text",
    [
        # anonymized
        "被执行人包某因拒不支付员工劳动报酬",
        "申请执行人徐某支付了劳务费",
        "案外人覃某某近两个小时的交谈",
        "被执行人欧阳某",
        "被执行人司马某某",
        "申请执行人冉某某等8人",
        "被执行人朱某、丽某拒不支付",
        "农民工冉某某和其他7个农民工",
        "被执行人某公司",
        "被执行人甲公司",
        "被执行人丁公司",
        "被执行人修文某公司联系法院",
        "某商店与刘某买卖合同纠纷",
        # role word followed by ordinary words
        "被执行人因拒不履行",
        "14 名被执行人于当日一次性履行",
        "被执行人与申请执行人达成分期履行和解协议",
        "农民工工资",
        "劳动者权益",
        "保障劳动者权益为一体",
        "避免了当事人讼累",
        "帮助当事人固定了关键证据",
        "被执行人名下",
        "被执行人家中",
        "被执行人一方",
        "被执行人到案",
        "被执行人当即履行",
        "被执行人主动联系",
        "被执行人拒不履行",
        "被执行人迟迟未履行",
        "被执行人均表示",
        "被执行人已履行",
        "被执行人等",
        "被执行人都",
        "被执行人也",
        "被执行人为",
        "被执行人将",
        "被执行人被拘留",
        "被执行人对",
        "被执行人向法院",
        "被执行人通过微信",
        "被执行人仍未履行",
        "被执行人未履行",
        "被执行人共",
        "被执行人各",
        "被执行人依法",
        "被执行人称",
        "被执行人表示",
        "告知当事人申请执行权力",
        "限制被执行人高消费",
        "查询被执行人银行账户",
        "冻结被执行人全部财产",
        "农民工讨薪",
        "农民工合法权益",
        "农民工安心过年",
        "农民工焦急等待",
        "农民工花名册",
        "劳动者安全",
        "申请人仲裁",
        "当事人和解",
        "当事人陈述",
        "当事人双方",
        "原告方律师认为",
        "被告方认为",
        "被告知拒不履行的后果",
        "向人民法院申请人民调解",
        "第三人民医院",
        "申请执行人安顺市某公司",
        "被执行人贵州某建筑公司",
        "农民工来到该院申请支持起诉",
        "被执行人张××",
        # officials and journalists are not after a role word
        "副院长韩峰一声令下",
        "本报记者●金丽",
        "记者金丽",
        "承办检察官将调解工作前移",
        "司法所所长张鑫昊告诉记者",
        "司法局局长姬智说",
        "呼市中院党组书记、院长赵希民表示",
        "（通讯员 杨柳）",
    ],
)
def test_role_name_not_found(text: str) -> None:
    assert scan_text(text) == []


# --------------------------------------------------------------------------- party names


@pytest.mark.parametrize(
    "name",
    [
        "张某",
        "覃某某",
        "丽某",
        "欧阳某",
        "司马某某",
        "冉某某等8人",
        "郭某某等8人",
        "郭某某等八人",
        "花某某等6人",
        "梁某等20名农民工",
        "梁某、万某某等20名农民工",
        "张某甲",
        "某公司",
        "修文某公司",
        "某村镇银行",
        "某建筑工地",
        "某鞋业加工厂",
        "某商店",
        "甲公司",
        "乙公司",
        "丁公司",
        "乙建筑公司",
        "19名农民工",
        "300余名农民工",
        "8名农民工",
        "10多名农民工",
        "两名工人",
        "其他7个农民工",
        "农民工",
        "  张某 ",
        "",
    ],
)
def test_party_name_ok(name: str) -> None:
    assert check_party_name(name, places={"修文"}) is None


@pytest.mark.parametrize(
    "name",
    [
        "张三",
        "张建国",
        "欧阳娜娜",
        "丁建国",
        "贵州鑫源建筑有限公司",
        "呼伦贝尔市鑫源商贸有限责任公司",
        "张×",
        "张某、李四",
        "王",
    ],
)
def test_party_name_finding(name: str) -> None:
    f = check_party_name(name)
    assert f is not None
    assert f.code in PARTY_CODES
    assert f.match == name
    assert (f.start, f.end) == (0, len(name))
    assert f.message == f"当事人名称“{name}”不是匿名形式"
    assert f.hint.startswith("写成“") and "privacy_reviewed" in f.hint


def test_party_name_offsets_ignore_surrounding_space() -> None:
    f = check_party_name("  张建国 ")
    assert f is not None
    assert (f.match, f.start, f.end) == ("张建国", 2, 5)


# --------------------------------------------------------------------------- seed articles


@pytest.mark.parametrize("text", [
    "本报记者●李亮", "本报记者 金丽", "通讯员：王涛", "执行局局长王建军介绍", "主审法官李娜说",
    "原告方律师认为", "张律师说", "场部经理李某高兴地说",
])
def test_press_wording_that_names_no_private_person_passes(text: str) -> None:
    assert scan_text(text) == []


@pytest.mark.parametrize(("text", "names"), [
    ("场部经理李翔飞高兴地说。", ["李翔飞"]),  # a company manager is a private person
    ("（金燕翔 贾舒钧 史文丽）", ["金燕翔", "贾舒钧", "史文丽"]),  # a byline belongs in sources[].author
    ("张建国拖欠工资", ["张建国"]),
])
def test_names_without_a_role_word_are_found(text: str, names: list[str]) -> None:
    assert [f.match for f in scan_text(text) if f.code == "privacy.person_name"] == names


# --------------------------------------------------------------------------- properties

role_words = st.sampled_from(ROLE_WORDS)
surnames = st.sampled_from(SURNAMES + COMPOUND)
anonymized = st.builds(
    lambda s, mou, group: s + mou + group,
    surnames,
    st.sampled_from(["某", "某某"]),
    st.sampled_from(["", "等8人", "等20名农民工", "等人"]),
)
tails = st.sampled_from(["", "。", "拒不履行。", "，", "支付了劳务费4865元。", "、"])


@given(role=role_words, name=anonymized, tail=tails)
def test_anonymized_name_after_role_word_is_never_a_finding(
    role: str, name: str, tail: str
) -> None:
    text = f"{role}{name}{tail}"
    assert scan_text(text) == []
    assert check_party_name(name) is None


@given(role=role_words, names=st.lists(anonymized, min_size=1, max_size=4))
def test_anonymized_enumeration_is_never_a_finding(role: str, names: list[str]) -> None:
    assert scan_text(role + "、".join(names) + "。") == []


# Province-level area codes actually in use.
PROVINCES = [
    "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
    "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
    "65",
]
births = st.dates(min_value=date(1900, 1, 1), max_value=date.today() - timedelta(days=1))
valid_ids = st.builds(
    lambda p, rest, birth, seq: make_id(p + rest, birth, seq),
    st.sampled_from(PROVINCES),
    st.from_regex(r"\A[0-9]{4}\Z"),
    births,
    st.integers(min_value=0, max_value=999),
)
prefixes = st.sampled_from(["", "身份证号", "身份证号：", "证件号码为", "张某（"])
suffixes = st.sampled_from(["", "。", "）", "，住某村", " "])


@given(number=valid_ids, before=prefixes, after=suffixes)
def test_valid_id_numbers_are_always_found(number: str, before: str, after: str) -> None:
    text = before + number + after
    found = scan_text(text)
    assert [(f.code, f.match) for f in found] == [("privacy.id_number", number)]
    assert found[0].start == len(before)


@given(number=valid_ids)
def test_id_with_any_other_check_digit_is_not_an_id(number: str) -> None:
    for other in "0123456789X":
        if other != number[-1]:
            assert "privacy.id_number" not in codes(number[:-1] + other)


@given(prefix=st.from_regex(r"\A62[0-9]{13,16}\Z"))
def test_luhn_valid_card_numbers_are_found(prefix: str) -> None:
    card = luhn_complete(prefix)
    found = scan_text(f"账号{card}。")
    if len(card) == 18 and is_resident_id(card):
        assert [f.code for f in found] == ["privacy.id_number"]
    else:
        assert [(f.code, f.match) for f in found] == [("privacy.bank_card", card)]


@settings(max_examples=300)
@given(text=st.text())
def test_scan_is_total_and_offsets_are_exact(text: str) -> None:
    found = scan_text(text)
    for f in found:
        assert f.code in CODES
        assert text[f.start:f.end] == f.match
        assert f.match
    spans = [(f.start, f.end) for f in found]
    assert spans == sorted(spans)
    for (_, e1), (s2, _) in itertools.pairwise(spans):
        assert e1 <= s2


@given(text=st.text(alphabet=st.sampled_from(list("被执行人申请原告张王李某等8、，。0123456789路号栋室"))))
def test_scan_handles_dense_chinese_text(text: str) -> None:
    for f in scan_text(text):
        assert text[f.start:f.end] == f.match


# =========================================================================== version 2

from fazhi.markup import find_html  # noqa: E402
from fazhi.privacy import (  # noqa: E402
    NAME_DETECTORS,
    OFFICE_TITLES,
    normalise,
    person_name_detector,
    place_names,
)

# --------------------------------------------------------------------------- normalisation


def test_normalise_folds_and_maps_back() -> None:
    text = "电话\u200b１３８\u30000013\u00ad8000，"
    norm = normalise(text)
    assert str(norm) == "电话138 00138000，"
    start = str(norm).index("138")
    assert norm.span(start, start + 12) == (text.index("１"), text.index("，"))


def test_normalise_leaves_plain_text_alone() -> None:
    for text in ("被执行人包某", "abc 123", "……“某公司”："):
        norm = normalise(text)
        assert str(norm) == text
        assert norm.span(0, len(text)) == (0, len(text))


def test_normalise_reads_chinese_numerals_only_in_long_runs() -> None:
    assert normalise("一三八零零一三八零零零") == "13800138000"
    assert normalise("幺三八〇〇幺三八〇〇〇") == "13800138000"
    assert normalise("第一百零九条、二〇二四年一月") == "第一百零九条、二〇二四年一月"
    assert normalise("三三两两") == "三三两两"


def test_normalise_expands_circled_numbers() -> None:
    text = "⑩⑪"
    norm = normalise(text)
    assert str(norm) == "1011"
    assert norm.span(2, 4) == (1, 2)


INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u180e", "\u202a"]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_invisible_character_inside_a_phone(mark: str) -> None:
    text = f"电话1380013{mark}8000。"
    found = scan_text(text)
    assert [(f.code, f.match) for f in found] == [("privacy.phone", f"1380013{mark}8000")]
    assert (found[0].start, found[0].end) == (2, 2 + 11 + 1)
    assert found[0].match in found[0].message


@pytest.mark.parametrize("mark", INVISIBLE)
def test_invisible_character_inside_an_id(mark: str) -> None:
    hidden = VALID_ID[:9] + mark + VALID_ID[9:]
    assert matches(f"身份证{hidden}", "privacy.id_number") == [hidden]


@pytest.mark.parametrize("mark", [*INVISIBLE, "\u3000", " ", "\u00a0", "\u2002"])
def test_invisible_character_or_space_inside_a_name(mark: str) -> None:
    assert matches(f"被执行人张{mark}建国拒不履行", "privacy.role_name") == [f"张{mark}建国"]


@pytest.mark.parametrize(
    "text, code",
    [
        ("1101-0119-9003-0745-14", "privacy.id_number"),
        ("110101 1990 0307 4514", "privacy.id_number"),
        ("110101.19900307.4514", "privacy.id_number"),
        ("1101 0119 9003 0745 14", "privacy.id_number"),
        ("11010 11990 03074 514", "privacy.id_number"),
        ("138.0013.8000", "privacy.phone"),
        ("138 0013 8000", "privacy.phone"),
        ("1380 013 8000", "privacy.phone"),
        ("138 - 0013 - 8000", "privacy.phone"),
        ("138–0013–8000", "privacy.phone"),  # en dashes
        ("138·0013·8000", "privacy.phone"),
        ("138\u30000013\u30008000", "privacy.phone"),
        ("一三八零零一三八零零零", "privacy.phone"),
        ("一三八〇〇一三八〇〇〇", "privacy.phone"),
        ("幺三八零零幺三八零零零", "privacy.phone"),
        ("一三八 零零一三 八零零零", "privacy.phone"),
        ("138零零13八000", "privacy.phone"),
        ("0471.6912345", "privacy.fixed_phone"),
        ("0471-691-2345", "privacy.fixed_phone"),
        ("一一零一零一一九九零零三零七四五一四", "privacy.id_number"),
        ("１３８．００１３．８０００", "privacy.phone"),
    ],
)
def test_formatting_does_not_hide_a_number(text: str, code: str) -> None:
    found = scan_text(f"联系：{text}。")
    assert [(f.code, f.match) for f in found] == [(code, text)]
    assert found[0].start == 3


# --------------------------------------------------------------------------- addresses (v2)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("家住新华嘎查18号", "新华嘎查18号"),
        ("住西屯5号", "西屯5号"),
        ("住幸福社区12号", "幸福社区12号"),
        ("家住胜利里5号", "胜利里5号"),
        ("住3栋502", "3栋502"),
        ("住12号楼502", "12号楼502"),
        ("住5号楼1单元301", "5号楼1单元301"),
        ("住3组12号", "3组12号"),
        ("家住五组12号", "五组12号"),
        ("住３栋５０２。", "３栋５０２"),
    ],
)
def test_address_forms_v2(text: str, expected: str) -> None:
    assert matches(text, "privacy.address") == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "共建成3栋楼",
        "建成12栋1500套住房",
        "这里5号开庭",
        "村里5号发放工资",
        "社区12号开展活动",
        "分为3组12号开始",
        "家住某嘎查18号",
        "住某社区12号",
    ],
)
def test_address_forms_v2_not_found(text: str) -> None:
    assert "privacy.address" not in codes(text)


# --------------------------------------------------------------------------- legitimate text


@pytest.mark.parametrize(
    "text",
    [
        "（2024）内0702执123号",
        "（2024）内0702执恢123号之一",
        "依据法释〔2016〕19号",
        "执行标的13800138000元",
        "依照《民事诉讼法》第一百零九条、第二百四十二条的规定",
        "拨打12368诉讼服务热线",
        "2024年1月14日",
        "2024-01-14",
        "2023.01.01-2024.12.31",
        "2023.1.15-2023.3.31",
        "2020年至2023年",
        "执结标的101.2万元，执行到位金额4865元",
        "追回欠薪30余万元",
        "见第12页第3节",
        "院长王建军带队",
        "副院长韩峰、执行法官李明、书记员王芳参与执行",
        "包工头刘某某拖欠工资",
        "员工工资、职工权益、工人师傅、股东会决议、证人证言、负责人表示",
        "法定代表人某某、实际控制人刘某",
        "被害人家属、受害人一方、罪犯改造、监护人责任",
        "上诉人不服，被上诉人答辩",
        "证人席上，员工张贴通知，工人包吃包住，员工包车返乡",
        "原文见 https://www.toutiao.com/article/7321234567890123456/",
    ],
)
def test_legitimate_text_passes(text: str) -> None:
    assert scan_text(text) == []


def test_luhn_valid_sixteen_digit_amount_stays_flagged() -> None:
    # A waiver covers the rare amount that happens to pass Luhn; a card is never let through.
    amount = luhn_complete("123456789012345")
    assert codes(f"涉案金额{amount}元") == ["privacy.bank_card"]


# --------------------------------------------------------------------------- role words (v2)

NEW_ROLE_WORDS = [
    "法定代表人", "负责人", "实际控制人", "股东", "债务人", "债权人", "被害人", "受害人", "证人",
    "代理人", "委托代理人", "监护人", "罪犯", "上诉人", "被上诉人", "被申请人", "包工头", "工人",
    "职工", "员工",
]


@pytest.mark.parametrize("role", NEW_ROLE_WORDS)
def test_new_role_word_with_full_name(role: str) -> None:
    found = scan_text(f"{role}张建国拒不履行")
    assert [(f.code, f.match) for f in found] == [("privacy.role_name", "张建国")]
    assert f"“{role}”" in found[0].message


@pytest.mark.parametrize("role", NEW_ROLE_WORDS)
def test_new_role_word_with_anonymized_name(role: str) -> None:
    assert scan_text(f"{role}张某某拒不履行") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("被执行人：张建国", "张建国"),
        ("法定代表人张建国", "张建国"),
        ("证人李明", "李明"),
        ("债务人王小二", "王小二"),
        ("被执行人张建国", "张建国"),
    ],
)
def test_role_word_examples_v2(text: str, expected: str) -> None:
    assert matches(text, "privacy.role_name") == [expected]


def test_office_titles_are_documented() -> None:
    assert {"院长", "法官", "执行法官", "检察官", "人民调解员", "记者", "通讯员"} <= set(OFFICE_TITLES)
    assert "律师" not in OFFICE_TITLES


# --------------------------------------------------------------------------- names switched off


def test_names_off_still_finds_numbers() -> None:
    text = "金丽 13800138000 jin@example.com 被执行人张建国"
    assert [f.code for f in scan_text(text, names=False)] == ["privacy.phone", "privacy.email"]
    assert "privacy.role_name" in codes(text)


def test_person_name_detector_adapter_maps_offsets() -> None:
    def recogniser(text: str) -> list[tuple[int, int]]:
        start = text.find("张建国")
        return [(start, start + 3)] if start >= 0 else []

    detect = person_name_detector(recogniser)
    text = "今天\u200b张\u200b建国拖欠工资"
    norm = normalise(text)
    (f,) = detect(text, norm)
    assert (f.code, f.match, f.start, f.end) == ("privacy.person_name", "张\u200b建国", 3, 7)
    assert "张\u200b建国" in f.message
    assert detect is not NAME_DETECTORS[0]


def test_name_detector_list_is_open_for_the_recogniser(monkeypatch: pytest.MonkeyPatch) -> None:
    detect = person_name_detector(lambda text: [(0, 3)] if text.startswith("张建国") else [])
    monkeypatch.setattr("fazhi.privacy.NAME_DETECTORS", [*NAME_DETECTORS, detect])
    assert [(f.code, f.match) for f in scan_text("张建国拖欠工资")] == [("privacy.person_name", "张建国")]
    assert scan_text("张建国拖欠工资", names=False) == []


# --------------------------------------------------------------------------- party grammar (v2)


@pytest.mark.parametrize(
    "name, hint",
    [
        ("某张建国", "写成“张某”或“张某某”"),
        ("张建国某", "写成“张某”或“张某某”"),
        ("张某（张建国）", "删去括号及其中的内容，写成“张某”或“张某某”"),
        ("张某(张建国)", "删去括号及其中的内容，写成“张某”或“张某某”"),
        ("某公司（法定代表人张建国）", "删去括号及其中的内容，写成“某公司”或“地名+某公司”"),
        ("张建国", "写成“张某”或“张某某”"),
        ("欧阳娜娜", "写成“欧阳某”或“欧阳某某”"),
        ("贵州鑫源建筑有限公司", "写成“某公司”或“地名+某公司”"),
        ("张某、李四", "写成“李某”或“李某某”"),
        ("张建国等8人", "写成“张某”或“张某某”"),
        ("某某", "写成“张某”“张某某”“某公司”或“19名农民工”"),
        ("张\u200b建国", "写成“张某”或“张某某”"),
        ("张建国公司某", "写成“某公司”或“地名+某公司”"),
        ("3名张建国", ""),
        ("张某13800138000", ""),
    ],
)
def test_party_evasions(name: str, hint: str) -> None:
    f = check_party_name(name)
    assert f is not None and f.code in PARTY_CODES and f.match == name
    assert f.hint.startswith(hint)


@pytest.mark.parametrize(
    "name",
    ["冉某某等8人", "梁某等20名农民工", "梁某、万某某等20名农民工", "张某等人", "欧阳某某", "诸葛某",
     "某公司", "某村镇银行", "某建筑公司", "某建设单位", "甲公司", "乙公司", "安顺市某公司",
     "贵州某建筑公司", "贵州省贵阳市某公司", "19名农民工", "300余名农民工", "农民工", "部分村民",
     "张某，李某某", "（张某）"[1:-1], "张\u200b某"],
)
def test_party_forms_accepted(name: str) -> None:
    assert check_party_name(name) is None


def test_party_place_prefix_needs_a_known_place() -> None:
    assert check_party_name("修文某公司") is not None
    assert check_party_name("修文某公司", places=place_names(["贵州省/贵阳市/修文县"])) is None
    assert check_party_name("张建某公司", places=place_names(["贵州省/贵阳市/修文县"])) is not None


def test_place_names_from_regions() -> None:
    assert place_names(["贵州省/贵阳市/修文县", "内蒙古自治区/呼伦贝尔市/海拉尔区"]) >= {
        "贵州省", "贵州", "贵阳市", "贵阳", "修文县", "修文", "内蒙古", "呼伦贝尔", "海拉尔区", "海拉尔"}


# --------------------------------------------------------------------------- HTML (rule 9)


@pytest.mark.parametrize(
    "text, start, tag",
    [
        ("正文<script>alert(1)</script>", 2, "<script>"),
        ("正文<script src=x.js", 2, "<script"),
        ("<style>p{color:red}", 0, "<style>"),
        ("第一段<div>", 3, "<div>"),
        ("第一段<div class=\"x\">", 3, "<div class=\"x\">"),
        ("<p>第一段", 0, "<p>"),
        ("<details>\n<summary>更多</summary>", 0, "<details>"),
        ("说明<!-- 注释", 2, "<!--"),
        ("第一行<br/>第二行", 3, "<br/>"),
        ("第一行<br>第二行", 3, "<br>"),
        ("</div>", 0, "</div>"),
        ("<?php echo 1;", 0, "<?php"),
        ("<!DOCTYPE html>", 0, "<!DOCTYPE html>"),
        ("<SCRIPT>", 0, "<SCRIPT>"),
    ],
)
def test_html_found(text: str, start: int, tag: str) -> None:
    found = find_html(text)
    assert (found[0].start, found[0].text) == (start, tag)
    assert text[found[0].start:found[0].end] == tag


@pytest.mark.parametrize(
    "text",
    ["见 <https://www.court.gov.cn/a.html>", "<mailto:info@example.com>", "<info@example.com>",
     "a < b", "<5万元", "标的额<5万元", "x<y的值", "1</2", "＜script＞", "→ <- ←", "<<重要>>", ""],
)
def test_html_not_found(text: str) -> None:
    assert find_html(text) == []


def test_every_html_tag_is_listed() -> None:
    assert [t.text for t in find_html("<p>一</p><p>二")] == ["<p>", "</p>", "<p>"]
