"""Problems found in the data, and the catalogue of every message the checker can print.

Every problem names a file, a line, a column, the field, what is wrong and how to fix it,
all in Chinese. The catalogue is the single source of the wording: the checker formats
from it and the staff guide's error table is generated from it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Message:
    """One kind of problem: the contract rule it enforces, its wording and its fix."""

    rule: int
    text: str
    hint: str
    example: str = ""


_SYNTAX = "YAML 格式错误："
_WAIVER = "如确需保留，在 privacy_reviewed 中说明理由"
_MONEY_FORMS = "写成 4865元、101.2万元、8万余元、近30万元、约5万元 这样的形式，或只写数字（如 4865）"
_COUNT_FORMS = "写成 49{unit}、300余{unit}、十余{unit}、1.2万余{unit} 这样的形式，或只写整数（如 49）"
_TOO_LARGE = "核对原文：是不是多写了 0，或把“万”“亿”写错了"
_VAGUE_WORD = "{quantity}“{value}”中的“{word}”不是认可的约数写法"
_QUOTE_IT = "给整个值加引号"

CATALOGUE: dict[str, Message] = {
    # Rule 1: files and YAML syntax.
    "file.encoding": Message(
        1, "文件不是 UTF-8 编码（看起来是 {encoding}）",
        "在编辑器里选择“另存为”，编码选 UTF-8 后保存", "用 Windows 记事本另存的 GBK 文件"),
    "file.empty": Message(1, "文件是空的", "按模板填写记录，或删除这个文件"),
    "file.not_mapping": Message(
        1, "文件的最外层应是“字段: 值”的映射，现在是{found}",
        "去掉行首的“- ”，每个字段顶格写成“title: …”这样的形式"),
    "file.not_list": Message(
        1, "登记表的最外层应是列表（每项以“- ”开头），现在是{found}",
        "每一项写成“- name: …”，下面的字段缩进两个空格"),
    "file.missing": Message(
        1, "缺少登记表 {name}", "在 data/ 下创建 {name}，格式见 README 的“登记表”一节"),
    "file.extension": Message(
        1, "记录文件夹里有不是 .yaml 的文件“{name}”",
        "把扩展名改成 .yaml（不是 .yml 或 .txt），或把它移出 data/ 文件夹"),
    "file.bad_id": Message(
        1, "文件名“{name}”不能作为记录编号",
        "文件名只用小写英文字母、数字和连字符，以字母或数字开头，不能是 index，例如 2024-hlbe-xinchun.yaml"),
    # YAML syntax: one entry per kind of PyYAML error (fazhi.loader maps each to its code).
    "yaml.extra_colon": Message(
        1, _SYNTAX + "这里多了一个冒号", "值里含有“: ”时，给整个值加引号；或检查上一行的缩进",
        "title: 通报: 执行到位"),
    "yaml.missing_colon": Message(
        1, _SYNTAX + "缺少冒号", "每个字段写成“字段: 值”，冒号后加一个空格", "summary 法院依法执行"),
    "yaml.fullwidth_colon": Message(
        1, "这里用了中文冒号“：”，YAML 只认英文冒号", "把“：”改成英文冒号“:”，冒号后加一个空格",
        "cause：金融借款合同纠纷 → cause: 金融借款合同纠纷"),
    "yaml.fullwidth_space": Message(
        1, "这一行开头有全角空格“　”", "切换到英文输入法，用普通空格缩进（每级两个空格）"),
    "yaml.fullwidth_dash": Message(
        1, "列表项用了“{dash}”，YAML 只认英文短横线“-”", "把“{dash}”改成英文短横线“-”，后面加一个空格",
        "－ 徐某 → - 徐某"),
    "yaml.bad_indent": Message(1, _SYNTAX + "缩进不一致", "同一级的字段要对齐，用空格缩进，每级两个空格"),
    "yaml.tab_char": Message(1, _SYNTAX + "这里有 Tab 字符", "用空格代替 Tab"),
    "yaml.unclosed_quote": Message(
        1, _SYNTAX + "这里开始的引号没有闭合",
        "在值的末尾补上同样的引号；值里本身有引号时，改用另一种引号把整个值括起来", "title: \"执行到位"),
    "yaml.unclosed_bracket": Message(
        1, _SYNTAX + "这里开始的方括号没有闭合，或两项之间缺少逗号",
        "检查方括号“[ ]”是否成对，各项之间用英文逗号分隔；值里有逗号或冒号时给它加引号", "topics: [根治欠薪, 涉企执行"),
    "yaml.unclosed_brace": Message(
        1, _SYNTAX + "这里开始的花括号没有闭合，或两项之间缺少逗号",
        "检查花括号“{{ }}”是否成对，各项之间用英文逗号分隔；值里有逗号或冒号时给它加引号"),
    "yaml.unexpected_end": Message(1, _SYNTAX + "引号或括号没有闭合", "检查这一行的引号、方括号是否成对"),
    "yaml.undefined_alias": Message(
        1, _SYNTAX + "使用了未定义的 * 引用", "不要以 * 开头写值；如果是文字，加引号"),
    "yaml.list_item": Message(
        1, _SYNTAX + "列表里混入了不以“- ”开头的一行",
        "列表的每一项都以“- ”开头并对齐；如果这一行是新字段，让它与列表所属的字段对齐"),
    "yaml.bad_structure": Message(1, _SYNTAX + "缩进或列表格式不对", "检查这一行和上一行的缩进"),
    "yaml.missing_item": Message(1, _SYNTAX + "列表或括号里缺少内容", "检查方括号里的逗号"),
    "yaml.block_text": Message(
        1, _SYNTAX + "“|”或“>”后面不能接着写文字",
        "在“|”或“>”后换行，正文从下一行开始，并比字段名多缩进两个空格", "summary: | 法院依法执行"),
    "yaml.bad_escape": Message(
        1, _SYNTAX + "双引号里的反斜杠“\\”后面是无法识别的字符",
        "把值两边的双引号改成单引号，或把“\\”写成两个“\\\\”"),
    "yaml.anchor_start": Message(1, _SYNTAX + "“&”不能出现在值的开头", _QUOTE_IT),
    "yaml.alias_start": Message(1, _SYNTAX + "“*”不能出现在值的开头", _QUOTE_IT),
    "yaml.tag_start": Message(1, _SYNTAX + "“!”不能出现在值的开头", _QUOTE_IT),
    "yaml.directive": Message(
        1, _SYNTAX + "以“%”开头的一行会被当成 YAML 指令", "删除这一行；如果是文字，给值加引号"),
    "yaml.after_end": Message(
        1, _SYNTAX + "这一行之后还有内容，但文件已经在“...”或“---”处结束",
        "一个文件只写一条记录：删除“...”或“---”这一行，或把后面的内容另存为一个新文件"),
    "yaml.bad_start": Message(1, _SYNTAX + "这个字符不能出现在值的开头", _QUOTE_IT, "title: `执行`"),
    "yaml.unparsable": Message(
        1, _SYNTAX + "无法解析这一行", "对照模板检查这一行和上一行的冒号、缩进、引号和括号"),
    "yaml.second_document": Message(
        1, _SYNTAX + "一个文件里写了两份内容（从这里起是第二份）",
        "一个文件只写一条记录：删除从这一行起的内容，或把它另存为一个新文件"),
    "yaml.control_char": Message(
        1, _SYNTAX + "这里有看不见的 {char}（{char_name}）",
        "删除这个字符：把光标放在这里前后删除再重新输入，或从原文重新复制这一段"),
    "yaml.unreadable_chars": Message(
        1, _SYNTAX + "文件里有无法读取的字符", "删除文件中看不见的特殊字符，或从原文重新复制内容"),
    "yaml.duplicate_key": Message(
        1, "字段“{key}”重复出现（第 {first_line} 行已经写过）",
        "删除其中一处，或把两处的内容合并"),
    "yaml.tab": Message(
        1, "这一行用 Tab 键缩进",
        "YAML 只能用空格缩进：删除 Tab，改为空格（每级两个空格）"),
    "yaml.key_type": Message(1, "字段名必须是文字", "检查这一行冒号前的内容"),
    "file.unreadable": Message(
        1, "无法读取“{name}”", "检查这个文件是否允许读取（文件权限），或在编辑器里重新保存它"),
    # Rule 9 (version 2): what records must write out, and what files may be.
    "yaml.anchor": Message(
        9, "这里用了 YAML 锚点“&{name}”", "记录里每个值都要完整写出：删除“&{name}”，不用锚点和引用",
        "a: &甲 执结案件"),
    "yaml.alias": Message(
        9, "这里用了 YAML 引用“*{name}”，检查器不展开引用，这个值当作没有填写",
        "删除“*{name}”，在这里把值完整写出来", "b: *甲"),
    "yaml.merge": Message(
        9, "这里用了 YAML 合并键“<<”，检查器不合并", "删除“<<”这一行，把要用的字段逐个完整写在这里",
        "<<: *模板"),
    "yaml.tag": Message(
        9, "这里用了 YAML 类型标记“{tag}”",
        "删除“{tag}”，把值照原样写出；如果它必须是文字（例如全是数字的编号），给它加引号",
        "title: !!str 123"),
    "yaml.too_deep": Message(
        9, "这里嵌套得太深（超过 {limit} 层），文件没有继续读取",
        "记录最多只嵌套几层：对照模板检查缩进和括号，删除多余的括号或“- ”"),
    "yaml.long_number": Message(
        9, "数字“{value}”有 {digits} 位，不可能是报道里的数字",
        "核对原文：金额不超过 10 万亿元，数量不超过 10 亿；如果这是编号等文字，给它加引号"),
    "file.symlink": Message(
        9, "“{name}”是符号链接（快捷方式），检查器不读取它指向的内容",
        "删除这个链接，把记录文件本身复制到 {folder}/ 里，作为普通文件保存"),
    "file.symlink_registry": Message(
        9, "“{name}”是符号链接（快捷方式），检查器不读取它指向的内容",
        "删除这个链接，把登记表文件本身复制到 data/ 里，作为普通文件保存"),
    "file.symlink_folder": Message(
        9, "“{name}”是符号链接（快捷方式），检查器不读取它指向的内容",
        "删除这个链接，在 data/ 里建一个真正的 {name} 文件夹，把记录文件复制进去"),
    "file.directory": Message(
        9, "“{name}”是文件夹，不是记录文件",
        "记录文件夹里不能再有文件夹：把其中的记录移到 {folder}/ 下，再删除这个文件夹"),
    "file.directory_registry": Message(
        9, "“{name}”是文件夹，不是登记表文件",
        "删除这个文件夹，在 data/ 下创建同名的登记表文件（格式见 README 的“登记表”一节）"),
    "file.not_regular": Message(
        9, "“{name}”不是普通文件（是{kind}），检查器不读取它",
        "删除它：记录和登记表必须是普通的 .yaml 文本文件"),
    # Rule 2: fields and types.
    "field.missing": Message(
        2, "缺少必填字段“{name}”", "添加一行“{name}: …”（{description}）"),
    "field.unknown": Message(2, "未知字段“{name}”", "可用的字段有：{allowed}"),
    "field.unknown_close": Message(
        2, "未知字段“{name}”", "是不是“{close}”？可用的字段有：{allowed}", "outcom: 执行完毕"),
    "field.choice": Message(
        2, "“{value}”不是允许的值", "从这些值中选一个：{allowed}"),
    "field.choice_empty": Message(
        2, "还没有选择", "从这些值中选一个填上：{allowed}"),
    "field.choice_quoted": Message(
        2, "“{value}”两边多了中文引号", "去掉引号，直接写 {bare}（需要引号时用英文引号）"),
    "field.type_text": Message(
        2, "应为文字，现在是{found}", "直接写文字；如果 YAML 把它读成了数字或日期，给它加引号"),
    "field.type_list": Message(2, "应为列表，现在是{found}", "写成 [甲, 乙]，或每项一行以“- ”开头"),
    "field.type_mapping": Message(
        2, "应为“字段: 值”的映射，现在是{found}", "每项一行，写成“名称: 值”，并缩进两个空格"),
    "field.type_fields": Message(
        2, "应为“字段: 值”的映射，现在是{found}", "每个字段一行，写成“字段: 值”，并缩进两个空格"),
    "field.type_bool": Message(2, "应为true 或 false，现在是{found}", "写 true 或 false"),
    "field.type_int": Message(2, "应为整数，现在是{found}", "写一个整数"),
    "field.type_metric": Message(
        2, "应为数字或文字，现在是{found}", "写成 49、49件、101.2万元；有分项时写 total、parts"),
    "field.invalid": Message(2, "“{value}”不是这个字段可用的值", "对照模板和字段说明修改"),
    "field.empty": Message(2, "至少要填一项", "至少填写一项"),
    "field.blank": Message(2, "还没有填写", "填写{description}，不能留空"),
    "field.format": Message(2, "格式不对：“{value}”", "按模板和字段说明修改格式"),
    "field.format_part_of": Message(
        2, "格式不对：“{value}”", "写上级行动的编号，即它的文件名（不含 .yaml），例如 2024-hlbe-annual"),
    "field.format_campaign": Message(
        2, "格式不对：“{value}”", "写所属行动的编号，即它的文件名（不含 .yaml），例如 2024-hlbe-xinchun"),
    "field.format_slug": Message(
        2, "格式不对：“{value}”", "只用小写英文字母、数字和连字符，不能是 index，例如 hlbe-court"),
    "field.format_region": Message(
        2, "格式不对：“{value}”", "写成 省/市/县，用斜杠分隔，例如 内蒙古自治区/呼伦贝尔市"),
    "field.format_url": Message(
        2, "格式不对：“{value}”", "网址必须以 http:// 或 https:// 开头，中间不能有空格"),
    "field.money_unit": Message(2, "格式不对：“{value}”", "金额指标的 unit 写 元"),
    "field.date": Message(
        2, "日期“{value}”无法识别", "写成 2024-01-14，只知道月份写 2024-01，只知道年份写 2024"),
    "field.date_zero": Message(
        9, "日期“{value}”的{part}写成了 00", "不知道月份时只写年份（如 2024），不知道哪一天时只写到月（如 2024-01）",
        "2024-00、2024-01-00"),
    "field.date_order": Message(
        2, "结束日期 {end} 早于开始日期 {start}", "检查 start 和 end 是否写反"),
    "field.law": Message(
        2, "法条“{value}”的格式不对",
        "法律名称写在书名号《》里，后面可接用中文数字写的条、款、项，几条之间用顿号，"
        "例如 《中华人民共和国民事诉讼法》第一百零九条", "民事诉讼法第109条"),
    "field.case_number": Message(
        2, "案号“{value}”的格式不对",
        "按发布时的写法照抄：（年份）、法院代字和代码、案件类型、序号、号，例如 （2024）内0702执123号；"
        "没有公布案号就删去这一行", "2024内0702执123"),
    "registry.duplicate": Message(
        2, "“{value}”在登记表中重复（第 {first_line} 行已经用过）",
        "名称、简称和 slug 在整个登记表中都不能重复，改成不同的写法"),
    # Rule 3: YAML 1.1 reinterpretations.
    "yaml.bool_word": Message(
        3, "“{value}”会被 YAML 当成是/否（布尔值），而不是文字",
        "如果是文字，加引号写成 \"{value}\"；如果是是/否，写 true 或 false"),
    "yaml.sexagesimal": Message(
        3, "“{value}”会被 YAML 当成六十进制数（{reading}），而不是时间或文字",
        "加引号写成 \"{value}\""),
    "yaml.leading_zero": Message(
        3, "“{value}”以 0 开头，YAML 会把它当成八进制或去掉开头的 0",
        "如果是编号等文字，加引号写成 \"{value}\"；如果是数字，去掉开头的 0"),
    # Rule 4: references.
    "ref.agency": Message(4, "未登记的机关“{value}”", "如果是新的名称，先在 data/agencies.yaml 中登记"),
    "ref.agency_close": Message(
        4, "未登记的机关“{value}”", "最接近的已登记名称：{close}；如果是新的名称，先在 data/agencies.yaml 中登记"),
    "ref.topic": Message(4, "未登记的专题“{value}”", "如果是新的名称，先在 data/topics.yaml 中登记"),
    "ref.topic_close": Message(
        4, "未登记的专题“{value}”", "最接近的已登记名称：{close}；如果是新的名称，先在 data/topics.yaml 中登记"),
    "ref.metric": Message(4, "未登记的指标“{value}”", "如果是新的名称，先在 data/metrics.yaml 中登记"),
    "ref.metric_close": Message(
        4, "未登记的指标“{value}”", "最接近的已登记名称：{close}；如果是新的名称，先在 data/metrics.yaml 中登记"),
    "ref.list_separator": Message(
        1, "“{value}”里用了“{separator}”分隔，YAML 把它读成了一项",
        "列表各项之间用英文逗号加空格分隔，写成 [{fixed}]", "topics: [根治欠薪、涉民生执行]"),
    "ref.law": Message(4, "未登记的法律“{value}”", "在 data/laws.yaml 中登记它的全称和简称后再引用"),
    "ref.law_close": Message(
        4, "未登记的法律“{value}”", "最接近的已登记名称：{close}；如果是新的法律，先在 data/laws.yaml 中登记"),
    "ref.lead": Message(
        4, "牵头机关“{value}”不是本行动的机关", "牵头机关必须写在 agencies 中；本行动的机关：{agencies}",
        "lead: 呼伦贝尔市人民检察院"),
    "ref.campaign": Message(
        4, "找不到编号为“{value}”的专项行动", "写 data/campaigns/ 下某个文件的名称（不含 .yaml）"),
    "ref.campaign_close": Message(4, "找不到编号为“{value}”的专项行动", "是不是：{close}？"),
    "ref.cycle": Message(
        4, "part_of 形成了循环：{cycle}", "一个行动只能隶属于更大的行动，去掉其中一处 part_of"),
    "ref.unpublished": Message(
        4, "已发布的记录引用了未发布的“{value}”（status: {status}）",
        "先发布被引用的记录，或把本记录的 status 改为 draft / review"),
    # Rule 5: values (fazhi.values). {quantity} is 数量 or 金额.
    "value.money_empty": Message(5, "金额是空的", _MONEY_FORMS),
    "value.count_empty": Message(5, "数量是空的", _COUNT_FORMS),
    "value.money_unparsable": Message(5, "金额“{value}”无法识别", _MONEY_FORMS),
    "value.count_unparsable": Message(5, "数量“{value}”无法识别", _COUNT_FORMS, "49.件"),
    "value.money_numeral": Message(
        5, "金额“{value}”无法识别：“{numeral}”不是规范的中文数字", _MONEY_FORMS, "三千五元"),
    "value.count_numeral": Message(
        5, "数量“{value}”无法识别：“{numeral}”不是规范的中文数字", _COUNT_FORMS, "三千五人"),
    "value.money_digits": Message(5, "金额“{value}”无法识别：数字位数太多", _MONEY_FORMS),
    "value.count_digits": Message(5, "数量“{value}”无法识别：数字位数太多", _COUNT_FORMS),
    "value.money_infinite": Message(5, "金额“{value}”无法识别：不是有限的数", _MONEY_FORMS),
    "value.count_infinite": Message(5, "数量“{value}”无法识别：不是有限的数", _COUNT_FORMS),
    "value.money_missing": Message(5, "缺少金额", _MONEY_FORMS),
    "value.count_missing": Message(5, "缺少数量", _COUNT_FORMS),
    "value.money_bool": Message(5, "是/否值 {value} 不是金额", _MONEY_FORMS),
    "value.count_bool": Message(5, "是/否值 {value} 不是数量", _COUNT_FORMS),
    "value.money_type": Message(5, "“{value}”不是金额（类型是 {type}）", _MONEY_FORMS),
    "value.count_type": Message(5, "“{value}”不是数量（类型是 {type}）", _COUNT_FORMS),
    "value.float": Message(
        5, "{quantity} {value} 是浮点数，无法精确保存", "写成整数，或加引号写成文字，如 \"101.2万元\""),
    "value.word_rewrite": Message(5, _VAGUE_WORD, "不用“{word}”，写成 {form}", "300人左右"),
    "value.word_marker": Message(
        5, _VAGUE_WORD, "不用“{word}”，改用“{marker}”，如 {form}", "大约5万余元"),
    "value.word_at_least": Message(
        5, _VAGUE_WORD, "不用“{word}”，改用“逾”或“余”，如 {form}、{at_least}", "8余件以上"),
    "value.word_no_number": Message(
        5, _VAGUE_WORD, "请填写具体的数字；不确定的数可以写成 {form} 或 {at_least}", "若干"),
    "value.markers": Message(
        5, "{quantity}“{value}”有多个约数标记（{markers}）",
        "只保留一个：余、多、逾（不少于）、近（不到）或 约（大约）", "近300余人"),
    "value.money_unit_mismatch": Message(
        5, "金额“{value}”的单位“{word}”与指标的单位“元”不符",
        "金额一律以元为单位，写成 4865元、101.2万元 这样的形式，或只写数字", "5万件"),
    "value.unit_mismatch": Message(
        5, "数量“{value}”的单位“{word}”与指标的单位“{unit}”不符",
        "改用指标的单位“{unit}”（如 49{unit}），或只写数字；单位不同说明应换一个指标", "49元"),
    "value.money_too_large": Message(
        5, "金额“{value}”超过 10 万亿元，不可能是真实的数字", _TOO_LARGE + "；金额以元为单位"),
    "value.count_too_large": Message(
        5, "数量“{value}”超过 10 亿{unit}，不可能是真实的数字", _TOO_LARGE),
    "value.negative": Message(5, "{quantity}“{value}”是负数", "{quantity}不能是负数，请核对原文", "-3件"),
    "value.not_whole": Message(
        5, "数量“{value}”不是整数", "数量只能是整数，如 49{unit}；不确定的数可以写成 300余{unit}", "4.5件"),
    "value.not_whole_scaled": Message(
        5, "数量“{value}”不是整数，换算后是 {amount}",
        "数量只能是整数，如 49{unit}；不确定的数可以写成 300余{unit}", "1.23456万件"),
    # Rule 6: breakdowns.
    "breakdown.sum": Message(
        6, "分项之和 {parts} 与合计 {total} 不相等，但标注了 complete: true",
        "核对各分项和合计；如果分项不全，删除 complete: true"),
    "breakdown.share_agency": Message(
        6, "“{value}”不是本行动的机关，不能有份额", "by_agency 只写 agencies 中的机关；本行动的机关：{agencies}"),
    "breakdown.share_case": Message(
        6, "典型案例只有一个办理机关，不能按机关分份额",
        "删去 by_agency；需要分项时写 parts"),
    "breakdown.share_sum": Message(
        6, "各机关份额之和 {parts} 与合计 {total} 不相等，但标注了 complete: true",
        "核对各机关的份额和合计；如果只列出了部分机关的份额，删除 complete: true"),
    "breakdown.empty": Message(
        6, "写了 total，但既没有 parts 也没有 by_agency",
        "补上分项（parts）或各机关的份额（by_agency）；都没有时直接写数值，如 执结标的: 101.2万元"),
    # Rule 7: campaign totals against its cases.
    "campaign.below_cases": Message(
        7, "“{metric}”为 {campaign_value}，小于其已发布典型案例的合计 {cases_value}（{cases}）",
        "核对行动的数字和各案例的数字，行动的合计不能小于其中案例之和"),
    # Rule 8: personal data, in every string of every record whatever its status
    # (fazhi.privacy). {match} is the text found, quoted as written.
    "privacy.id_number": Message(
        8, "发现疑似居民身份证号码“{match}”", "删除身份证号码；" + _WAIVER, "110101199003074514"),
    "privacy.old_id_number": Message(
        8, "发现疑似居民身份证号码（15位）“{match}”", "删除身份证号码；" + _WAIVER),
    "privacy.phone": Message(8, "发现疑似手机号码“{match}”", "删除号码；" + _WAIVER, "138 0013 8000"),
    "privacy.fixed_phone": Message(
        8, "发现疑似固定电话号码“{match}”", "删除号码；" + _WAIVER, "0471-6912345"),
    "privacy.bank_card": Message(
        8, "发现疑似银行卡号“{match}”", "删除卡号，至多写“尾号1234”；" + _WAIVER),
    "privacy.email": Message(8, "发现电子邮箱地址“{match}”", "删除邮箱地址；" + _WAIVER),
    "privacy.address": Message(
        8, "发现精确到门牌的地址“{match}”",
        "地址只写到县（区）、乡镇（街道）或村（社区），删去路名门牌号、楼栋和房号；" + _WAIVER, "…村3组12号"),
    "privacy.role_name": Message(
        8, "发现“{role}”后的姓名“{match}”未匿名", "改写为“{surname}某”或“{surname}某某”；" + _WAIVER,
        "被执行人张建国"),
    "privacy.person_name": Message(
        8, "发现未匿名的姓名“{match}”", "当事人等私人只写姓加“某”（如“张某”“张某某”）；" + _WAIVER),
    "privacy.party_name": Message(
        8, "当事人名称“{match}”不是匿名形式",
        "写成“张某”“张某某”“某公司”或“19名农民工”这样的匿名形式；" + _WAIVER, "某某"),
    "privacy.party_name_bracket": Message(
        8, "当事人名称“{match}”不是匿名形式",
        "删去括号及其中的内容，写成“张某”“张某某”“某公司”或“19名农民工”这样的匿名形式；" + _WAIVER),
    "privacy.party_person": Message(
        8, "当事人名称“{match}”不是匿名形式", "写成“{surname}某”或“{surname}某某”；" + _WAIVER, "张建国"),
    "privacy.party_person_bracket": Message(
        8, "当事人名称“{match}”不是匿名形式",
        "删去括号及其中的内容，写成“{surname}某”或“{surname}某某”；" + _WAIVER, "张某（张建国）"),
    "privacy.party_org": Message(
        8, "当事人名称“{match}”不是匿名形式",
        "写成“某公司”或“地名+某公司”（如“修文某公司”）；" + _WAIVER, "贵州鑫源建筑有限公司"),
    "privacy.party_org_bracket": Message(
        8, "当事人名称“{match}”不是匿名形式",
        "删去括号及其中的内容，写成“某公司”或“地名+某公司”（如“修文某公司”）；" + _WAIVER,
        "某公司（法定代表人张建国）"),
    "privacy.unused_waiver": Message(
        8, "privacy_reviewed 中的“{value}”在记录里找不到",
        "豁免必须逐字引用检查器报告的内容；不再需要时删除这一项"),
    # Rule 9: HTML tags in text.
    "markup.html": Message(
        9, "发现 HTML 标签“{tag}”",
        "删去 HTML 标签，写纯文字或 Markdown；需要小于号时写全角“＜”", "<div>、<br/>、<!-- 注释"),
    "markup.html_many": Message(
        9, "发现 HTML 标签“{tag}”（这段文字里共 {count} 处）",
        "删去 HTML 标签，写纯文字或 Markdown；需要小于号时写全角“＜”"),
}


@dataclass(frozen=True, order=True)
class Problem:
    """One problem at one place. Ordered by file, line and column for the report."""

    path: str
    line: int
    column: int
    code: str = field(compare=False)
    field_name: str = field(default="", compare=False)
    message: str = field(default="", compare=False)
    hint: str = field(default="", compare=False)

    @property
    def rule(self) -> int:
        """The contract rule (1–9) this problem enforces."""
        return CATALOGUE[self.code].rule

    def format(self) -> str:
        """`path:line:column: 问题 — 怎么改`, the line staff read."""
        where = f"字段 {self.field_name}：" if self.field_name else ""
        return f"{self.path}:{self.line}:{self.column}: {where}{self.message} — {self.hint}"


def make_problem(
    code: str, path: str, line: int, column: int, field_name: str = "", **params: Any
) -> Problem:
    """Build a problem from the catalogue, filling its wording with `params`."""
    message = CATALOGUE[code]
    return Problem(
        path=path,
        line=line,
        column=column,
        code=code,
        field_name=field_name,
        message=message.text.format(**params),
        hint=message.hint.format(**params),
    )


class DataError(Exception):
    """Raised by the pipeline when the data has problems; carries all of them."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s) in the data")
        self.problems = sorted(problems)

    def report(self) -> str:
        """All problems, one a line, then a one-line Chinese summary."""
        lines = [p.format() for p in self.problems]
        files = len({p.path for p in self.problems})
        lines.append(f"共 {len(self.problems)} 个问题，涉及 {files} 个文件。改正后重新运行检查。")
        return "\n".join(lines)
