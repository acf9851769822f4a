"""Command line: `python build_stats.py check | build | site | new | schema`. Messages are Chinese.

`new` and `schema` live in `fazhi.scaffold`; `check --format github` and the reproducible build
time of `site` in `fazhi.ci`; the report a program error leaves in `fazhi.crash`.

`site` builds into a staging folder beside the site folder and swaps it in at once
(`swap_site`): the site folder is never missing nor half written, and a build stopped by
Ctrl+C or SIGTERM removes its staging folder; one killed outright (SIGKILL) leaves it for the
next run to remove (`remove_abandoned`).
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import ipaddress
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from types import FrameType
from urllib.parse import urlsplit

try:
    import fcntl
except ImportError:  # Windows: staging folders are told apart by age instead of by lock
    fcntl = None  # type: ignore[assignment]

from tqdm import tqdm

from fazhi.ci import github_annotations, github_notice, source_date_epoch
from fazhi.crash import NOTE_ENV, internal_error_line, read_note, save_report
from fazhi.dataset import Dataset
from fazhi.pipeline import GENERATED_ROOTS, generate, load_dataset
from fazhi.problems import DataError
from fazhi.scaffold import add_commands

ROOT = Path(__file__).resolve().parent.parent

EXIT_OK, EXIT_DATA, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143  # 128 + SIGINT, 128 + SIGTERM, as shells report them

EXIT_CODES = """退出码：
  0    成功
  1    数据有问题（或网站构建失败）：按列出的问题修改数据后重新运行
  2    用法错误：命令或参数写错，或找不到数据文件夹
  3    程序内部错误（不是数据的问题）：把提示中保存的错误报告文件发给维护人员
  130  被 Ctrl+C 中断（143：被 SIGTERM 终止）"""

#: Staging folders of `site` are named `<STAGING_PREFIX>*` beside the site folder (git-ignored).
STAGING_PREFIX = ".site-build-"
_LOCK = "lock"  # held (flock) inside a staging folder while its build runs
_OUTPUT = "site"  # where MkDocs writes, inside a staging folder
_SETTING_UP = 2.0  # seconds; a build locks its new staging folder within microseconds


class _Parser(argparse.ArgumentParser):
    """argparse with a Chinese usage error and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"用法错误：{message}。运行 python build_stats.py --help 查看可用命令。",
              file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python build_stats.py", description="法治公开网站：检查数据、生成页面、构建网站。",
                     epilog=EXIT_CODES, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=ROOT / "data",
                        help="数据文件夹（默认：data/）")
    commands = parser.add_subparsers(dest="command", metavar="命令", parser_class=_Parser)
    commands.required = True
    check = commands.add_parser("check", help="只检查数据，列出所有问题")
    check.add_argument("--format", choices=["text", "github"], default="text",
                       help="text：每行“文件:行:列: 问题 — 怎么改”（默认）；github：GitHub Actions 的标注")
    build = commands.add_parser("build", help="把生成的页面写成 Markdown 文件（供不支持 hooks 的构建工具使用）")
    build.add_argument("--out", type=Path, default=ROOT / "content", help="写到哪个文件夹（默认：content/）")
    site = commands.add_parser("site", help="检查数据并构建整个网站到 site/（失败时保留原来的 site/）")
    site.add_argument("--site-dir", type=Path, default=ROOT / "site", help="网站输出文件夹（默认：site/）")
    add_commands(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; return the exit code.

    0 ok; 1 data errors (or a failed site build); 2 usage errors; 3 a program error (a bug,
    not bad data: one Chinese line on stderr, the traceback saved to a file by
    `fazhi.crash.save_report`); 130 interrupted by Ctrl+C (143 by SIGTERM during `site`).
    """
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    try:
        return _run(_parser().parse_args(argv))
    except KeyboardInterrupt:
        print("已中断（Ctrl+C），命令没有完成。", file=sys.stderr)
        return EXIT_INTERRUPTED
    except _Terminated:
        print("已被终止（SIGTERM），命令没有完成。", file=sys.stderr)
        return EXIT_TERMINATED
    except Exception as error:
        return _internal_error(error, sys.argv if argv is None else ["build_stats.py", *argv])


def _internal_error(error: Exception, command: Sequence[str]) -> int:
    """Report a program error in one line, its details in a file (on stderr if that fails)."""
    saved = save_report(error, command)
    if saved is None:
        traceback.print_exception(type(error), error, error.__traceback__, file=sys.stderr)
    print(internal_error_line(error, saved), file=sys.stderr)
    return EXIT_INTERNAL


def _run(args: argparse.Namespace) -> int:
    data_dir: Path = args.data
    if not data_dir.is_dir():
        print(f"用法错误：找不到数据文件夹 {data_dir}", file=sys.stderr)
        return EXIT_USAGE
    if hasattr(args, "run"):  # new, schema
        return int(args.run(args))
    started = time.perf_counter()
    github = getattr(args, "format", "text") == "github"
    try:
        if args.command == "check":
            return _check(data_dir, started, github)
        if args.command == "build":
            return _build(data_dir, args.out)
        return _site(data_dir, args.site_dir)
    except DataError as error:
        if github:
            print(github_annotations(error.problems))
            print(error.report().splitlines()[-1])
        else:
            print(error.report())
        return EXIT_DATA


def _progress(data_dir: Path) -> tqdm:
    """A progress bar over the data files, on a terminal only (silent in CI logs and pipes)."""
    files = sum(1 for folder in ("campaigns", "cases") if (data_dir / folder).is_dir()
                for file in (data_dir / folder).iterdir() if not file.name.startswith("."))
    return tqdm(total=files + 3, desc="读取数据", unit="个文件", disable=None, leave=False,
                delay=0.5, file=sys.stderr)


def _check(data_dir: Path, started: float, github: bool = False) -> int:
    with _progress(data_dir) as bar:
        dataset = load_dataset(data_dir, progress=bar.update)
    for waived in dataset.waived:
        text = f"已人工复核放行“{waived.match}”（理由：{waived.reason}）"
        print(github_notice(waived.path, waived.line, text) if github
              else f"{waived.path}:{waived.line}: {text}")
    print(_summary(dataset, time.perf_counter() - started))
    return EXIT_OK


def _summary(dataset: Dataset, seconds: float) -> str:
    published = dataset.published()
    return (f"检查通过：{len({a.name for a in dataset.agencies.values()})} 个机关，"
            f"{len(dataset.campaigns)} 个专项行动（发布 {len(published.campaigns)} 个），"
            f"{len(dataset.cases)} 个典型案例（发布 {len(published.cases)} 个），"
            f"用时 {seconds:.2f} 秒。")


def _build(data_dir: Path, out: Path) -> int:
    pages = generate(data_dir)
    for root in GENERATED_ROOTS:  # no stale page of a record that is gone or unpublished
        target = out / root
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    for page in pages:
        target = out / page.src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(page.content, encoding="utf-8")
    print(f"已写出 {len(pages)} 个页面到 {out}。")
    return EXIT_OK


#: The environment variable that names the site's public address (mkdocs.yml reads it).
SITE_URL_ENV = "FAZHI_SITE_URL"
_DEFAULT_SITE_URL = "http://127.0.0.1:8000/"  # mkdocs.yml's default: the local preview


def site_url(environ: Mapping[str, str] | None = None) -> str:
    """The address the site is built for: `SITE_URL_ENV`, else mkdocs.yml's default."""
    environ = os.environ if environ is None else environ
    named = environ.get(SITE_URL_ENV, "").strip()
    if named:
        return named
    config = ROOT / "mkdocs.yml"
    text = config.read_text(encoding="utf-8") if config.is_file() else ""
    found = re.search(r"^site_url:\s*!ENV\s*\[\s*" + SITE_URL_ENV + r"\s*,\s*[\"']?([^\"'\]\s]*)", text, re.MULTILINE)
    return found.group(1) if found else _DEFAULT_SITE_URL


def is_local_address(url: str) -> bool:
    """True for an empty address or one on this machine (localhost, 127.x, ::1, 0.0.0.0)."""
    host = (urlsplit(url.strip()).hostname or "").lower()
    if host in ("", "localhost", "0.0.0.0") or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def local_address_warning(url: str) -> str:
    """The Chinese warning `site` prints when the site is built for a local address."""
    shown = url or "（空）"
    return (f"注意：网站的公开网址是本机地址 {shown}。规范链接、订阅（atom.xml）、网站地图和数据下载中的网址"
            f"都会指向这个地址，发布出去后读者无法打开。本机预览可以忽略；要发布时，先设置 {SITE_URL_ENV}=https://…"
            f"（网站的正式网址，以 / 结尾），再运行 make site。")


def _site(data_dir: Path, site_dir: Path) -> int:
    with _progress(data_dir) as bar:  # report data problems in our own words before MkDocs starts
        load_dataset(data_dir, progress=bar.update)
    address = site_url()
    if is_local_address(address):  # a local build is fine, but say where its links point
        print(local_address_warning(address), file=sys.stderr)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    remove_abandoned(site_dir)
    with _signals_raise(), _staging(site_dir) as (staging, lock):
        code = _mkdocs_build(data_dir, staging, lock)
        note = read_note(staging / "crash-note")
        if note is not None:  # the hook met a program error and saved its report
            print(note, file=sys.stderr)
            return EXIT_INTERNAL
        if code != 0:
            print("网站构建失败（原因见上面 MkDocs 的消息），原来的 site/ 保持不变。", file=sys.stderr)
            return EXIT_DATA
        with _signals_held():  # not to be cut short between the swap and removing the old site
            swap_site(staging / _OUTPUT, site_dir)
    print(f"网站已构建到 {site_dir}。")
    return EXIT_OK


def _mkdocs_build(data_dir: Path, staging: Path, lock: int | None) -> int:
    """Run MkDocs into ``staging/site``; stop it too when this process is interrupted.

    MkDocs inherits `lock`, the descriptor locking the staging folder: if this process is
    killed outright, the folder stays in use (and is kept) until the orphaned MkDocs exits.
    """
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
               "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(staging / _OUTPUT)]
    # Same data, same bytes: MkDocs dates the sitemap and its gzip header by SOURCE_DATE_EPOCH.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": source_date_epoch(data_dir),
           "FAZHI_DATA": str(data_dir.resolve()), NOTE_ENV: str(staging / "crash-note")}
    started: list[subprocess.Popen[bytes]] = []
    try:
        with _signals_held():  # an interruption now would lose track of the started MkDocs
            started.append(subprocess.Popen(command, env=env, pass_fds=() if lock is None else (lock,)))
        return started[0].wait()
    finally:
        for child in started:
            _stop(child)


