"""The scale benchmark: how the checker, the core and the MkDocs build grow with the data.

Usage::

    python -m bench.run --cases 1000                       # 1,000 cases, 100 campaigns
    python -m bench.run --cases 1000 10000 --repeat 3      # both sizes, median of 3 runs
    python -m bench.run --cases 1000 --serve               # also: one `mkdocs serve` rebuild

For each size it generates (or reuses) a synthetic data set (`bench.generate`) under the work
folder (default /tmp/fazhi-bench, never under data/) and measures, each a median of
``--repeat`` runs, in separate processes:

- ``python build_stats.py check`` alone;
- the core stages, timed on the functions themselves: read (`fazhi.records.read_data`),
  validate (`fazhi.validate.validate`), aggregate (`fazhi.stats`), render (record pages,
  statistics pages, downloads, feed) — whichever of those modules exist;
- the full MkDocs build of a project made of a copy of mkdocs.yml, content/ and overrides/
  plus the synthetic data/, with the time spent in the hook's `generate` and in the search
  index (`fazhi.search.build_index`, Pagefind) taken out separately, and the peak memory of
  the Python build and of the indexer (Pagefind runs as a child process);
- the same generated Markdown (``build_stats.py build``) built by bare MkDocs + Material (no
  hook, no plugin, no theme overrides), and by MkDocs + Material with its own search plugin
  (``lang: zh``), the alternative to Pagefind;
- page count, site size, median and largest page (HTML bytes), the largest case page, and
  the bytes a visitor downloads for a first search, measured in headless Chromium.

Times are wall-clock seconds with CPU seconds alongside: on a shared machine the CPU time is
the steadier figure. The result is printed as a Markdown table (for the README) and written
as JSON to ``<work>/results-<cases>.json``.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import hashlib
import inspect
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORK = Path(tempfile.gettempdir()) / "fazhi-bench"
#: Material's search downloads its whole index whatever the query: one query measures it.
MATERIAL_QUERIES = ("欠薪",)

__all__ = ["main"]


# --- child processes ------------------------------------------------------------------------


@dataclass
class Child:
    """A finished child process: its times, peak memory and output."""

    wall: float
    cpu: float
    maxrss_mb: float
    returncode: int
    stdout: str
    stderr: str


def _run(command: Sequence[str], *, cwd: Path | None = None, env: dict[str, str] | None = None,
         check: bool = True) -> Child:
    """Run `command`; wall and CPU time and peak RSS come from the kernel (wait4)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **(env or {})},
                                   stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        child = Child(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024,
                      process.returncode, out.read().decode("utf-8", "replace"),
                      err.read().decode("utf-8", "replace"))
    if check and child.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed ({child.returncode}):\n"
                           f"{child.stdout[-3000:]}\n{child.stderr[-3000:]}")
    return child


# --- probes: run inside a child process ------------------------------------------------------


def _cpu() -> float:
    return time.process_time()


def _probe_core(data_dir: Path) -> dict[str, Any]:
    """Time each core stage on the functions themselves (run in a fresh process)."""
    stages: dict[str, dict[str, float]] = {}

    @contextlib.contextmanager
    def stage(name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), _cpu()
        yield
        stages[name] = {"wall": time.perf_counter() - wall, "cpu": _cpu() - cpu}

    with stage("import"):
        from fazhi.records import read_data
        from fazhi.render import render_pages
        from fazhi.validate import validate
    with stage("read"):
        raw = read_data(data_dir)
    with stage("validate"):
        dataset, problems = validate(raw)
    if raw.problems or problems:
        raise SystemExit(f"data set has {len(raw.problems) + len(problems)} problems")
    del raw
    with stage("published"):
        published = dataset.published()
    pages: list[Any] = []
    summary = None
    with contextlib.suppress(ImportError), stage("aggregate"):
        from fazhi.stats import aggregate
        summary = aggregate(published)
    with stage("render_pages"):
        # The pipeline hands the aggregate to render_pages, which otherwise computes it again.
        if summary is not None and len(inspect.signature(render_pages).parameters) > 1:
            pages += render_pages(published, summary)  # type: ignore[call-arg]
        else:
            pages += render_pages(published)
    optional: list[tuple[str, str, str, Callable[[Any], Any]]] = [
        # render_pages above includes the home and statistics pages (fazhi.render.dashboard).
        ("render_guide", "fazhi.render.guide", "render_errors_page", lambda f: [f()]),
        ("exports", "fazhi.render.downloads", "render_exports", lambda f: f(published, "http://127.0.0.1:8000/")),
        ("feed", "fazhi.render.feed", "render_feed", lambda f: [f(published, "http://127.0.0.1:8000/")]),
    ]
    skipped = []
    for name, module, function, call in optional:
        try:
            target = getattr(__import__(module, fromlist=[function]), function)
        except (ImportError, AttributeError):
            skipped.append(name)
            continue
        try:
            with stage(name):
                pages += list(call(target))
        except TypeError as error:  # the function's signature changed: say so, go on
            skipped.append(f"{name} ({error})")
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return {"stages": stages, "pages": len(pages), "skipped": skipped,
            "markdown_bytes": sum(len(p.content.encode("utf-8")) for p in pages),
            "maxrss_mb": usage.ru_maxrss / 1024}


