"""Generate a synthetic, valid fazhi data set for benchmarks.

Usage::

    python -m bench.generate --cases 1000 --campaigns 100 --out /tmp/fazhi-bench/data-1000

The output follows the record format (`fazhi/models.py`; the staff guide's 记录格式说明 page) and passes
``python build_stats.py --data <out> check``: registries of courts, procuratorates and justice
bureaus in several provinces, cities and counties; nested campaigns (``part_of``) whose exact
figures are never below the sum of their published cases (rule 7); cases with ~1.5 KB of
sections built from a vocabulary of legal phrases; parties only in anonymized form (张某,
某公司). The same arguments and seed always give byte-identical files.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

__all__ = ["Summary", "generate", "main"]

DEFAULT_SEED = 20240114

# --- vocabulary -----------------------------------------------------------------------------

PROVINCES: list[tuple[str, str, str]] = [
    # (name, slug prefix, county word)
    ("内蒙古自治区", "nm", "旗"),
    ("贵州省", "gz", "县"),
    ("河南省", "ha", "县"),
    ("山东省", "sd", "县"),
    ("四川省", "sc", "县"),
    ("浙江省", "zj", "区"),
]
_PLACE_FIRST = "安清平宁泰丰永兴长宜恒庆和昌盛华东西南北云江河山阳明新定乐福金石玉青白龙凤松桃临嘉"
_PLACE_SECOND = "远源川林阳宁安城江原德平山丰泉水溪岭峰河桥台湖谷乡"

SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋"
            "杜叶程魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙"
            "黎史陶贺毛郝顾龚邵覃武钱戴严莫孔向常汤康易乔赖文施洪冉包")
INDUSTRIES = ["建筑", "劳务", "建设工程", "物流", "商贸", "餐饮", "装饰", "机械租赁", "农业开发",
              "房地产开发", "运输", "食品", "服装", "汽车销售", "矿业", "物业管理"]
COMPANY_FORMS = ["公司", "有限公司", "有限责任公司"]
CAUSES = ["劳务合同纠纷", "追索劳动报酬纠纷", "买卖合同纠纷", "民间借贷纠纷", "机动车交通事故责任纠纷",
          "建设工程施工合同纠纷", "租赁合同纠纷", "金融借款合同纠纷", "承揽合同纠纷", "劳动争议",
          "提供劳务者受害责任纠纷", "服务合同纠纷"]
MEASURES = ["拘传", "拘留", "罚款", "限制高消费", "纳入失信", "查封", "冻结", "扣押", "支付令",
            "司法确认", "网络查控", "悬赏执行"]
PROJECTS = ["住宅楼建设工程", "乡村道路硬化工程", "安置房项目", "厂房改造工程", "学校教学楼工程",
            "农田水利工程", "商业综合体项目", "污水管网工程", "光伏电站项目", "桥梁维修工程"]
CAMPAIGN_NAMES: list[tuple[str, str]] = [
    ("新春暖薪", "xinchun"), ("护薪", "huxin"), ("清欠", "qingqian"), ("利剑", "lijian"),
    ("雷霆", "leiting"), ("春雷", "chunlei"), ("夏日攻坚", "xiari"), ("金秋执行", "jinqiu"),
    ("百日攻坚", "bairi"), ("安薪护航", "anxin"), ("涉企护航", "sheqi"), ("民生执行", "minsheng"),
    ("执行攻坚", "gongjian"), ("冬日暖阳", "dongri"), ("法援惠民生", "fayuan"), ("检护民生", "jianhu"),
    ("亮剑", "liangjian"), ("秋风", "qiufeng"), ("暖心护企", "nuanxin"), ("云端执行", "yunduan"),
]
TOPICS: list[tuple[str, str, str]] = [
    ("根治欠薪", "wage-arrears", "依法帮助劳动者特别是农民工追回被拖欠的劳动报酬。"),
    ("涉企执行", "enterprise-enforcement", "以企业为当事人的执行案件，兼顾兑现胜诉权益和企业正常经营。"),
    ("涉民生执行", "livelihood-enforcement", "涉及劳动报酬、赔偿金、小额欠款等群众切身利益的执行案件。"),
    ("涉金融执行", "finance-enforcement", "金融借款、信用卡等金融纠纷的执行案件。"),
    ("支持起诉", "supported-litigation", "检察机关依法支持难以自行维权的群体提起民事诉讼。"),
    ("多元解纷", "diversified-dispute-resolution", "通过人民调解、诉前调解、司法确认等途径协同化解纠纷。"),
    ("诉源治理", "litigation-source-governance", "在纠纷进入诉讼之前预防和化解矛盾。"),
    ("未成年人保护", "minors", "依法保护未成年人的合法权益。"),
    ("普法宣传", "legal-publicity", "面向群众的法治宣传教育。"),
    ("法律援助", "legal-aid", "为经济困难和特殊案件当事人提供无偿法律服务。"),
]
METRICS: list[tuple[str, str, str, str, str]] = [
    # (name, slug, kind, unit, description)
    ("出动干警", "officers-deployed", "count", "人", "集中行动中出动的干警人数。"),
    ("拘传", "persons-summoned", "count", "人", "依法被拘传到案的被执行人人数。"),
    ("拘留", "persons-detained", "count", "人", "因拒不履行义务被司法拘留的人数。"),
    ("执结案件", "cases-closed", "count", "件", "以任何方式结案的执行案件数。"),
    ("执结标的", "closed-case-amount", "money", "元", "已执结案件的申请执行标的金额合计。"),
    ("执行到位金额", "amount-realised", "money", "元", "通过执行实际支付给申请执行人的金额。"),
    ("涉案标的", "amount-in-dispute", "money", "元", "案件所涉争议或生效法律文书确定应付的金额。"),
    ("化解纠纷", "disputes-resolved", "count", "件", "经调解等非诉讼方式化解的矛盾纠纷件数。"),
    ("支持起诉案件", "supported-suits", "count", "件", "检察机关办理的民事支持起诉案件数。"),
    ("追回欠薪", "wages-recovered", "money", "元", "帮助劳动者实际拿回的被拖欠劳动报酬金额。"),
    ("帮助劳动者", "workers-helped", "count", "人", "获得帮助追索劳动报酬的劳动者人数。"),
    ("法治宣讲", "legal-talks", "count", "次", "面向群众开展的法治宣讲活动次数。"),
    ("司法确认案件", "judicial-confirmations", "count", "件", "法院对调解协议进行司法确认的案件数。"),
    ("法律援助案件", "legal-aid-cases", "count", "件", "法律援助机构办理的案件数。"),
]
_METRIC_KIND = {name: kind for name, _, kind, _, _ in METRICS}
_COUNT_UNIT = {name: unit for name, _, _, unit, _ in METRICS}
_UNIT_VARIANTS = {"件": ["件", "起"], "人": ["人", "名"], "次": ["次"]}
PUBLISHERS = ["法治日报", "人民法院报", "检察日报", "法治报", "中国长安网", "民主与法制时报"]
JOURNALISTS = ["金丽", "王敏", "李娜", "张伟", "刘洋", "陈静", "赵磊", "孙悦", "周涛", "吴霞"]
DISPUTE_KINDS = ["劳资纠纷", "合同纠纷", "婚姻家庭纠纷", "邻里纠纷", "土地纠纷", "其他纠纷"]

# Sentences, by section and procedure family. Slots: {a} applicant or worker, {b} the party
# that owes, {n} a number of workers, {amt} an amount, {agency} the agency, {court} a court,
# {place} a county, {cause}, {measure}, {date}, {campaign}, {project}, {staff}.
FACTS = {
    "执行": [
        "{a}与{b}{cause}一案，经{court}审理，判决{b}向{a}支付款项{amt}。判决生效后，{b}未按期履行，{a}向法院申请强制执行。",
        "{b}承包{place}某{project}后，将部分劳务分包给{a}带领的施工班组。工程完工后，{b}以资金周转困难为由拖欠劳务费{amt}，{a}多次催要未果。",
        "执行立案后，执行干警通过网络查控系统查询发现，{b}名下银行账户余额不足，无可供执行的不动产，但其经营的门店仍在正常营业。",
        "{a}等{n}名农民工在{b}承建的项目上务工，工程结束后{b}一直未结清工资，累计拖欠{amt}。临近春节，农民工们多次讨薪无果，生活陷入困难。",
        "本案涉及的款项虽然不多，却是{a}一家的主要收入来源。{b}在收到执行通知书和报告财产令后，既不履行义务，也不如实申报财产。",
        "双方曾在诉讼中达成调解协议，约定{b}分三期向{a}支付款项共计{amt}，但{b}仅支付第一期后便不再履行，{a}遂申请强制执行。",
        "{b}系当地一家经营多年的企业，受市场环境影响一度资金紧张，名下多个账户被冻结，生产经营面临停滞风险。",
    ],
    "审判": [
        "{a}与{b}签订合同后，{b}未按约定支付款项{amt}，{a}多次催收无果，遂以{cause}为由诉至{court}。",
        "{a}在{b}处从事装卸工作，双方未签订书面劳动合同。{b}以经营亏损为由拖欠工资{amt}，{a}诉至法院。",
        "{a}驾驶电动自行车与{b}驾驶的小型货车发生碰撞，造成{a}受伤。双方就赔偿数额协商不成，{a}诉至法院，请求赔偿各项损失{amt}。",
        "案件受理后，承办法官梳理发现，双方对欠款事实并无争议，分歧主要在于还款期限和违约金的计算方式。",
    ],
    "支持起诉": [
        "{a}等{n}名农民工在{b}承包的{project}中务工，工程结束后{b}拖欠工资共计{amt}。务工人员多次讨要未果后，向{agency}申请支持起诉。",
        "经审查，{a}等人文化程度不高，缺乏诉讼能力，证据收集困难，且多为家庭主要劳动力，符合支持起诉的条件。",
        "{b}中标{place}某{project}后，将劳务部分交由不具备用工主体资格的个人承包，导致{n}名务工人员的工资{amt}无人支付。",
    ],
    "调解": [
        "{a}在{b}处务工期间受伤，双方就赔偿问题协商未果，矛盾逐步激化，{a}向当地调解组织求助。",
        "{a}与{b}因{cause}产生争议，涉及款项{amt}。双方此前多次协商，始终未能达成一致。",
        "纠纷发生后，{a}情绪激动，多次表示要到有关部门上访，矛盾存在进一步升级的风险。",
    ],
}
FACTS["法律援助"] = FACTS["调解"] + [
    "{a}系外出务工人员，家庭经济困难。在{b}处工作期间，{b}拖欠其工资{amt}，{a}向{agency}申请法律援助。",
]
FACTS["检察监督"] = [
    *FACTS["执行"][:3],
    "{agency}在履职中发现，{b}名下财产已被查封多年，案件却迟迟未能执结，{a}的胜诉权益长期得不到兑现。",
]
FACTS["其他"] = FACTS["调解"]

PROCESS = {
    "执行": [
        "执行干警先后三次前往{b}的经营场所送达法律文书，释明拒不履行的法律后果，{b}仍以各种理由推脱。",
        "{date}，{agency}开展{campaign}，执行干警依法对{b}采取{measure}措施。",
        "在法院{measure}措施的强大震慑下，{b}主动联系执行干警，表示愿意履行义务。",
        "承办法官综合考虑{b}的经营状况，没有简单一查了之，而是多次组织双方沟通，最终促成双方达成执行和解协议，约定分期履行。",
        "执行干警通过网络查控系统冻结{b}名下银行存款，并对其名下一辆小型轿车予以查封。",
        "在执行干警的耐心释法下，{b}当场通过银行转账支付{amt}，案件执行完毕。",
        "考虑到申请执行人多为务工人员，法院开辟绿色通道，做到当日立案、当日查控、当日发放案款。",
        "对拒不履行的{b}，法院依法将其纳入失信被执行人名单，并限制高消费。",
        "执行过程中，法官主动联系{place}人民调解委员会参与协调，邀请村干部共同做{b}的工作。",
        "为避免对企业经营造成过大影响，法院依法解除对{b}部分账户的冻结，允许其以经营收入分期还款。",
    ],
    "审判": [
        "立案后，承办法官第一时间联系双方，组织诉前调解，耐心释法说理，引导双方换位思考。",
        "庭审中，法官围绕争议焦点组织双方举证质证，查明{b}确实存在拖欠款项的事实。",
        "法院经审理认为，双方之间的合同合法有效，{b}应当依约履行付款义务，遂依法作出判决，判令{b}支付{amt}。",
        "在法官主持下，双方当庭达成调解协议，{b}当场支付首期款项，其余款项约定在三个月内付清。",
        "判决生效后，法官通过电话回访督促{b}自动履行，{b}于十日内付清全部款项。",
    ],
    "支持起诉": [
        "检察官走访工地，调取考勤表、工资表等证据材料，并向劳动监察部门了解情况。",
        "{agency}依法向{court}发出支持起诉意见书，支持农民工向法院提起诉讼。",
        "庭审中，检察官出庭宣读支持起诉意见书，阐明支持起诉的事实和法律依据。",
        "在检察机关和法院的共同努力下，双方当庭达成调解协议，{b}当场支付拖欠的工资{amt}。",
        "检察机关同步开展释法说理，引导务工人员理性维权，并就用工管理中的漏洞向有关部门制发检察建议。",
    ],
    "调解": [
        "{place}人民调解委员会受理后，调解员多次组织双方面对面协商，最终促成双方达成调解协议。",
        "调解员{staff}实地走访了解情况，结合法律规定和当地习惯，为双方算清赔偿账。",
        "调解协议达成后，调解员引导双方向{court}申请司法确认，法院当日即出具司法确认裁定书。",
        "{b}当场支付赔偿款{amt}，双方握手言和，一起纠纷得以在基层就地化解。",
    ],
}
PROCESS["法律援助"] = PROCESS["调解"] + [
    "{agency}当日受理，指派法律援助律师{staff}承办。律师收集证据后，代理{a}申请劳动仲裁。",
    "在法律援助律师的帮助下，仲裁委员会裁决{b}支付拖欠工资{amt}，{b}在裁决生效后如数支付。",
]
PROCESS["检察监督"] = [
    *PROCESS["执行"][:4],
    "{agency}依法向法院制发检察建议，建议依法处置被查封财产，推动案件执结。",
]
PROCESS["其他"] = PROCESS["调解"]

MEANING = [
    "农民工工资是农民工及其家庭的基本生活保障。本案中，办案机关综合运用多种措施，及时兑现了胜诉权益，体现了司法为民的初心。",
    "涉企执行案件既要依法保障胜诉一方的合法权益，也要最大限度减少对企业正常经营的影响。本案通过执行和解、分期履行的方式，实现了双赢。",
    "本案是{agency}践行“如我在诉”理念、推进诉源治理的生动实践，对类似纠纷的化解具有示范作用。",
    "检察机关通过支持起诉，帮助弱势群体依法维权，有效破解了农民工“不敢诉、不会诉”的难题。",
    "司法确认程序赋予调解协议强制执行力，降低了群众的维权成本，实现了纠纷的源头化解。",
    "对有能力履行而拒不履行的，依法采取{measure}等强制措施，彰显了司法权威，也教育引导社会公众自觉履行生效法律文书。",
    "小案件连着大民生。办案机关坚持把每一起案件当作自己的事来办，让群众在每一个司法案件中感受到公平正义。",
    "本案的办理体现了善意文明执行理念，在依法惩戒失信行为的同时，为确有困难的企业留出了喘息空间。",
    "通过法律援助，困难群众不花一分钱就打赢了官司，法律援助的兜底保障作用得到充分发挥。",
]
STAFF_ACTS = ["第一时间", "多次", "耐心", "依法", "主动", "连夜", "迅速", "反复"]
STAFF_WORK = ["走访了解情况", "调取银行流水", "核实财产线索", "释法说理", "查询不动产登记信息",
              "开展网络查控", "组织双方协商", "制作调查笔录", "核对工资清单", "联系用工单位负责人"]
STAFF_ENDS = ["，掌握了关键情况。", "，推动案件取得进展。", "，为案件办理打下基础。", "，案件很快有了转机。"]
STAFF_WHO = ["执行干警", "承办法官", "办案人员", "检察官", "调解员"]

TITLE_DEBTS = ["拖欠劳务费", "拒付工资", "欠款不还", "拖欠货款", "拒不履行判决", "拖欠租金"]
TITLE_RESULTS = ["当日转账履行", "主动结清欠款", "一次性履行完毕", "达成分期履行协议", "终于付清"]

PROCEDURE_AGENCY = {"执行": "court", "审判": "court", "支持起诉": "procuratorate",
                    "检察监督": "procuratorate", "调解": "justice", "法律援助": "justice",
                    "其他": "justice"}
PROCEDURE_OUTCOMES = {
    "执行": ["执行完毕", "执行完毕", "执行和解", "分期履行", "终结本次执行"],
    "审判": ["判决", "调解结案", "撤诉"],
    "支持起诉": ["支持起诉", "调解结案", "判决"],
    "检察监督": ["执行完毕", "其他"],
    "调解": ["调解结案"],
    "法律援助": ["调解结案", "判决", "其他"],
    "其他": ["其他"],
}
PROCEDURE_WEIGHTS = [("执行", 55), ("审判", 10), ("支持起诉", 12), ("检察监督", 3), ("调解", 10),
                     ("法律援助", 8), ("其他", 2)]
PROCEDURE_ROLES = {
    "执行": ("申请执行人", "被执行人"), "检察监督": ("申请执行人", "被执行人"),
    "审判": ("原告", "被告"), "支持起诉": ("原告", "被告"),
    "调解": ("申请人", "被申请人"), "法律援助": ("申请人", "被申请人"), "其他": ("申请人", "被申请人"),
}
PROCEDURE_TOPICS = {
    "执行": ["根治欠薪", "涉企执行", "涉民生执行", "涉金融执行"],
    "检察监督": ["涉民生执行", "涉企执行"],
    "审判": ["诉源治理", "多元解纷", "涉民生执行"],
    "支持起诉": ["支持起诉", "根治欠薪"],
    "调解": ["多元解纷", "诉源治理"],
    "法律援助": ["法律援助", "根治欠薪"],
    "其他": ["普法宣传", "未成年人保护", "多元解纷"],
}
AGENCY_KIND = {"court": "法院", "procuratorate": "检察院", "justice": "司法行政"}
AGENCY_SHORT = {"court": "法院", "procuratorate": "检察院", "justice": "司法局"}
HOTLINE = "0471-6661234"


# --- registries -----------------------------------------------------------------------------


@dataclass
class Agency:
    """An agency in the generated registry."""

    name: str
    aliases: list[str]
    kind: str  # court | procuratorate | justice
    region: str
    slug: str
    place: str  # the county or city, for text
    province: int
    city: int


@dataclass
class Place:
    """A city with its counties and agencies."""

    province: int
    name: str
    counties: list[str]
    agencies: list[Agency] = field(default_factory=list)


def _unique_names(rng: random.Random, count: int, suffix: str, used: set[str]) -> list[str]:
    names = []
    while len(names) < count:
        name = rng.choice(_PLACE_FIRST) + rng.choice(_PLACE_SECOND)
        if name in used:
            continue
        used.add(name)
        names.append(name + suffix)
    return names


def _registry(rng: random.Random, cities: int, counties: int) -> tuple[list[Agency], list[Place]]:
    agencies: list[Agency] = []
    places: list[Place] = []
    used: set[str] = set()
    for p, (province, code, county_word) in enumerate(PROVINCES):
        agencies += [
            Agency(f"{province}高级人民法院", [f"{province[:2]}高院"], "court", province,
                   f"{code}-high-court", province, p, -1),
            Agency(f"{province}人民检察院", [f"{province[:2]}省检察院"], "procuratorate", province,
                   f"{code}-procuratorate", province, p, -1),
            Agency(f"{province}司法厅", [], "justice", province, f"{code}-justice", province, p, -1),
        ]
        for c, city in enumerate(_unique_names(rng, cities, "市", used)):
            region = f"{province}/{city}"
            place = Place(p, city, _unique_names(rng, counties, county_word, used))
            place.agencies += [
                Agency(f"{city}中级人民法院", [f"{city[:-1]}中院"], "court", region,
                       f"{code}-c{c}-court", city, p, c),
                Agency(f"{city}人民检察院", [f"{city[:-1]}市检察院"], "procuratorate", region,
                       f"{code}-c{c}-procuratorate", city, p, c),
                Agency(f"{city}司法局", [], "justice", region, f"{code}-c{c}-justice", city, p, c),
            ]
            for x, county in enumerate(place.counties):
                short = county[:-1]
                place.agencies += [
                    Agency(f"{city}{county}人民法院", [f"{county}人民法院", f"{short}法院"], "court",
                           f"{region}/{county}", f"{code}-c{c}-x{x}-court", county, p, c),
                    Agency(f"{city}{county}人民检察院", [f"{county}人民检察院", f"{short}检察院"],
                           "procuratorate", f"{region}/{county}", f"{code}-c{c}-x{x}-procuratorate",
                           county, p, c),
                    Agency(f"{county}司法局", [f"{short}司法局"], "justice", f"{region}/{county}",
                           f"{code}-c{c}-x{x}-justice", county, p, c),
                ]
            agencies += place.agencies
            places.append(place)
    return agencies, places


# --- values ---------------------------------------------------------------------------------


def _money_amount(rng: random.Random, low: int = 2000, high: int = 2_000_000) -> int:
    """A plausible amount in yuan, log-uniform between `low` and `high`."""
    value = int(low * (high / low) ** rng.random())
    if rng.random() < 0.5:
        value = max(100, value // 100 * 100)
    return value


def _money_text(amount: int, rng: random.Random) -> str | int:
    """An exact amount as the press writes it: 4865, 4865元 or 101.2万元."""
    if amount >= 10000 and amount % 100 == 0 and rng.random() < 0.8:
        wan = Decimal(amount) / 10000
        return f"{wan.normalize():f}万元"
    return amount if rng.random() < 0.3 else f"{amount}元"


def _count_text(value: int, unit: str, rng: random.Random) -> str | int:
    if rng.random() < 0.3:
        return value
    return f"{value}{rng.choice(_UNIT_VARIANTS.get(unit, [unit]))}"


def _approx_money(amount: int, rng: random.Random) -> str:
    """An approximation that is true of `amount`: 8万余元, 近30万元, 约5万元, 800多万元."""
    marker = rng.choice(["余", "余", "多", "近", "约"])
    if amount >= 100_000:
        wan = amount // 10000
        if marker == "近":
            return f"近{wan + 1}万元"
        if marker == "约":
            return f"约{round(amount / 10000)}万元"
        return f"{wan}万{marker}元" if wan % 10 else f"{wan}{marker}万元"
    thousands = amount // 1000 * 1000
    if marker == "近":
        return f"近{thousands + 1000}元"
    if marker == "约":
        return f"约{round(amount, -3)}元"
    return f"{max(thousands, 1000)}{marker}元" if amount >= 1000 else f"{amount}元"


def _approx_count(value: int, unit: str) -> str:
    if value < 20:
        return f"{value}{unit}"
    return f"{value // 10 * 10}余{unit}"


def _yuan_text(amount: int) -> str:
    """An amount for running text: 4865元 or 4.86万元-style when it is a round figure."""
    if amount >= 10000 and amount % 100 == 0:
        return f"{(Decimal(amount) / 10000).normalize():f}万元"
    return f"{amount}元"


# --- YAML writing ---------------------------------------------------------------------------

_PLAIN_UNSAFE = re.compile(r"^[\s\-?:,\[\]{}#&*!|>'\"%@`]|: | #|\s$|^(?:[0-9.+]+|true|false|yes|no|on|off|null|~)$",
                           re.IGNORECASE)


def _scalar(value: object) -> str:
    """A YAML scalar: plain when that reads back as the same string, else double-quoted."""
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if not text or _PLAIN_UNSAFE.search(text) or "\n" in text:
        return json.dumps(text, ensure_ascii=False)
    return text


def _flow_list(items: Sequence[str]) -> str:
    for item in items:
        if any(ch in item for ch in ",[]{}:#") or not item:
            raise ValueError(f"cannot write {item!r} in a flow list")
    return "[" + ", ".join(items) + "]"


def _block(text: str, indent: int) -> str:
    pad = " " * indent
    lines = [pad + line if line else "" for line in text.rstrip("\n").split("\n")]
    return "|\n" + "\n".join(lines) + "\n"


def _write_metrics(out: list[str], metrics: dict[str, object]) -> None:
    if not metrics:
        return
    out.append("metrics:\n")
    for name, value in metrics.items():
        if isinstance(value, dict):
            parts = ", ".join(f"{k}: {_scalar(v)}" for k, v in value["parts"].items())
            out.append(f"  {name}:\n    total: {_scalar(value['total'])}\n    parts: {{{parts}}}\n")
            if value.get("complete"):
                out.append("    complete: true\n")
        else:
            out.append(f"  {name}: {_scalar(value)}\n")


def _write_sources(out: list[str], sources: list[dict[str, str]]) -> None:
    out.append("sources:\n")
    for source in sources:
        first = True
        for key in ("title", "publisher", "author", "date", "url"):
            if key in source:
                out.append(f"{'  - ' if first else '    '}{key}: {_scalar(source[key])}\n")
                first = False


# --- records --------------------------------------------------------------------------------


@dataclass
class CampaignPlan:
    """A campaign before it is written: figures are filled in after its cases exist."""

    id: str
    title: str
    kind: str
    agencies: list[Agency]
    region: str | None
    start: date
    end: date | None
    start_text: str
    end_text: str | None
    topics: list[str]
    part_of: str | None
    summary: str
    body: str
    sources: list[dict[str, str]]
    status: str
    place: Place
    name: str
    depth: int
    base_metrics: dict[str, object] = field(default_factory=dict)
    case_sums: dict[str, int] = field(default_factory=dict)
    has_children_published: bool = False


@dataclass
class Summary:
    """What was generated."""

    agencies: int
    campaigns: int
    cases: int
    published_cases: int
    bytes: int


def _day(rng: random.Random, start: date, end: date) -> date:
    return start + timedelta(days=rng.randint(0, max(0, (end - start).days)))


def _person(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + ("某某" if rng.random() < 0.25 else "某")


def _company(rng: random.Random, place: str) -> str:
    style = rng.random()
    industry = rng.choice(INDUSTRIES)
    if style < 0.5:
        return f"{place[:-1]}某{industry}{rng.choice(COMPANY_FORMS)}"
    if style < 0.8:
        return f"某{industry}{rng.choice(COMPANY_FORMS)}"
    return f"{rng.choice('甲乙丙')}{industry[:4]}公司"  # 甲公司-style names allow up to 4 characters


class _Generator:
    def __init__(self, cases: int, campaigns: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.n_cases = cases
        self.n_campaigns = campaigns
        self.agencies, self.places = _registry(self.rng, cities=5, counties=4)
        self.courts_of = {}
        for place in self.places:
            for kind in ("court", "procuratorate", "justice"):
                self.courts_of[(place.name, kind)] = [a for a in place.agencies if a.kind == kind]
        self.campaigns: list[CampaignPlan] = []

    # --- campaigns

    def plan_campaigns(self) -> None:
        rng = self.rng
        roots = max(1, self.n_campaigns // 10)
        years = list(range(2019, 2026))
        for index in range(self.n_campaigns):
            place = rng.choice(self.places)
            parent: CampaignPlan | None = None
            if index >= roots:
                candidates = [c for c in self.campaigns[-200:] if c.depth < 2] or \
                    [c for c in self.campaigns if c.depth < 2]
                parent = rng.choice(candidates)
                place = parent.place
            if parent is None:
                year = rng.choice(years)
                start, end = date(year, 1, 1), date(year, 12, 31)
                start_text, end_text = f"{year}-01", f"{year}-12"
                kind = "工作成效"
                family = rng.choice(["court", "procuratorate", "justice"])
                name, slug = "", "annual"
                who = {"court": "两级法院执行", "procuratorate": "检察机关支持起诉",
                       "justice": "司法行政系统多元解纷"}[family]
                title = f"{year}年{place.name}{who}工作成效"
            else:
                span = (parent.end or parent.start) - parent.start
                offset = rng.randint(0, max(0, span.days - 1))
                start = parent.start + timedelta(days=offset)
                length = rng.choice([0, 0, 7, 30, 60, 100])
                end = min(start + timedelta(days=length), parent.end or start)
                kind = rng.choice(["集中执行", "专项行动", "专项行动", "机制建设"])
                name, slug = rng.choice(CAMPAIGN_NAMES)
                family = rng.choice(["court", "court", "procuratorate", "justice"])
                county = rng.choice(place.counties)
                title = {"集中执行": f"{county}“{name}”集中执行行动",
                         "专项行动": f"{place.name}“{name}”专项行动",
                         "机制建设": f"{county}“{name}”联动解纷机制建设"}[kind]
                if parent.depth == 1:
                    title = f"{title}（第{rng.randint(1, 9)}轮）"
                start_text = start.isoformat()
                end_text = end.isoformat() if end != start else None
            pool = self.courts_of[(place.name, family)]
            agencies = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
            agencies.sort(key=lambda a: a.slug)
            topics = sorted(set(rng.sample(PROCEDURE_TOPICS["执行" if family == "court" else
                                                            "支持起诉" if family == "procuratorate"
                                                            else "调解"], k=2)))
            cid = f"{start.year}-{agencies[0].slug.split('-')[0]}-{index:04d}-{slug}"
            plan = CampaignPlan(
                id=cid, title=title, kind=kind, agencies=agencies,
                region=f"{PROVINCES[place.province][0]}/{place.name}" if rng.random() < 0.4 else None,
                start=start, end=end if end_text else None, start_text=start_text, end_text=end_text,
                topics=topics, part_of=parent.id if parent else None,
                summary=self._campaign_summary(title, agencies, start, rng),
                body=self._campaign_body(place, agencies, rng),
                sources=self._sources(title, start, rng),
                status="published", place=place, name=name,
                depth=0 if parent is None else parent.depth + 1,
            )
            plan.base_metrics = self._campaign_base_metrics(family, rng)
            self.campaigns.append(plan)
        # A few leaf campaigns are still drafts; their cases stay drafts too.
        parents = {c.part_of for c in self.campaigns if c.part_of}
        for plan in self.campaigns:
            if plan.id not in parents and rng.random() < 0.03:
                plan.status = rng.choice(["draft", "review"])

    def _campaign_summary(self, title: str, agencies: list[Agency], start: date,
                          rng: random.Random) -> str:
        names = "、".join(a.name for a in agencies)
        n = rng.randint(30, 200)
        return (f"{start.year}年{start.month}月，{names}组织开展{title}，出动干警{n}人次，"
                f"集中攻坚一批涉民生、涉企业案件，依法运用{'、'.join(rng.sample(MEASURES, k=2))}"
                f"等措施，推动一批“骨头案”“钉子案”得到化解。")

    def _campaign_body(self, place: Place, agencies: list[Agency], rng: random.Random) -> str:
        lead = agencies[0].name
        paragraphs = [
            f"行动由{lead}统一部署，成立工作专班，明确时间表和路线图，逐案制定攻坚方案。"
            f"{rng.choice(STAFF_WHO)}分成{rng.randint(3, 12)}个小组，"
            f"同时赶赴{rng.choice(place.counties)}等地开展工作。",
            f"行动中，{rng.choice(STAFF_WHO)}{rng.choice(STAFF_ACTS)}{rng.choice(STAFF_WORK)}"
            f"{rng.choice(STAFF_ENDS)}对有履行能力而拒不履行的，依法采取{rng.choice(MEASURES)}措施；"
            "对确有困难的，引导双方达成和解，做到惩戒与激励并重。",
            "- 开辟涉农民工工资案件绿色通道，快立、快审、快执\n"
            "- 联合人社、公安等部门建立信息共享机制\n"
            "- 邀请人大代表、政协委员全程见证",
            f"下一步，{place.name}将持续巩固行动成果，健全长效机制，"
            f"把{rng.choice(['根治欠薪', '诉源治理', '多元解纷', '善意文明执行'])}工作引向深入。",
        ]
        return "\n\n".join(paragraphs[: rng.randint(2, 4)])

    def _campaign_base_metrics(self, family: str, rng: random.Random) -> dict[str, object]:
        metrics: dict[str, object] = {}
        if family == "court":
            metrics["出动干警"] = _count_text(rng.randint(20, 300), "人", rng)
            cases = rng.randint(20, 400)
            metrics["执结案件"] = _count_text(cases, "件", rng) if rng.random() < 0.8 \
                else _approx_count(cases, "件")
            amount = _money_amount(rng, 200_000, 50_000_000)
            metrics["执结标的"] = _money_text(amount, rng) if rng.random() < 0.7 \
                else _approx_money(amount, rng)
        elif family == "procuratorate":
            metrics["支持起诉案件"] = _count_text(rng.randint(5, 120), "件", rng)
            metrics["法治宣讲"] = _count_text(rng.randint(3, 60), "次", rng)
        else:
            parts = {kind: rng.randint(1, 80) for kind in rng.sample(DISPUTE_KINDS, k=4)}
            if rng.random() < 0.7:
                metrics["化解纠纷"] = {"total": f"{sum(parts.values())}件", "parts": parts,
                                   "complete": True}
            else:
                total = sum(parts.values()) + rng.randint(10, 200)
                metrics["化解纠纷"] = {"total": _approx_count(total, "件"), "parts": parts}
            metrics["司法确认案件"] = _count_text(rng.randint(5, 100), "件", rng)
        return metrics

    def _sources(self, title: str, when: date, rng: random.Random) -> list[dict[str, str]]:
        sources = []
        for k in range(rng.choice([1, 1, 1, 2])):
            source = {"title": f"{title.split('（')[0]}成效明显" if k == 0 else f"聚焦{title.split('（')[0]}",
                      "publisher": rng.choice(PUBLISHERS)}
            if rng.random() < 0.7:
                source["author"] = rng.choice(JOURNALISTS)
            later = when + timedelta(days=rng.randint(1, 40))
            source["date"] = later.isoformat() if rng.random() < 0.6 else later.strftime("%Y-%m")
            if rng.random() < 0.5:
                source["url"] = f"https://news.example.org/{later.year}/{rng.randrange(10**8):08d}.html"
            sources.append(source)
        return sources

    # --- cases

    def make_cases(self) -> list[tuple[str, str]]:
        """Every case as (id, YAML text); also fills the campaigns' case sums."""
        rng = self.rng
        procedures = [p for p, weight in PROCEDURE_WEIGHTS for _ in range(weight)]
        out = []
        attachable = [c for c in self.campaigns if c.kind != "工作成效" or rng.random() < 0.3]
        for index in range(self.n_cases):
            procedure = rng.choice(procedures)
            family = PROCEDURE_AGENCY[procedure]
            campaign: CampaignPlan | None = None
            if attachable and rng.random() < 0.8:
                campaign = rng.choice(attachable)
            if campaign is not None:
                place = campaign.place
                when = _day(rng, campaign.start, campaign.end or campaign.start)
            else:
                place = rng.choice(self.places)
                when = date(rng.randint(2019, 2025), rng.randint(1, 12), rng.randint(1, 28))
            agency = rng.choice(self.courts_of[(place.name, family)])
            court = rng.choice(self.courts_of[(place.name, "court")])
            status = "published"
            if campaign is not None and campaign.status != "published":
                status = campaign.status
            elif rng.random() < 0.04:
                status = rng.choice(["draft", "review"])
            case_id = f"{when.year}-{agency.slug.split('-')[0]}-{index:05d}-{procedure_slug(procedure)}"
            text, metrics = self._case(case_id, procedure, agency, court, campaign, place, when, status)
            if campaign is not None and status == "published":
                for name, value in metrics.items():
                    if value is not None:
                        campaign.case_sums[name] = campaign.case_sums.get(name, 0) + value
            out.append((case_id, text))
        return out

    def _case(self, case_id: str, procedure: str, agency: Agency, court: Agency,
              campaign: CampaignPlan | None, place: Place, when: date, status: str
              ) -> tuple[str, dict[str, int | None]]:
        rng = self.rng
        county = agency.place if agency.place.endswith(("县", "区", "旗")) else rng.choice(place.counties)
        worker = _person(rng)
        debtor = _company(rng, county) if rng.random() < 0.5 else _person(rng)
        n = rng.randint(3, 60)
        amount = _money_amount(rng)
        exact = rng.random() < 0.88
        amt = _yuan_text(amount) if exact else _approx_money(amount, rng)
        measure = rng.choice(MEASURES[:8])
        cause = rng.choice(CAUSES)
        slots = {
            "a": worker, "b": debtor, "n": n, "amt": amt, "agency": agency.name,
            "court": court.name, "place": county, "cause": cause, "measure": measure,
            "date": f"{when.year}年{when.month}月{when.day}日",
            "campaign": campaign.title if campaign else "集中执行行动",
            "project": rng.choice(PROJECTS), "staff": rng.choice(SURNAMES) + "某",
        }

        def fill(templates: list[str], k: int) -> list[str]:
            return [t.format(**slots) for t in rng.sample(templates, k=min(k, len(templates)))]

        def staff_sentence() -> str:
            return (f"{rng.choice(STAFF_WHO)}{rng.choice(STAFF_ACTS)}{rng.choice(STAFF_WORK)}"
                    f"{rng.choice(STAFF_ENDS)}")

        facts = "".join(fill(FACTS[procedure], rng.randint(2, 3)))
        steps = fill(PROCESS[procedure], rng.randint(3, 5))
        steps.insert(rng.randint(0, len(steps)), staff_sentence())
        steps.insert(rng.randint(0, len(steps)), staff_sentence())
        cut = rng.randint(1, len(steps) - 1)
        process = "".join(steps[:cut]) + "\n\n" + "".join(steps[cut:])
        meaning = "".join(fill(MEANING, rng.randint(2, 3)))
        waiver = rng.random() < 0.005
        if waiver:  # a public hotline: a finding the record waives in privacy_reviewed
            meaning += f"如需咨询，可拨打诉讼服务热线{HOTLINE}。"
        sections = {"基本案情": facts, "办理经过": process, "典型意义": meaning}
        if rng.random() < 0.15:
            sections["法官说法"] = "".join(fill(MEANING, 1)) + staff_sentence()

        outcome = rng.choice(PROCEDURE_OUTCOMES[procedure])
        applicant_role, debtor_role = PROCEDURE_ROLES[procedure]
        applicants = [worker] if rng.random() < 0.6 else [f"{worker}等{n}人"]
        if procedure == "支持起诉":
            applicants = [f"{worker}等{n}名农民工"] if rng.random() < 0.5 else [worker, _person(rng)]
        parties = {applicant_role: applicants, debtor_role: [debtor]}

        metrics: dict[str, object] = {}
        sums: dict[str, int | None] = {}
        money_metric = {"执行": "执行到位金额", "检察监督": "执行到位金额", "支持起诉": "追回欠薪",
                        "法律援助": "追回欠薪"}.get(procedure, "涉案标的")
        if rng.random() < 0.85:
            metrics[money_metric] = _money_text(amount, rng) if exact else amt
            sums[money_metric] = amount if exact else None
        if procedure in ("执行", "检察监督") and measure in ("拘传", "拘留"):
            metrics[measure] = "1人" if rng.random() < 0.7 else 1
            sums[measure] = 1
        if procedure in ("支持起诉", "法律援助") and rng.random() < 0.7:
            metrics["帮助劳动者"] = _count_text(n, "人", rng)
            sums["帮助劳动者"] = n

        debt = rng.choice(TITLE_DEBTS)
        title = rng.choice([
            f"{debt}被{measure} {rng.choice(TITLE_RESULTS)}",
            f"{county[:-1]}{AGENCY_SHORT[agency.kind]}办理{cause}案 {amt}及时兑现",
            f"{rng.choice(MEASURES)}促履行 {n}名农民工拿回欠薪",
            f"{cause}快办快结 {rng.choice(TITLE_RESULTS)}",
        ]) if procedure != "支持起诉" else f"检察机关支持{n}名农民工起诉 追回欠薪{amt}"
        summary = (f"{debtor}拖欠{worker}款项{amt}，经{agency.name}依法办理，"
                   f"采取{measure}等措施，{rng.choice(TITLE_RESULTS)}。{rng.choice(MEANING).format(**slots)}")
        keywords = sorted(set([measure, cause.replace("纠纷", ""), rng.choice(["欠薪", "劳务费", "执行和解",
                                                                                "涉企", "查控", "司法确认"])]))
        measures = sorted({measure, *rng.sample(MEASURES, k=rng.randint(0, 2))}, key=MEASURES.index)
        topics = sorted(set(rng.sample(PROCEDURE_TOPICS[procedure],
                                       k=min(2, len(PROCEDURE_TOPICS[procedure])))))

        named = rng.choice([agency.name, *agency.aliases])
        out: list[str] = [f"title: {_scalar(title)}\n", f"agency: {_scalar(named)}\n"]
        if campaign is not None:
            out.append(f"campaign: {campaign.id}\n")
        out.append(f"date: {when.isoformat() if rng.random() < 0.9 else when.strftime('%Y-%m')}\n")
        out.append(f"procedure: {procedure}\n")
        if rng.random() < 0.8:
            out.append(f"cause: {cause}\n")
        out.append(f"topics: {_flow_list(topics)}\n")
        out.append("parties:\n")
        for role, names in parties.items():
            out.append(f"  {role}: {_flow_list(names)}\n")
        out.append(f"measures: {_flow_list(measures)}\n")
        out.append(f"outcome: {outcome}\n")
        _write_metrics(out, metrics)
        out.append(f"summary: {_scalar(summary)}\n")
        out.append("sections:\n")
        for heading, text in sections.items():
            out.append(f"  {heading}: {_block(text, 4)}")
        out.append(f"keywords: {_flow_list(keywords)}\n")
        _write_sources(out, self._sources(title.split(" ")[0], when, rng))
        if waiver:
            out.append(f"privacy_reviewed:\n  - match: {HOTLINE}\n    reason: 法院公开的诉讼服务热线\n")
        out.append(f"status: {status}\n")
        return "".join(out), sums

    # --- campaigns, written after their cases

    def campaign_text(self, plan: CampaignPlan) -> str:
        rng = self.rng
        metrics = dict(plan.base_metrics)
        for name, total in sorted(plan.case_sums.items()):
            if name in metrics:
                metrics.pop(name)
            if _METRIC_KIND[name] == "money":
                value = total + rng.randint(0, 50) * 1000
                metrics[name] = _money_text(value, rng) if rng.random() < 0.8 else _approx_money(value, rng)
            else:
                value = total + rng.randint(0, 20)
                unit = _COUNT_UNIT[name]
                metrics[name] = _count_text(value, unit, rng) if rng.random() < 0.8 \
                    else _approx_count(value, unit)
        out = [f"title: {_scalar(plan.title)}\n", f"kind: {plan.kind}\n",
               f"agencies: {_flow_list([a.name for a in plan.agencies])}\n"]
        if plan.region:
            out.append(f"region: {plan.region}\n")
        out.append(f"start: {plan.start_text}\n")
        if plan.end_text:
            out.append(f"end: {plan.end_text}\n")
        out.append(f"topics: {_flow_list(plan.topics)}\n")
        if plan.part_of:
            out.append(f"part_of: {plan.part_of}\n")
        out.append(f"summary: {_scalar(plan.summary)}\n")
        _write_metrics(out, metrics)
        out.append(f"body: {_block(plan.body, 2)}")
        _write_sources(out, plan.sources)
        out.append(f"status: {plan.status}\n")
        return "".join(out)

    # --- registries

    def registry_texts(self) -> dict[str, str]:
        agencies = []
        for a in self.agencies:
            aliases = f"  aliases: {_flow_list(a.aliases)}\n" if a.aliases else ""
            agencies.append(f"- name: {a.name}\n{aliases}  kind: {AGENCY_KIND[a.kind]}\n"
                            f"  region: {a.region}\n  slug: {a.slug}\n")
        topics = [f"- name: {name}\n  slug: {slug}\n  description: {_scalar(text)}\n"
                  for name, slug, text in TOPICS]
        metrics = [f"- name: {name}\n  slug: {slug}\n  kind: {kind}\n  unit: {unit}\n"
                   f"  description: {_scalar(text)}\n" for name, slug, kind, unit, text in METRICS]
        return {"agencies.yaml": "".join(agencies), "topics.yaml": "".join(topics),
                "metrics.yaml": "".join(metrics)}


