"""Personal names after a role word (被执行人张建国, 原告李明), and the adapter for the name recogniser."""

from __future__ import annotations

import re
from collections.abc import Callable

from fazhi.names import COMPOUND_SURNAMES, SURNAMES
from fazhi.privacy.finding import Detector, Finding, quote_finding
from fazhi.privacy.normalise import Normalised, is_cjk, read_words

__all__ = ["ORG_SUFFIX_RE", "PLACE_SUFFIX", "find_role_names", "person_name_detector"]

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
_NOT_NAME_WORDS = read_words(
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
PLACE_SUFFIX = frozenset("省市县区镇乡村州旗盟")
ORG_SUFFIX_RE = re.compile(
    r"(?:有限责任公司|有限公司|公司|集团|合作社|商行|商店|酒店|饭店|超市|银行|工作室|事务所"
    r"|经营部|门市部|加工厂|养殖场|厂|店)"
)


def _starts_not_name_word(text: str, pos: int) -> bool:
    return any(text[pos:pos + k] in _NOT_NAME_WORDS for k in (1, 2, 3, 4))


def _looks_like_org_or_place(text: str, name_end: int) -> bool:
    """True if the candidate name is really the start of a place or an organisation name."""
    n = len(text)
    # 安顺市, 修文县, 呼伦贝尔市: a place suffix right after the candidate (or one later).
    for k in (0, 1):
        if name_end + k < n and text[name_end + k] in PLACE_SUFFIX:
            return True
        if name_end + k >= n or not is_cjk(text[name_end + k]):
            break
    # 丁公司, 江西宏达建设有限公司: the run continues straight into an organisation
    # suffix and ends there.
    j = name_end
    while j < n and j - name_end < 12 and is_cjk(text[j]) and text[j] not in _NON_NAME_CHARS:
        j += 1
    run = text[name_end - 3 if name_end >= 3 else 0:j]
    return any(m.end() == len(run) for m in ORG_SUFFIX_RE.finditer(run))


def _parse_person(text: str, pos: int) -> tuple[str, int, str]:
    """Parse a possible person name at `pos`, right after a role word.

    Returns (kind, end, surname) with kind 'none' (not a name), 'anon'
    (surname + 某/某某) or 'name' (an unanonymized personal name ending at `end`).
    """
    n = len(text)
    if pos >= n or not is_cjk(text[pos]) or _starts_not_name_word(text, pos):
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
        j = i + 1 if text[i] == " " and i + 1 < n and is_cjk(text[i + 1]) else i
        ch = text[j]
        if ch == "某" and j == i:
            break
        if not is_cjk(ch) or ch in _NON_NAME_CHARS or ch == "某":
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


def find_role_names(text: str, norm: Normalised) -> list[Finding]:
    """Names after a role word (被执行人张建国) that are not surname + 某."""
    out: list[Finding] = []
    for m in _ROLE_RE.finditer(norm):
        role = m.group(1)
        pos = m.end()
        while True:
            kind, end, surname = _parse_person(norm, pos)
            if kind == "name":
                out.append(quote_finding("privacy.role_name", text, norm, pos, end, role=role, surname=surname))
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
        return [quote_finding("privacy.person_name", text, norm, s, e)
                for s, e in find(str(norm)) if 0 <= s < e <= len(norm)]
    return detect