def _probe_mkdocs(argv: Sequence[str]) -> None:
    """Run MkDocs with the hook's `generate` and the search indexer timed; write a JSON report.

    The report goes to the file named by FAZHI_BENCH_PROBE when the process exits. Patching
    works because the hook imports `generate` and `build_index` when MkDocs loads it, after
    this function has replaced them.
    """
    report: dict[str, Any] = {"generate": None, "search": None}
    started = time.perf_counter()

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            wall, cpu = time.perf_counter(), _cpu()
            children = resource.getrusage(resource.RUSAGE_CHILDREN)
            result = None
            try:
                result = function(*args, **kwargs)
                return result
            finally:
                after = resource.getrusage(resource.RUSAGE_CHILDREN)
                report[name] = {
                    "wall": time.perf_counter() - wall, "cpu": _cpu() - cpu,
                    "child_cpu": (after.ru_utime + after.ru_stime)
                    - (children.ru_utime + children.ru_stime),
                    "child_maxrss_mb": after.ru_maxrss / 1024, "runs": getattr(result, "runs", None),
                    "at_once": getattr(result, "at_once", 1)}
                if name == "search":
                    # The children's peak is the largest child's ever: the build's own forked
                    # processes (`fazhi.parallel`, `_Share`) as much as Pagefind. Each Pagefind
                    # run's peak comes from GNU time instead; `at_once` runs at a time hold at
                    # most that many times the largest.
                    peaks = [int(line) for line in pagefind_peaks.read_text().split() if line.isdigit()]
                    if peaks:
                        report[name]["child_maxrss_mb"] = max(peaks) / 1024
        return wrapper

    pagefind_peaks = Path(tempfile.mkdtemp(prefix="fazhi-bench-")) / "pagefind-peaks"
    pagefind_peaks.write_text("")

    with contextlib.suppress(ImportError):
        import fazhi.pipeline
        fazhi.pipeline.generate = timed("generate", fazhi.pipeline.generate)  # type: ignore[method-assign]
    with contextlib.suppress(ImportError):
        import fazhi.search
        fazhi.search.build_index = timed("search", fazhi.search.build_index)  # type: ignore[attr-defined]
    if "fazhi.search" in sys.modules and Path("/usr/bin/time").is_file():  # Debian's `time` package
        pagefind = fazhi.search.get_executable()
        measured = pagefind_peaks.with_name("pagefind")
        measured.write_text(f'#!/bin/sh\nexec /usr/bin/time -f %M -a -o "{pagefind_peaks}" "{pagefind}" "$@"\n')
        measured.chmod(0o755)
        fazhi.search.get_executable = lambda: measured  # type: ignore[attr-defined]

    def write() -> None:
        own = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        report.update(wall=time.perf_counter() - started, cpu=own.ru_utime + own.ru_stime,
                      maxrss_mb=own.ru_maxrss / 1024, child_maxrss_mb=children.ru_maxrss / 1024)
        Path(os.environ["FAZHI_BENCH_PROBE"]).write_text(json.dumps(report), encoding="utf-8")

    import atexit

    atexit.register(write)
    from mkdocs.__main__ import cli

    sys.argv = ["mkdocs", *argv]
    cli()


# --- projects -------------------------------------------------------------------------------