def _stop(child: subprocess.Popen[bytes]) -> None:
    if child.poll() is None:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


@contextlib.contextmanager
def _staging(site_dir: Path) -> Iterator[tuple[Path, int | None]]:
    """A staging folder beside `site_dir` and the descriptor locking it (None without `fcntl`).

    The folder is removed afterwards, whatever happens.
    """
    made: list[Path] = []
    try:
        with _signals_held():  # an interruption now would lose track of the new folder
            made.append(Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=site_dir.parent)))
        with (made[0] / _LOCK).open("wb") as lock:
            if fcntl is None:
                yield made[0], None
                return
            fcntl.flock(lock, fcntl.LOCK_EX)
            yield made[0], lock.fileno()
    finally:
        with _signals_held():
            for staging in made:
                shutil.rmtree(staging, ignore_errors=True)


def remove_abandoned(site_dir: Path) -> list[Path]:
    """Remove staging folders beside `site_dir` that no running build holds; return them.

    Only folders named `STAGING_PREFIX`* are candidates, and only unlocked ones (their build
    was killed outright) at least `_SETTING_UP` seconds old. Without `fcntl` (Windows), only
    those older than a day.
    """
    removed = []
    for folder in sorted(site_dir.parent.glob(STAGING_PREFIX + "*")):
        if folder.is_dir() and not folder.is_symlink() and _abandoned(folder):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _abandoned(folder: Path) -> bool:
    age = time.time() - folder.stat().st_mtime
    if fcntl is None:
        return age > 86400
    if age < _SETTING_UP:  # perhaps a build that has made the folder and not yet locked it
        return False
    lock = folder / _LOCK
    if not lock.is_file():
        return True
    with lock.open("rb") as file:
        try:
            fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return False  # a build is running there
        return True  # closing the file releases the lock


