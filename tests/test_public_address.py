"""`make site` (``build_stats.py site``) says so, in Chinese, when the site is built for this machine."""

from __future__ import annotations

from pathlib import Path

import pytest

from fazhi import cli
from tests.conftest import DataDir


@pytest.mark.parametrize(("url", "local"), [
    ("http://127.0.0.1:8000/", True), ("http://localhost:8000/", True), ("http://127.1.2.3/", True),
    ("http://[::1]:8000/", True), ("http://0.0.0.0/", True), ("", True), ("/", True),
    ("https://fazhi.example.gov.cn/pub/", False), ("https://example.github.io/fazhi/", False),
    ("http://10.0.0.5/", False),  # an intranet address is a real one for its readers
])
def test_local_addresses(url: str, local: bool) -> None:
    assert cli.is_local_address(url) is local


def test_the_address_comes_from_the_environment_else_mkdocs_yml() -> None:
    assert cli.site_url({"FAZHI_SITE_URL": "https://fazhi.example.gov.cn/"}) == "https://fazhi.example.gov.cn/"
    assert cli.site_url({}) == "http://127.0.0.1:8000/"  # mkdocs.yml's default
    assert cli.site_url({"FAZHI_SITE_URL": "  "}) == "http://127.0.0.1:8000/"


def _site(data: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
          url: str | None) -> str:
    """Run `site` with MkDocs stubbed out (it fails at once); return what it printed on stderr."""
    if url is None:
        monkeypatch.delenv("FAZHI_SITE_URL", raising=False)
    else:
        monkeypatch.setenv("FAZHI_SITE_URL", url)
    monkeypatch.setattr(cli, "_mkdocs_build", lambda *args: 1)
    assert cli.main(["--data", str(data), "site", "--site-dir", str(tmp_path / "site")]) == 1
    return capsys.readouterr().err


def test_site_warns_when_built_for_the_local_address(data_dir: DataDir, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    err = _site(data_dir(), tmp_path, monkeypatch, capsys, None)
    warning = err.splitlines()[0]
    assert warning.startswith("注意：网站的公开网址是本机地址 http://127.0.0.1:8000/。")
    for needle in ("规范链接", "订阅", "网站地图", "数据下载", "FAZHI_SITE_URL=https://"):
        assert needle in warning, needle


def test_site_is_quiet_about_a_public_address(data_dir: DataDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    err = _site(data_dir(), tmp_path, monkeypatch, capsys, "https://fazhi.example.gov.cn/pub/")
    assert "本机地址" not in err