def _config_loader() -> type[yaml.SafeLoader]:
    """A YAML loader for mkdocs.yml that reads ``!ENV [NAME, default]`` as its default."""
    class Loader(yaml.SafeLoader):
        pass

    def env(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
        if isinstance(node, yaml.SequenceNode):
            values = loader.construct_sequence(node)
            return os.environ.get(values[0], values[-1] if len(values) > 1 else None)
        return os.environ.get(loader.construct_scalar(node))  # type: ignore[arg-type]

    Loader.add_constructor("!ENV", env)
    return Loader


def _project(work: Path, data_dir: Path) -> Path:
    """A fresh MkDocs project: the repository's mkdocs.yml, content/, overrides/, data/."""
    project = work / "project"
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for name in ("content", "overrides"):
        if (ROOT / name).exists():
            shutil.copytree(ROOT / name, project / name)
    shutil.copytree(data_dir, project / "data")
    (project / "fazhi").symlink_to(ROOT / "fazhi")  # `hooks: [fazhi/mkdocs_hook.py]`
    # A git checkout, as the project is where staff run `make serve`: each record's last change
    # (and the data's date) then comes from its commit, not from the files' modification times,
    # which every saved edit would move for all records at once.
    git = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]
    stamp = {"GIT_AUTHOR_DATE": "2024-06-01T00:00:00+08:00", "GIT_COMMITTER_DATE": "2024-06-01T00:00:00+08:00"}
    for command in (["init", "-q"], ["add", "data"], ["commit", "-q", "-m", "data"]):
        subprocess.run([*git, *command], cwd=project, check=True, capture_output=True, env={**os.environ, **stamp})
    return project


def _bare_project(work: Path, data_dir: Path, search: bool) -> Path:
    """The same pages for bare MkDocs + Material: generated Markdown, no hook, no overrides."""
    project = work / ("bare-search" if search else "bare")
    docs = work / "bare-docs"
    if not docs.exists():
        _run([PYTHON, str(ROOT / "build_stats.py"), "--data", str(data_dir), "build",
              "--out", str(docs)])
        for item in (ROOT / "content").rglob("*"):
            target = docs / item.relative_to(ROOT / "content")
            if item.is_file() and not target.exists():
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(item, target)
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    config = yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=_config_loader())
    theme = {key: value for key, value in config.get("theme", {}).items() if key != "custom_dir"}
    bare = {key: config[key] for key in (
        "site_name", "site_description", "site_url", "use_directory_urls", "markdown_extensions",
        "nav", "not_in_nav", "extra_css", "extra_javascript", "extra") if key in config}
    bare.update(docs_dir=str(docs), theme=theme,
                plugins=[{"search": {"lang": "zh"}}] if search else [])
    (project / "mkdocs.yml").write_text(yaml.safe_dump(bare, allow_unicode=True, sort_keys=False),
                                        encoding="utf-8")
    return project


