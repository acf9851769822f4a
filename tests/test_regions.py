"""Region page addresses: readable pinyin paths, one folder per level, collisions told apart."""

from __future__ import annotations

import re

from fazhi.models import ADDRESS_PART
from fazhi.render.address import RegionAddresses, region_slug


def test_region_paths_read_as_pinyin() -> None:
    assert region_slug("内蒙古自治区") == "neimenggu-zizhiqu"
    assert region_slug("内蒙古自治区/呼伦贝尔市/海拉尔区") == "neimenggu-zizhiqu/hulunbeier-shi/hailaer-qu"
    assert region_slug("内蒙古自治区/呼伦贝尔市/鄂温克族自治旗") == (
        "neimenggu-zizhiqu/hulunbeier-shi/ewenkezu-zizhiqi")
    assert region_slug("贵州省/黔南布依族苗族自治州/荔波县") == (
        "guizhou-sheng/qiannanbuyizumiaozu-zizhizhou/libo-xian")
    assert region_slug("重庆市") == "chongqing-shi"  # a polyphonic character read in its word
    assert region_slug("香港特别行政区") == "xianggang-tebiexingzhengqu"


def test_every_level_is_a_page_name() -> None:
    for path in ("大兴安岭地区", "A区", "某某", "市", "Ⅳ号区/１２３"):
        for level in region_slug(path).split("/"):
            assert re.fullmatch(ADDRESS_PART, level), (path, level)


def test_a_name_without_pinyin_falls_back_to_a_hash() -> None:
    assert re.fullmatch(r"r-[0-9a-f]{10}", region_slug("ⅠⅡ"))


def test_same_pinyin_siblings_are_numbered_in_name_order() -> None:
    paths = ["陕西省/西安市", "山西省/太原市", "贵州省"]
    addresses = RegionAddresses(paths)
    assert addresses.slug("山西省") == "shanxi-sheng"  # 山 (U+5C71) sorts before 陕 (U+9655)
    assert addresses.slug("陕西省") == "shanxi-sheng-2"
    assert addresses.slug("陕西省/西安市") == "shanxi-sheng-2/xian-shi"
    assert addresses.slug("山西省/太原市") == "shanxi-sheng/taiyuan-shi"
    assert addresses.region("陕西省", "陕西省").path == "regions/shanxi-sheng-2.md"
    assert addresses.region("陕西省/西安市", "西安市").url == "regions/shanxi-sheng-2/xian-shi/"
    # The order the paths come in does not matter.
    assert RegionAddresses(reversed(paths)).slug("陕西省") == "shanxi-sheng-2"


def test_collisions_are_only_among_siblings() -> None:
    addresses = RegionAddresses(["甲省/长安县", "乙省/长安县"])
    assert addresses.slug("甲省/长安县") == "jia-sheng/changan-xian"
    assert addresses.slug("乙省/长安县") == "yi-sheng/changan-xian"


def test_three_siblings_that_read_the_same() -> None:
    addresses = RegionAddresses(["某省/陕西县", "某省/闪西县", "某省/山西县"])
    # 山 (U+5C71) < 闪 (U+95EA) < 陕 (U+9655)
    assert [addresses.slug(f"某省/{name}") for name in ("山西县", "闪西县", "陕西县")] == [
        "mou-sheng/shanxi-xian", "mou-sheng/shanxi-xian-2", "mou-sheng/shanxi-xian-3"]


def test_regions_above_are_added() -> None:
    addresses = RegionAddresses(["内蒙古自治区/呼伦贝尔市/海拉尔区"])
    assert addresses.slug("内蒙古自治区/呼伦贝尔市") == "neimenggu-zizhiqu/hulunbeier-shi"
