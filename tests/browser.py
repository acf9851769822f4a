"""Shared parts for browser tests: a site folder served on 127.0.0.1, and Chromium.

The site is the session's `sample_site` (tests/conftest.py). Debian's /usr/bin/chromium drives
the pages through Playwright; no browser is downloaded. The tests skip only when Chromium is
absent and CI is unset: in CI (``CI=true``, as GitHub and GitLab set it) they fail instead.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def in_ci() -> bool:
    """Whether the tests run in CI (``CI`` set, and not to ``false`` or ``0``)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false")


def require_chromium() -> None:
    """Skip locally without Chromium; in CI a missing browser is a failure."""
    if not Path(CHROMIUM).exists():
        if in_ci():
            pytest.fail("CI must install Debian's chromium (see .ci/run)")
        pytest.skip("browser tests need Chromium and CJK fonts: apt-get install chromium fonts-noto-cjk "
                    "(.ci/run installs them; with CI=true a missing browser fails)")


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


class _Server(http.server.ThreadingHTTPServer):
    # Pagefind fetches index chunks and fragments in parallel; the default listen backlog
    # of 5 drops connections when the machine is busy.
    request_queue_size = 128


@contextmanager
def serve(site: Path) -> Iterator[str]:
    """Serve the folder `site` on a free port of 127.0.0.1; yield the base URL."""
    with _serving(functools.partial(_QuietHandler, directory=str(site)), "/") as url:
        yield url


@contextmanager
def _serving(handler: object, path: str) -> Iterator[str]:
    """Run `handler` on a free port of 127.0.0.1 in a thread; yield the URL of `path` there."""
    with _Server(("127.0.0.1", 0), handler) as server:  # type: ignore[arg-type]
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            yield f"http://127.0.0.1:{server.server_address[1]}{path}"
        finally:
            server.shutdown()


class _SiteHandler(_QuietHandler):
    """Serves a built site under a path prefix, answering a missing page with its 404.html,
    as a web server configured for the site does."""

    prefix = "/"
    site = Path()

    def translate_path(self, path: str) -> str:
        if not path.startswith(self.prefix):
            return str(self.site / "\0missing")
        return str(self.site / path[len(self.prefix):].split("?", 1)[0].split("#", 1)[0])

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        page = self.site / "404.html"
        if code != 404 or not page.is_file():
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@contextmanager
def serve_site(site: Path, prefix: str) -> Iterator[str]:
    """Serve the built site `site` at `prefix` (``/pub/``) on a free port of 127.0.0.1, with
    its 404.html for any missing path; yield the site's base URL (ending in `prefix`)."""
    with _serving(type("Handler", (_SiteHandler,), {"prefix": prefix, "site": site}), prefix) as url:
        yield url


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium browser (Playwright's sync API)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()