def _mkdocs_build(project: Path, site: Path) -> tuple[Child, dict[str, Any]]:
    """Build `project` into `site` under the probe; return the process and the probe report."""
    if site.exists():
        shutil.rmtree(site)
    probe = project / "probe.json"
    child = _run([PYTHON, "-m", "bench.run", "--probe-mkdocs", "build", "--quiet",
                  "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(site)],
                 cwd=ROOT, env={"FAZHI_BENCH_PROBE": str(probe), "NO_MKDOCS_2_WARNING": "1",
                                "PYTHONPATH": str(ROOT)})
    return child, json.loads(probe.read_text(encoding="utf-8"))


# --- the built site -------------------------------------------------------------------------


@dataclass
class SiteFigures:
    """Sizes of a built site."""

    pages: int
    site_mb: float
    search_bundle_mb: float
    median_page_kb: float
    largest_page_kb: float
    largest_page: str
    median_case_kb: float
    largest_case_kb: float


def _site_figures(site: Path) -> SiteFigures:
    pages = [path for path in site.rglob("*.html") if "pagefind" not in path.parts]
    sizes = {path.relative_to(site).as_posix(): path.stat().st_size for path in pages}
    cases = [size for name, size in sizes.items() if name.startswith("cases/") and name != "cases/index.html"]
    bundle = site / "pagefind"
    total = sum(path.stat().st_size for path in site.rglob("*") if path.is_file())
    bundle_bytes = sum(path.stat().st_size for path in bundle.rglob("*") if path.is_file()) \
        if bundle.exists() else 0
    largest = max(sizes, key=lambda name: sizes[name])
    return SiteFigures(
        pages=len(pages), site_mb=total / 1e6, search_bundle_mb=bundle_bytes / 1e6,
        median_page_kb=statistics.median(sizes.values()) / 1e3,
        largest_page_kb=sizes[largest] / 1e3, largest_page=largest,
        median_case_kb=statistics.median(cases) / 1e3 if cases else 0.0,
        largest_case_kb=max(cases) / 1e3 if cases else 0.0)


# --- first search in Chromium ---------------------------------------------------------------

_PAGEFIND_SHOWN = """() => {
  const meta = document.querySelector("[data-fazhi-search-meta]");
  return meta && /结果/.test(meta.textContent);
}"""
_MATERIAL_SHOWN = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  return meta && /\\d|没有/.test(meta.textContent);
}"""


def _first_search(site: Path, material: bool) -> dict[str, Any]:
    """Bytes a fresh browser downloads for one search: median and largest over the standard
    queries of `bench.search_quality` (Pagefind), or over `MATERIAL_QUERIES` (Material).

    Pagefind (our site): the search requests (``pagefind/``, ``assets/search/``) made from
    typing the query until the first results are shown, as `bench.search_quality` measures
    it; anything else fetched meanwhile is reported apart as ``other_kb``. Material's search
    fetches its whole index when the page loads, so there every search-related request since
    the page started loading counts (search_index.json, the worker, lunr's language files).
    """
    try:
        from playwright.sync_api import sync_playwright

        from bench.search_quality import CHROMIUM, CHROMIUM_ARGS, QUERIES, serve
    except ImportError as error:
        return {"error": f"no browser measurement: {error}"}
    pattern = re.compile(r"search|lunr|worker" if material else r"pagefind/|assets/search/")
    results = []
    with serve(site) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for query in MATERIAL_QUERIES if material else QUERIES:
            context = browser.new_context()
            page = context.new_page()
            requests: list[tuple[str, int]] = []

            def finished(request: Any, requests: list[tuple[str, int]] = requests) -> None:
                sizes = request.sizes()
                requests.append((request.url, sizes["responseBodySize"] + sizes["responseHeadersSize"]))

            if material:
                page.on("requestfinished", finished)
            page.goto(root, wait_until="load")
            if not material:
                page.wait_for_load_state("networkidle")
                page.on("requestfinished", finished)
            page.keyboard.press("/")
            page.keyboard.type(query)
            page.wait_for_function(_MATERIAL_SHOWN if material else _PAGEFIND_SHOWN, timeout=120_000)
            page.wait_for_load_state("networkidle")
            search = [(url, size) for url, size in requests if pattern.search(url)]
            other = [(url, size) for url, size in requests if not pattern.search(url)]
            results.append({"query": query, "bytes": sum(size for _, size in search),
                            "gzip_bytes": sum(_served_gzip(site, url.removeprefix(root), size) for url, size in search),
                            "requests": len(search),
                            "other_kb": sum(size for _, size in other) / 1e3 if not material else 0,
                            "other": sorted({url.removeprefix(root) for url, _ in other})[:10]})
            context.close()
        browser.close()
    largest = max(results, key=lambda r: r["bytes"])
    return {"median_kb": statistics.median(r["bytes"] for r in results) / 1e3,
            "max_kb": largest["bytes"] / 1e3, "max_query": largest["query"],
            "over_500": sum(r["bytes"] > 500_000 for r in results),
            "gzip_median_kb": statistics.median(r["gzip_bytes"] for r in results) / 1e3,
            "gzip_max_kb": max(r["gzip_bytes"] for r in results) / 1e3,
            "gzip_over_500": sum(r["gzip_bytes"] > 500_000 for r in results), "queries": results}


#: What a usual static host compresses on the fly (nginx `gzip_types`, most CDNs): text files.
#: Pagefind's index files (``.pf_meta``, ``.pf_index``, ``.pf_fragment``, ``wasm.*.pagefind``)
#: are gzip inside already; a host sends them as they are.
GZIP_SUFFIXES = (".js", ".css", ".json", ".html", ".svg", ".xml")


def _served_gzip(site: Path, path: str, size: int) -> int:
    """The bytes of one response when the host gzips text files (level 6, nginx's default is
    1–6): the file gzipped plus what the response's headers took; other files as they were."""
    file = site / path.split("?", 1)[0]
    if file.suffix not in GZIP_SUFFIXES or not file.is_file():
        return size
    body = file.stat().st_size
    headers = max(0, size - body)
    return headers + len(gzip.compress(file.read_bytes(), 6))


def _page_load(site: Path, path: str) -> dict[str, Any]:
    """Bytes a fresh browser downloads to show `path` (until the network is idle)."""
    try:
        from playwright.sync_api import sync_playwright

        from bench.search_quality import CHROMIUM, CHROMIUM_ARGS, serve
    except ImportError as error:
        return {"error": f"no browser measurement: {error}"}
    with serve(site) as root, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context().new_page()
        requests: list[tuple[str, int]] = []
        page.on("requestfinished", lambda request: requests.append(
            (request.url.removeprefix(root),
             request.sizes()["responseBodySize"] + request.sizes()["responseHeadersSize"])))
        page.goto(root + path, wait_until="load")
        page.wait_for_load_state("networkidle")
        browser.close()
    largest = sorted(requests, key=lambda item: -item[1])[:3]
    return {"path": path, "kb": sum(size for _, size in requests) / 1e3, "requests": len(requests),
            "largest": [f"{url} {size / 1e3:.0f} KB" for url, size in largest]}


def _material_index_figures(site: Path) -> dict[str, float]:
    index = site / "search" / "search_index.json"
    if not index.exists():
        return {}
    raw = index.read_bytes()
    return {"index_kb": len(raw) / 1e3, "index_gzip_kb": len(gzip.compress(raw, 6)) / 1e3}


# --- `mkdocs serve`: one rebuild after editing a record --------------------------------------


def _serve_rebuild(project: Path, port: int = 8765 + 17, edits: int = 3) -> dict[str, Any]:
    """Start ``mkdocs serve --dirty`` as `make serve` does, then edit the title of `edits`
    published cases one after another, timing each until its page shows the new title."""
    import urllib.request

    cases = [path for path in sorted((project / "data" / "cases").glob("*.yaml"))
             if path.read_text(encoding="utf-8").rstrip().endswith("status: published")][:edits]
    log = project / "serve.log"
    with log.open("wb") as out:
        server = subprocess.Popen(
            [PYTHON, "-m", "mkdocs", "serve", "--dirty", "--dev-addr", f"127.0.0.1:{port}",
             "--config-file", str(project / "mkdocs.yml")],
            cwd=project, stdout=out, stderr=subprocess.STDOUT,
            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    originals = {case: case.read_text(encoding="utf-8") for case in cases}
    try:
        def fetch(case: Path) -> str:
            try:
                url = f"http://127.0.0.1:{port}/cases/{case.stem}/"
                with urllib.request.urlopen(url, timeout=30) as response:
                    return str(response.read().decode("utf-8"))
            except OSError:
                return ""

        started = time.perf_counter()
        while "</html>" not in fetch(cases[0]):
            if server.poll() is not None or time.perf_counter() - started > 900:
                raise RuntimeError("mkdocs serve did not start:\n" + log.read_text(errors="replace")[-3000:])
            time.sleep(0.5)
        first_build = time.perf_counter() - started
        times = []
        for case in cases:
            time.sleep(2)  # let the watcher settle
            marker = f"（已更新{int(time.time())}）"
            edited = re.sub(r"^title: (.*)$", lambda m, marker=marker: f"title: {m.group(1)}{marker}",
                            originals[case], count=1, flags=re.M)
            edited_at = time.perf_counter()
            case.write_text(edited, encoding="utf-8")
            while marker not in fetch(case):
                if time.perf_counter() - edited_at > 900:
                    raise RuntimeError("the edited page was never served")
                time.sleep(0.1)
            times.append(time.perf_counter() - edited_at)
        return {"first_build_s": first_build, "edit_to_page_s": statistics.median(times),
                "edit_to_page_max_s": max(times)}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        for case, text in originals.items():
            case.write_text(text, encoding="utf-8")


# --- one size -------------------------------------------------------------------------------


@dataclass
class SizeResult:
    """Everything measured for one data-set size."""

    cases: int
    campaigns: int
    published_cases: int = 0
    runs: dict[str, list[dict[str, float]]] = field(default_factory=dict)
    core: dict[str, Any] = field(default_factory=dict)
    site: dict[str, Any] = field(default_factory=dict)
    search_pagefind: dict[str, Any] = field(default_factory=dict)
    search_material: dict[str, Any] = field(default_factory=dict)
    case_page_load: dict[str, Any] = field(default_factory=dict)
    serve: dict[str, Any] = field(default_factory=dict)

    def add(self, name: str, **values: float | None) -> None:
        self.runs.setdefault(name, []).append({k: v for k, v in values.items() if v is not None})

    def median(self, name: str, key: str) -> float | None:
        values = [run[key] for run in self.runs.get(name, []) if run.get(key) is not None]
        return statistics.median(values) if values else None


def _generator_stamp(cases: int, campaigns: int) -> str:
    source = (ROOT / "bench" / "generate.py").read_bytes()
    return hashlib.sha256(source + f"{cases}/{campaigns}".encode()).hexdigest()[:16]


def _dataset(work: Path, cases: int, campaigns: int, say: Callable[[str], None]) -> Path:
    from bench.generate import generate

    data = work / "data"
    stamp = data / ".generator"
    wanted = _generator_stamp(cases, campaigns)
    if not (stamp.exists() and stamp.read_text() == wanted):
        say(f"生成数据：{cases} 个案例、{campaigns} 个专项行动 → {data}")
        generate(data, cases, campaigns)
        stamp.write_text(wanted)
    return data


def measure_size(cases: int, campaigns: int, repeat: int, work_root: Path, *, browser: bool,
                 bare: bool, serve: bool, say: Callable[[str], None]) -> SizeResult:
    """Run every measurement for one size."""
    work = work_root / f"size-{cases}-{campaigns}"
    work.mkdir(parents=True, exist_ok=True)
    data = _dataset(work, cases, campaigns, say)
    result = SizeResult(cases, campaigns)
    result.published_cases = sum(
        1 for path in (data / "cases").glob("*.yaml")
        if path.read_text(encoding="utf-8").rstrip().endswith("status: published"))
    shutil.rmtree(work / "bare-docs", ignore_errors=True)
    project = _project(work, data)
    bare_project = _bare_project(work, data, search=False) if bare else None
    search_project = _bare_project(work, data, search=True) if bare else None

    for run in range(1, repeat + 1):
        say(f"[{cases}] 第 {run}/{repeat} 轮：check")
        child = _run([PYTHON, str(ROOT / "build_stats.py"), "--data", str(data), "check"])
        result.add("check", wall=child.wall, cpu=child.cpu, maxrss_mb=child.maxrss_mb)

        say(f"[{cases}] 第 {run}/{repeat} 轮：核心各阶段")
        child = _run([PYTHON, "-m", "bench.run", "--probe-core", str(data)], cwd=ROOT,
                     env={"PYTHONPATH": str(ROOT)})
        core = json.loads(child.stdout.strip().splitlines()[-1])
        result.core = {"pages": core["pages"], "markdown_mb": core["markdown_bytes"] / 1e6,
                       "skipped": core["skipped"]}
        stages = core["stages"]
        values: dict[str, float | None] = {f"{k}_wall": v["wall"] for k, v in stages.items()}
        values.update({f"{k}_cpu": v["cpu"] for k, v in stages.items()})
        values["maxrss_mb"] = core["maxrss_mb"]
        result.add("core", **values)

        say(f"[{cases}] 第 {run}/{repeat} 轮：完整 MkDocs 构建（含搜索索引）")
        child, probe = _mkdocs_build(project, work / "site")
        search = probe.get("search") or {}
        generate = probe.get("generate") or {}
        result.add("build", wall=child.wall, cpu=child.cpu, maxrss_mb=probe["maxrss_mb"],
                   generate_wall=generate.get("wall"), generate_cpu=generate.get("cpu"),
                   search_wall=search.get("wall"),
                   search_cpu=(search.get("cpu", 0) + search.get("child_cpu", 0)) if search else None,
                   search_maxrss_mb=search.get("child_maxrss_mb"), search_runs=search.get("runs"),
                   search_at_once=search.get("at_once"),
                   search_peak_mb=(search["child_maxrss_mb"] * (search.get("at_once") or 1)) if search else None,
                   no_search_wall=child.wall - search["wall"] if search else child.wall,
                   no_search_cpu=(probe["cpu"] - search.get("cpu", 0)) if search else probe["cpu"])

        if bare_project is not None and search_project is not None:
            say(f"[{cases}] 第 {run}/{repeat} 轮：裸 MkDocs + Material（无搜索）")
            child, probe = _mkdocs_build(bare_project, work / "site-bare")
            result.add("bare", wall=child.wall, cpu=child.cpu, maxrss_mb=probe["maxrss_mb"])
            say(f"[{cases}] 第 {run}/{repeat} 轮：MkDocs + Material + search 插件")
            child, probe = _mkdocs_build(search_project, work / "site-bare-search")
            result.add("material_search", wall=child.wall, cpu=child.cpu, maxrss_mb=probe["maxrss_mb"])

    result.site = asdict(_site_figures(work / "site"))
    if bare:
        result.site["bare_pages"] = _site_figures(work / "site-bare").pages
        result.search_material = _material_index_figures(work / "site-bare-search")
    if browser:
        say(f"[{cases}] 首次搜索的下载量（Chromium）")
        if (work / "site" / "pagefind").exists():
            result.search_pagefind = _first_search(work / "site", material=False)
        if bare:
            result.search_material.update(_first_search(work / "site-bare-search", material=True))
        case_page = next(iter(sorted((work / "site" / "cases").glob("*/index.html"))), None)
        if case_page is not None:
            result.case_page_load = _page_load(work / "site", f"cases/{case_page.parent.name}/")
    if serve:
        say(f"[{cases}] mkdocs serve：改一个案例后多久能看到新页面")
        result.serve = _serve_rebuild(project)
    return result


# --- the report -----------------------------------------------------------------------------


def _fmt(value: float | None, digits: int = 2, unit: str = "") -> str:
    return "—" if value is None else f"{value:.{digits}f}{unit}"


def _pair(result: SizeResult, name: str, key: str) -> str:
    """``wall s (CPU s)`` for a measured time."""
    wall, cpu = result.median(name, f"{key}wall"), result.median(name, f"{key}cpu")
    if wall is None:
        return "—"
    return f"{wall:.2f} s ({_fmt(cpu)})"


def _ratio(a: float | None, b: float | None) -> str:
    return "—" if a is None or not b else f"{a / b:.2f}×"


def report(results: Sequence[SizeResult]) -> str:
    """The Markdown table for the README."""
    header = "| 指标 | " + " | ".join(f"{r.cases:,} 案例 / {r.campaigns:,} 行动" for r in results) + " | 目标 |"
    rows = [header, "|---|" + "---|" * len(results) + "---|"]

    def row(label: str, cell: Callable[[SizeResult], str], target: str = "") -> None:
        rows.append(f"| {label} | " + " | ".join(cell(r) for r in results) + f" | {target} |")

    stage_names = [("read", "读取 YAML + 模型"), ("validate", "校验（引用、合计、隐私）"),
                   ("aggregate", "统计汇总"), ("render_pages", "生成记录、列表和统计页面"),
                   ("exports", "生成数据下载"), ("feed", "生成订阅源")]
    row("已发布案例", lambda r: f"{r.published_cases:,}")
    row("`check` 用时（墙钟，括号内 CPU）", lambda r: _pair(r, "check", ""), "≤ 5 s")
    for key, label in stage_names:
        row(f"核心：{label}", lambda r, key=key: _pair(r, "core", f"{key}_"))
    row("完整构建（含搜索）", lambda r: _pair(r, "build", ""))
    row("　其中 hook 的 generate", lambda r: _pair(r, "build", "generate_"))
    row("　其中搜索索引（Pagefind）", lambda r: _pair(r, "build", "search_"))
    row("构建（不含搜索）", lambda r: _pair(r, "build", "no_search_"))
    row("裸 MkDocs + Material，同样的页面", lambda r: _pair(r, "bare", ""))
    row("我们的开销：不含搜索 ÷ 裸 MkDocs",
        lambda r: _ratio(r.median("build", "no_search_wall"), r.median("bare", "wall"))
        + f"（CPU {_ratio(r.median('build', 'no_search_cpu'), r.median('bare', 'cpu'))}）", "≤ 1.3×")
    row("MkDocs + Material + 自带搜索（lang: zh）", lambda r: _pair(r, "material_search", ""))
    row("完整构建 ÷ Material 自带搜索",
        lambda r: _ratio(r.median("build", "wall"), r.median("material_search", "wall"))
        + f"（CPU {_ratio(r.median('build', 'cpu'), r.median('material_search', 'cpu'))}）", "≤ 1.0×")
    row("每页用时（完整构建 ÷ 页数）",
        lambda r: _fmt(1000 * (r.median("build", "wall") or 0) / max(1, r.site.get("pages", 1)), 1, " ms"),
        "10,000 时 ≤ 1.2 × 1,000 时")
    row("峰值内存：Python 构建", lambda r: _fmt(r.median("build", "maxrss_mb"), 0, " MB"), "≤ 1 GB")
    row("峰值内存：搜索索引（Pagefind，同时运行的几次之和的上限）",
        lambda r: f"{_fmt(r.median('build', 'search_peak_mb'), 0, ' MB')}"
        f"（{_fmt(r.median('build', 'search_runs'), 0)} 次运行，"
        f"同时 {_fmt(r.median('build', 'search_at_once'), 0)} 次，"
        f"最大的一次 {_fmt(r.median('build', 'search_maxrss_mb'), 0, ' MB')}）", "10,000 时 ≤ 1 GB")
    row("峰值内存：`check`", lambda r: _fmt(r.median("check", "maxrss_mb"), 0, " MB"))
    row("峰值内存：裸 MkDocs / Material 搜索",
        lambda r: f"{_fmt(r.median('bare', 'maxrss_mb'), 0)} / {_fmt(r.median('material_search', 'maxrss_mb'), 0)} MB")
    row("页面数（HTML）", lambda r: f"{r.site.get('pages', 0):,}")
    row("网站大小（其中搜索包）",
        lambda r: f"{_fmt(r.site.get('site_mb'), 1)} MB（{_fmt(r.site.get('search_bundle_mb'), 1)} MB）")
    row("页面大小：中位数 / 最大", lambda r: f"{_fmt(r.site.get('median_page_kb'), 1)} / "
        f"{_fmt(r.site.get('largest_page_kb'), 0)} KB（{r.site.get('largest_page', '')}）")
    row("案例页：中位数 / 最大", lambda r: f"{_fmt(r.site.get('median_case_kb'), 1)} / "
        f"{_fmt(r.site.get('largest_case_kb'), 1)} KB", "≤ 40 KB")
    row("打开一个案例页的总下载量（空缓存）",
        lambda r: f"{_fmt(r.case_page_load.get('kb'), 0)} KB，{r.case_page_load.get('requests', 0)} 个请求"
        f"（最大：{'；'.join(r.case_page_load.get('largest', [])[:2])}）")
    row("首次搜索下载量（Pagefind，标准查询的中位数 / 最大）",
        lambda r: f"{_fmt(r.search_pagefind.get('median_kb'), 0)} / {_fmt(r.search_pagefind.get('max_kb'), 0)} KB"
        f"（最大：{r.search_pagefind.get('max_query', '—')}；超过 500 KB 的查询 "
        f"{r.search_pagefind.get('over_500', '—')} / {len(r.search_pagefind.get('queries', []))} 个）",
        "≤ 500 KB")
    row("首次搜索下载量，主机压缩文本文件时（gzip，中位数 / 最大）",
        lambda r: f"{_fmt(r.search_pagefind.get('gzip_median_kb'), 0)} / "
        f"{_fmt(r.search_pagefind.get('gzip_max_kb'), 0)} KB（超过 500 KB 的查询 "
        f"{r.search_pagefind.get('gzip_over_500', '—')} / {len(r.search_pagefind.get('queries', []))} 个）",
        "≤ 500 KB")
    row("首次搜索下载量（Material 自带搜索）",
        lambda r: f"{_fmt(r.search_material.get('median_kb'), 0)} KB"
        f"（索引 {_fmt(r.search_material.get('index_kb'), 0)} KB，"
        f"gzip 后 {_fmt(r.search_material.get('index_gzip_kb'), 0)} KB）")
    if any(r.serve for r in results):
        row("`make serve`（mkdocs serve --dirty）：改一个案例到页面更新（中位数）",
            lambda r: (f"{_fmt(r.serve.get('edit_to_page_s'), 1, ' s')}（最慢 "
                       f"{_fmt(r.serve.get('edit_to_page_max_s'), 1, ' s')}，首次构建 "
                       f"{_fmt(r.serve.get('first_build_s'), 0, ' s')}）") if r.serve else "—",
            "≤ 3 s（1,000 案例）")
    notes = []
    for r in results:
        if r.core.get("skipped"):
            notes.append(f"{r.cases:,}：未计时的阶段（模块不存在或接口改变）：{'、'.join(r.core['skipped'])}")
    return "\n".join(rows + (["", *notes] if notes else []))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--probe-core"]:
        print(json.dumps(_probe_core(Path(argv[1]))))
        return 0
    if argv[:1] == ["--probe-mkdocs"]:
        _probe_mkdocs(argv[1:])
        return 0
    parser = argparse.ArgumentParser(prog="python -m bench.run",
                                     description="规模测试：数据量增大时检查、核心和网站构建的用时、内存和页面大小。")
    parser.add_argument("--cases", type=int, nargs="+", default=[1000], help="案例数（可写多个，默认 1000）")
    parser.add_argument("--campaigns", type=int, nargs="+", default=None,
                        help="专项行动数，与 --cases 一一对应（默认 案例数/10）")
    parser.add_argument("--repeat", type=int, default=3, help="每项测几次取中位数（默认 3）")
    parser.add_argument("--work", type=Path, default=WORK, help=f"工作文件夹（默认 {WORK}）")
    parser.add_argument("--no-browser", action="store_true", help="不用 Chromium 测首次搜索")
    parser.add_argument("--no-bare", action="store_true", help="不构建裸 MkDocs 对照")
    parser.add_argument("--serve", action="store_true", help="另测 mkdocs serve 改一个案例后的重建时间")
    args = parser.parse_args(argv)
    campaigns = args.campaigns or [max(1, n // 10) for n in args.cases]
    if len(campaigns) != len(args.cases):
        parser.error("--campaigns 的个数要与 --cases 相同")
    work = args.work.resolve()
    if work == (ROOT / "data").resolve() or (ROOT / "data").resolve() in work.parents:
        parser.error("工作文件夹不能在 data/ 下")

    def say(message: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {message}", file=sys.stderr, flush=True)

    results = []
    for cases, count in zip(args.cases, campaigns, strict=True):
        result = measure_size(cases, count, args.repeat, work, browser=not args.no_browser,
                              bare=not args.no_bare, serve=args.serve, say=say)
        (work / f"results-{cases}.json").write_text(
            json.dumps(asdict(result), ensure_ascii=False, indent=2), encoding="utf-8")
        results.append(result)
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
