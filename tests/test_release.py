"""Releases: a build runs once into a read-only folder with an id from its content; every
process runs from it; a write into it at run time is refused; a deploy restarts the
processes one by one into the next release, with both ids in the log."""

from __future__ import annotations

import os
import stat

import pytest

from autograder.release import RELEASE_ID, BuildFailed, Releases, deploy, start
from tests.conftest import write_app

BUILD = """
import hashlib, json

def build(src, out):
    css = (src / "site.css").read_bytes()
    name = "site." + hashlib.sha256(css).hexdigest()[:12] + ".css"
    (out / name).write_bytes(css)
    (out / "manifest.json").write_text(json.dumps({"site.css": name}))
    print("built", name)
"""

APP = """
import json, os
from pathlib import Path

RELEASE = Path(os.environ["RELEASE_DIR"])
MANIFEST = json.loads((RELEASE / "static" / "manifest.json").read_text())

def page():
    return os.environ["RELEASE_ID"], MANIFEST["site.css"]

def scribble():
    (RELEASE / "static" / "late.css").write_text("body {}")
"""


@pytest.fixture
def project(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    (src / "site.css").write_text("body { color: black }")
    return {
        "src": src,
        "app": write_app(tmp_path, "site_app.py", APP),
        "build": write_app(tmp_path, "build_step.py", BUILD),
    }


def test_a_build_runs_once_into_a_read_only_release_with_a_content_id(project, tmp_path):
    with Releases(tmp_path / "releases") as releases:
        one = releases.build(project["app"], build_file=project["build"], src=project["src"])
        files = one.files()
        assert set(files) == {"site_app.py", "static/manifest.json", f"static/{_css(files)}"}
        for path in [one.folder, *one.folder.rglob("*")]:
            assert not path.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH), path
        # The same code built again: another release number, the same content id.
        two = releases.build(project["app"], build_file=project["build"], src=project["src"])
        assert one.id.startswith("v1-") and two.id.startswith("v2-")
        assert one.id.split("-")[1] == two.id.split("-")[1]
        (project["src"] / "site.css").write_text("body { color: navy }")
        three = releases.build(project["app"], build_file=project["build"], src=project["src"])
        assert three.id.split("-")[1] != one.id.split("-")[1]
        assert _css(three.files()) != _css(files)
    assert not (tmp_path / "releases").exists()


def _css(files: dict[str, bytes]) -> str:
    return next(p for p in files if p.endswith(".css")).split("/")[-1]


def test_a_failing_build_is_reported_with_what_it_printed(project, tmp_path):
    broken = write_app(tmp_path, "broken.py", "def build(src, out):\n    raise ValueError('no')\n")
    missing = write_app(tmp_path, "empty.py", "X = 1\n")
    with Releases(tmp_path / "releases") as releases:
        with pytest.raises(BuildFailed, match="ValueError: no"):
            releases.build(project["app"], build_file=broken, src=project["src"])
        with pytest.raises(BuildFailed, match="no function build"):
            releases.build(project["app"], build_file=missing, src=project["src"])
        assert releases.history == [] and list(releases.root.iterdir()) == []


def test_processes_run_from_the_release_and_may_not_write_into_it(project, tmp_path, redis_service):
    with Releases(tmp_path / "releases") as releases:
        one = releases.build(project["app"], build_file=project["build"], src=project["src"])
        with start(one, processes=2, redis=redis_service) as cluster:
            pages = [cluster.send("page", {}).value for _ in range(2)]
            assert pages == [(one.id, _css(one.files()))] * 2
            served = cluster.send("scribble", {})
            assert served.error and served.error["kind"] == "PermissionError"
            assert any(p.violations for p in cluster.processes)
            assert not (one.static / "late.css").exists()


def test_a_deploy_restarts_old_to_new_one_process_at_a_time(project, tmp_path, redis_service):
    with Releases(tmp_path / "releases") as releases:
        one = releases.build(project["app"], build_file=project["build"], src=project["src"])
        (project["src"] / "site.css").write_text("body { color: navy }")
        two = releases.build(project["app"], build_file=project["build"], src=project["src"])
        with start(one, processes=3, redis=redis_service) as cluster:
            seen = []

            def between(slot):
                seen.append([cluster.send("page", {}, to=s).value[0] for s in range(3)])

            deploy(cluster, two, between=between)
            assert seen == [
                [two.id, one.id, one.id],
                [two.id, two.id, one.id],
                [two.id, two.id, two.id],
            ]
            assert cluster.env[RELEASE_ID] == two.id
            log = "\n".join(cluster.history())
            assert f"from release {one.id} to {two.id}" in log
            assert log.count(f"(release {two.id})") == 3
    assert os.environ.get(RELEASE_ID) is None  # the notebook's own environment is untouched