_PROCEDURE_SLUGS = {"执行": "zhixing", "审判": "shenpan", "支持起诉": "zhichi", "检察监督": "jiandu",
                    "调解": "tiaojie", "法律援助": "fayuan", "其他": "qita"}


def procedure_slug(procedure: str) -> str:
    """The ASCII word used in case ids for a procedure."""
    return _PROCEDURE_SLUGS[procedure]


def generate(out: Path, cases: int, campaigns: int, seed: int = DEFAULT_SEED) -> Summary:
    """Write a data set with `cases` cases and `campaigns` campaigns into `out` (replaced)."""
    if out.exists():
        shutil.rmtree(out)
    (out / "cases").mkdir(parents=True)
    (out / "campaigns").mkdir()
    gen = _Generator(cases, campaigns, seed)
    gen.plan_campaigns()
    case_texts = gen.make_cases()
    written = 0
    for name, text in gen.registry_texts().items():
        written += (out / name).write_bytes(text.encode("utf-8"))
    for case_id, text in case_texts:
        written += (out / "cases" / f"{case_id}.yaml").write_bytes(text.encode("utf-8"))
    for plan in gen.campaigns:
        text = gen.campaign_text(plan)
        written += (out / "campaigns" / f"{plan.id}.yaml").write_bytes(text.encode("utf-8"))
    published = sum(1 for _, text in case_texts if text.endswith("status: published\n"))
    return Summary(len(gen.agencies), len(gen.campaigns), len(case_texts), published, written)


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: generate a data set."""
    parser = argparse.ArgumentParser(prog="python -m bench.generate", description="生成用于性能测试的合成数据。")
    parser.add_argument("--cases", type=int, default=1000, help="典型案例数（默认 1000）")
    parser.add_argument("--campaigns", type=int, default=None, help="专项行动数（默认 案例数/10）")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="随机种子")
    parser.add_argument("--out", type=Path, required=True, help="输出文件夹（会被清空重建；不要指向 data/）")
    args = parser.parse_args(argv)
    campaigns = args.campaigns if args.campaigns is not None else max(1, args.cases // 10)
    repo_data = (Path(__file__).resolve().parent.parent / "data").resolve()
    target = args.out.resolve()
    if target == repo_data or repo_data in target.parents:
        print("不能写到仓库的 data/ 下，请换一个文件夹。", file=sys.stderr)
        return 2
    summary = generate(args.out, args.cases, campaigns, args.seed)
    print(f"已生成 {summary.agencies} 个机关、{summary.campaigns} 个专项行动、{summary.cases} 个典型案例"
          f"（发布 {summary.published_cases} 个），共 {summary.bytes / 1e6:.1f} MB，写到 {args.out}。")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
