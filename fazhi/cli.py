"""Command line: `python build_stats.py check | build | site | new | schema`. Messages are Chinese.

`new` and `schema` live in `fazhi.scaffold`; `check --format github` and the reproducible build
time of `site` in `fazhi.ci`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from tqdm import tqdm

from fazhi.ci import github_annotations, github_notice, source_date_epoch
from fazhi.dataset import Dataset
from fazhi.pipeline import GENERATED_ROOTS, generate, load_dataset
from fazhi.problems import DataError
from fazhi.scaffold import add_commands

ROOT = Path(__file__).resolve().parent.parent

EXIT_OK, EXIT_DATA, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse with a Chinese usage error and exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        print(f"用法错误：{message}。运行 python build_stats.py --help 查看可用命令。",
              file=sys.stderr)
        raise SystemExit(EXIT_USAGE)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python build_stats.py", description="法治公开网站：检查数据、生成页面、构建网站。")
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
    """Run one command; return the exit code (0 ok, 1 data errors, 2 usage errors)."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
    args = _parser().parse_args(argv)
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


def _site(data_dir: Path, site_dir: Path) -> int:
    with _progress(data_dir) as bar:  # report data problems in our own words before MkDocs starts
        load_dataset(data_dir, progress=bar.update)
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".site-new-", dir=site_dir.parent))
    staging.chmod(0o755)  # mkdtemp makes it private; the published site must be readable
    command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet",
               "--config-file", str(ROOT / "mkdocs.yml"), "--site-dir", str(staging)]
    # Same data, same bytes: MkDocs dates the sitemap and its gzip header by SOURCE_DATE_EPOCH.
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": source_date_epoch(data_dir)}
    if subprocess.run(command, check=False, env=env).returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        print("网站构建失败，原来的 site/ 保持不变。", file=sys.stderr)
        return EXIT_DATA
    _swap(staging, site_dir)
    print(f"网站已构建到 {site_dir}。")
    return EXIT_OK


def _swap(staging: Path, site_dir: Path) -> None:
    """Replace `site_dir` by `staging` with two renames, so readers never see half a site."""
    old = site_dir.with_name(f".site-old-{staging.name}")
    if site_dir.exists():
        site_dir.rename(old)
    staging.rename(site_dir)
    shutil.rmtree(old, ignore_errors=True)