def swap_site(new: Path, site_dir: Path) -> None:
    """Put the folder `new` in the place of `site_dir`, then delete the old site.

    On Linux the two are exchanged in one step (`renameat2` with RENAME_EXCHANGE): at every
    moment `site_dir` is either the whole old site or the whole new one. Elsewhere, on the
    first build (no `site_dir` yet: one rename, atomic), or on a file system that refuses the
    exchange, it falls back to two renames in the same folder. Between them `site_dir` is
    missing for microseconds; that is acceptable there because nothing serves the site from
    this folder while it is built (it is uploaded or copied afterwards), and a kill right
    then loses no data: the old site sits in the staging folder, which the next run removes.
    """
    old = new.with_name(new.name + "-old")
    if os.path.lexists(site_dir) and _exchange(new, site_dir):
        old = new  # after the exchange, `new` holds the old site
    elif os.path.lexists(site_dir):
        site_dir.rename(old)
        new.rename(site_dir)
    else:
        new.rename(site_dir)
    if old.is_dir() and not old.is_symlink():
        shutil.rmtree(old, ignore_errors=True)
    elif os.path.lexists(old):
        old.unlink()


_AT_FDCWD, _RENAME_EXCHANGE = -100, 2


def _exchange(first: Path, second: Path) -> bool:
    """Exchange two paths atomically with Linux's renameat2 (glibc ≥ 2.28); False if unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    return renameat2(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0


class _Terminated(BaseException):
    """SIGTERM arrived during `site`: unwind so the staging folder and MkDocs are cleaned up."""


class _Interrupts:
    """During `site`, SIGINT and SIGTERM raise (KeyboardInterrupt, `_Terminated`) so that
    clean-up runs; within `_signals_held` they are put off until the block ends.

    Deferred in the handler rather than masked: a masked signal stays masked in MkDocs.
    """

    held = False
    pending: int | None = None

    @classmethod
    def handle(cls, signum: int, frame: FrameType | None) -> None:
        if cls.held:
            cls.pending = signum
        else:
            cls.throw(signum)

    @staticmethod
    def throw(signum: int) -> None:
        raise KeyboardInterrupt if signum == signal.SIGINT else _Terminated


@contextlib.contextmanager
def _signals_raise() -> Iterator[None]:
    """Within the block, SIGINT and SIGTERM raise instead of ending the process at once."""
    try:
        previous = {signum: signal.signal(signum, _Interrupts.handle)
                    for signum in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: leave signals alone
        yield
        return
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Put off SIGINT and SIGTERM (under `_signals_raise`) until the block is done."""
    if _Interrupts.held:
        yield
        return
    _Interrupts.held = True
    try:
        yield
    finally:
        _Interrupts.held = False
        signum, _Interrupts.pending = _Interrupts.pending, None
        if signum is not None:
            _Interrupts.throw(signum)
