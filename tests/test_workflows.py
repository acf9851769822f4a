"""The CI pipelines: GitHub Actions (ci.yml, pages.yml) and GitLab CI, read as YAML."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
PINNED = re.compile(r"^[\w.-]+/[\w.-]+@v\d+$")


def _load(path: Path) -> dict[Any, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict), path
    return data


def _triggers(workflow: dict[Any, Any]) -> dict[str, Any]:
    # PyYAML (YAML 1.1) reads the key `on` as True.
    triggers = workflow.get("on", workflow.get(True))
    return triggers if isinstance(triggers, dict) else {name: None for name in triggers}


def _steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def test_every_action_is_pinned_to_a_major_version() -> None:
    uses = [(path.name, step["uses"]) for path in sorted(WORKFLOWS.glob("*.yml"))
            for step in _steps(_load(path)) if "uses" in step]
    assert len(uses) >= 4, uses  # checkout and setup-python in ci.yml, the Pages actions in pages.yml
    assert [(name, action) for name, action in uses if not PINNED.match(action)] == []


def test_ci_runs_on_pull_requests_and_pushes() -> None:
    ci = _load(WORKFLOWS / "ci.yml")
    assert {"pull_request", "push"} <= set(_triggers(ci))
    steps = _steps(ci)
    uses = [step["uses"].split("@")[0] for step in steps if "uses" in step]
    assert uses[:2] == ["actions/checkout", "actions/setup-python"]
    python = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python"))
    assert str(python["with"]["python-version"]) == "3.11"
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "python build_stats.py check --format github" in runs
    assert "fonts-noto-cjk" in runs and "chromium" in runs
    order = [runs.index(text) for text in ("--format github", "make test", "make site")]
    assert order == sorted(order)


def test_pages_builds_on_main_and_deploys_the_site() -> None:
    pages = _load(WORKFLOWS / "pages.yml")
    assert _triggers(pages)["push"]["branches"] == ["main"]
    assert pages["permissions"]["pages"] == "write"
    assert pages["permissions"]["id-token"] == "write"
    steps = _steps(pages)
    runs = "\n".join(step.get("run", "") for step in steps)
    assert "make site" in runs
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "site"
    guard = next(i for i, step in enumerate(steps) if ".ci/require-site-url" in step.get("run", ""))
    build = next(i for i, step in enumerate(steps) if "make site" in step.get("run", ""))
    assert guard < build  # the address is checked before building
    assert "vars.FAZHI_SITE_URL" in steps[guard]["env"]["FAZHI_SITE_URL"]
    assert "FAZHI_SITE_URL" not in steps[build]["env"]  # the build uses the checked address
    deploy = pages["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert any(step.get("uses", "").startswith("actions/deploy-pages@") for step in deploy["steps"])


def test_gitlab_has_check_test_and_pages() -> None:
    gitlab = _load(ROOT / ".gitlab-ci.yml")
    assert gitlab["image"] == "python:3.11-bookworm"
    assert gitlab["stages"] == ["check", "test", "pages"]
    assert gitlab["check"]["stage"] == "check"
    assert gitlab["test"]["stage"] == "test"
    pages = gitlab["pages"]
    assert pages["stage"] == "pages"
    assert pages["artifacts"]["paths"] == ["public"]
    script = "\n".join(pages["script"])
    assert "make site" in script and "public" in script
    assert script.index(".ci/require-site-url") < script.index("make site")  # refused before building
    assert "make check" in "\n".join(gitlab["check"]["script"])
    assert ".ci/run" in "\n".join(gitlab["test"]["script"])


def test_pre_commit_runs_the_checker_on_data_changes() -> None:
    config = _load(ROOT / ".pre-commit-config.yaml")
    hooks = [hook for repo in config["repos"] if repo["repo"] == "local" for hook in repo["hooks"]]
    check = next(hook for hook in hooks if hook["entry"] == "python build_stats.py check")
    assert check["pass_filenames"] is False
    assert check["language"] in ("system", "python")
    assert re.match(check["files"], "data/cases/x.yaml")
    assert not re.match(check["files"], "fazhi/cli.py")


def test_vscode_maps_the_data_files_to_the_schemas() -> None:
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapping = {glob: schema for schema, globs in settings["yaml.schemas"].items() for glob in globs}
    assert mapping == {
        "data/campaigns/*.yaml": "./schemas/campaign.schema.json",
        "data/cases/*.yaml": "./schemas/case.schema.json",
        "data/agencies.yaml": "./schemas/agencies.schema.json",
        "data/topics.yaml": "./schemas/topics.schema.json",
        "data/metrics.yaml": "./schemas/metrics.schema.json",
    }
    for schema in mapping.values():
        assert (ROOT / schema).is_file()
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


@pytest.mark.parametrize(("url", "refused"), [
    (None, "没有设置 FAZHI_SITE_URL"), ("", "没有设置 FAZHI_SITE_URL"), ("/", "没有设置 FAZHI_SITE_URL"),
    ("http://127.0.0.1:8000/", "是本机地址"), ("http://localhost:8000/", "是本机地址"),
    ("https://[::1]:8443/", "是本机地址"), ("fazhi.example.gov.cn", "不是以 http:// 或 https:// 开头的网址"),
    ("https://fazhi.example.gov.cn/pub/", None), ("https://example.github.io/fazhi/", None),
])
def test_the_deploy_guard_refuses_a_missing_or_local_address(url: str | None, refused: str | None) -> None:
    env = {k: v for k, v in os.environ.items() if k != "FAZHI_SITE_URL"}
    if url is not None:
        env["FAZHI_SITE_URL"] = url
    result = subprocess.run([str(ROOT / ".ci" / "require-site-url")], capture_output=True, text=True, env=env,
                            check=False)
    if refused is None:
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    else:
        assert result.returncode == 1
        assert result.stderr.startswith("不能发布：") and refused in result.stderr
        assert "FAZHI_SITE_URL" in result.stderr and "https://" in result.stderr
