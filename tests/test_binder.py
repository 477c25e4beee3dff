"""Binder and `make lab` give learners a JupyterLab without nbgrader's instructor tools.

The fast tests check the files and that every plugin and server extension named in
scripts/learner-mode.sh exists in the installed nbgrader. The repo2docker test checks
the Dockerfile Binder would build. The slow test builds the Binder environment for
real in a fresh venv (pins from environment.yml, then postBuild), starts JupyterLab
and asks the running server what a learner gets.
"""

import importlib.metadata
import importlib.util
import json
import os
import re
import shutil
import signal
import socket
import stat
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
LEARNER_MODE = ROOT / "scripts" / "learner-mode.sh"
START_NOTEBOOK = "notebooks/00-start-here.ipynb"
START_NOTEBOOK_CS = "notebooks/cs/00-start-here.ipynb"  # the README's second badge
VENV_BIN = Path(sys.executable).parent

# What learners keep: the notebook's Validate button and the handler behind it.
VALIDATE_PLUGIN = "@jupyter/nbgrader:validate-assignment"
VALIDATE_EXTENSION = "nbgrader.server_extensions.validate_assignment"


def require_tool(name: str) -> str:
    """Path of a program (the venv's first); a skip locally, a failure in CI."""
    path = shutil.which(name, path=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is missing: .ci/run or requirements-dev.txt must provide it")
        pytest.skip(f"{name} is not installed")
    return path


def bash_array(name: str) -> list[str]:
    """The words of `name=( ... )` in scripts/learner-mode.sh."""
    text = LEARNER_MODE.read_text(encoding="utf-8")
    match = re.search(rf"^{name}=\((.*?)^\)", text, re.M | re.S)
    assert match, f"{name}=( ... ) not found in {LEARNER_MODE.name}"
    return match[1].split()


INSTRUCTOR_PLUGINS = bash_array("lab_plugins")
INSTRUCTOR_EXTENSIONS = bash_array("server_extensions")


def repo_files(root: Path) -> list[Path]:
    """The working tree as git sees it: tracked and new files, nothing ignored."""
    git = shutil.which("git")
    if git and (root / ".git").exists():
        out = subprocess.run(
            [git, "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=root,
            capture_output=True,
            check=True,
        ).stdout
        names = [name for name in out.decode().split("\0") if name]
        return [Path(name) for name in names if (root / name).is_file()]
    skip = {".git", ".venv", "__pycache__", ".pytest_cache", ".ruff_cache", "build", "dist"}
    return [
        path.relative_to(root)
        for path in root.rglob("*")
        if path.is_file() and not skip & set(path.relative_to(root).parts)
    ]


@pytest.fixture(scope="module")
def repo_copy(tmp_path_factory) -> Path:
    """A copy of the working tree, so installs never write into the checkout."""
    copy = tmp_path_factory.mktemp("repo")
    for name in repo_files(ROOT):
        target = copy / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, target)  # keeps the executable bits
    for start in (copy / START_NOTEBOOK, copy / START_NOTEBOOK_CS):
        if not start.exists():  # the course notebooks may not be generated yet
            start.parent.mkdir(parents=True, exist_ok=True)
            start.write_text(json.dumps(PLACEHOLDER_NOTEBOOK), encoding="utf-8")
    return copy


PLACEHOLDER_NOTEBOOK = {
    "cells": [{"cell_type": "markdown", "metadata": {}, "source": ["placeholder"]}],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


# -- the files --------------------------------------------------------------------------


def test_no_binder_folder_hides_the_top_level_files():
    # repo2docker reads only binder/ (or .binder/) when one exists, ignoring the
    # top-level environment.yml and postBuild.
    assert not (ROOT / "binder").exists()
    assert not (ROOT / ".binder").exists()


@pytest.mark.parametrize("script", ["postBuild", "scripts/learner-mode.sh"])
def test_build_scripts_are_strict_bash(script):
    path = ROOT / script
    assert path.stat().st_mode & stat.S_IXUSR, f"{script} must be executable"
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == "#!/bin/bash"
    commands = [line for line in lines[1:] if line and not line.startswith("#")]
    assert commands[0] == "set -euo pipefail", f"{script} must start with set -euo pipefail"


def test_postbuild_installs_only_the_package_then_learner_mode():
    text = (ROOT / "postBuild").read_text(encoding="utf-8")
    assert re.search(r"pip install --no-deps -e \.$", text, re.M)
    assert re.search(r"^scripts/learner-mode\.sh$", text, re.M)


def test_make_lab_shares_the_learner_mode_step():
    assert "scripts/learner-mode.sh" in (ROOT / "Makefile").read_text(encoding="utf-8")


# -- the ids in learner-mode.sh against the installed nbgrader ----------------------------


def nbgrader_dir() -> Path:
    spec = importlib.util.find_spec("nbgrader")  # found, not imported
    assert spec and spec.origin, "nbgrader is not installed"
    return Path(spec.origin).parent


def nbgrader_lab_plugins() -> set[str]:
    static = nbgrader_dir() / "labextension" / "static"
    ids = set()
    for bundle in static.glob("*.js"):
        ids |= set(re.findall(r'"(@jupyter/nbgrader:[a-z-]+)"', bundle.read_text("utf-8")))
    assert ids, f"no plugin ids found in {static}"
    return ids


def nbgrader_server_extensions() -> set[str]:
    """The server extensions that nbgrader's own install enables."""
    from jupyter_core.paths import jupyter_config_path

    for config_dir in jupyter_config_path():
        path = Path(config_dir) / "jupyter_server_config.d" / "nbgrader.json"
        if path.exists():
            config = json.loads(path.read_text(encoding="utf-8"))
            return set(config["ServerApp"]["jpserver_extensions"])
    pytest.fail("nbgrader.json is in no jupyter_server_config.d folder")


def test_learner_mode_hides_every_nbgrader_plugin_but_validate():
    shipped = nbgrader_lab_plugins()
    unknown = set(INSTRUCTOR_PLUGINS) - shipped
    assert not unknown, f"nbgrader no longer ships {sorted(unknown)}: update learner-mode.sh"
    assert shipped - set(INSTRUCTOR_PLUGINS) == {VALIDATE_PLUGIN}
    assert {
        "@jupyter/nbgrader:formgrader",
        "@jupyter/nbgrader:create-assignment",
        "@jupyter/nbgrader:course-list",
        "@jupyter/nbgrader:assignment-list",
    } <= set(INSTRUCTOR_PLUGINS)


def test_learner_mode_disables_every_nbgrader_server_extension_but_validate():
    enabled_by_nbgrader = nbgrader_server_extensions()
    unknown = set(INSTRUCTOR_EXTENSIONS) - enabled_by_nbgrader
    assert not unknown, f"nbgrader no longer has {sorted(unknown)}: update learner-mode.sh"
    assert enabled_by_nbgrader - set(INSTRUCTOR_EXTENSIONS) == {VALIDATE_EXTENSION}


# -- the Dockerfile Binder would build --------------------------------------------------


def test_repo2docker_builds_from_environment_yml_then_runs_postbuild(repo_copy, tmp_path):
    repo2docker = require_tool("repo2docker")
    result = subprocess.run(
        # Binder's user is uid 1000; as root, repo2docker would plan for uid 0.
        [repo2docker, "--no-build", "--debug", "--user-id", "1000", "--user-name", "jovyan"]
        + [str(repo_copy)],
        cwd=tmp_path,  # it also looks for a repo2docker_config.py in the cwd
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    log, dockerfile = result.stderr, result.stdout
    assert "Building conda environment for python=3.11" in log + dockerfile

    def position(pattern: str) -> int:
        match = re.search(pattern, dockerfile, re.M)
        assert match, f"{pattern!r} not in the Dockerfile:\n{dockerfile}"
        return match.start()

    copy_env = position(r"^COPY --chown=1000:1000 src/environment\.yml \$\{REPO_DIR\}/")
    env_update = position(r'env update -p \$\{NB_PYTHON_PREFIX\} --file "environment\.yml"')
    copy_repo = position(r"^COPY --chown=1000:1000 src/ \$\{REPO_DIR\}/$")
    post_build = position(r"^RUN \./postBuild$")
    assert copy_env < env_update < copy_repo < post_build
    assert "requirements.txt" not in dockerfile, "Binder should install environment.yml only"


# -- the real thing ---------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run(cmd: list, **kwargs) -> subprocess.CompletedProcess:
    result = subprocess.run(cmd, capture_output=True, text=True, **kwargs)
    assert result.returncode == 0, f"{cmd} failed:\n{result.stdout}\n{result.stderr}"
    return result


class Server:
    def __init__(self, port: int, token: str):
        self.base = f"http://127.0.0.1:{port}"
        self.token = token

    def request(self, path: str, method: str = "GET", body: dict | None = None):
        """(status, text) for a request with the token in the header."""
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method)
        request.add_header("Authorization", f"token {self.token}")
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    def page_config(self, path: str) -> dict:
        status, html = self.request(path)
        assert status == 200, f"GET {path} -> {status}"
        match = re.search(
            r'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
            html,
            re.S,
        )
        assert match, f"no page config in {path}"
        return json.loads(match[1])


@pytest.mark.slow
def test_binder_environment_serves_the_learner_lab(repo_copy, tmp_path):
    # 1. Binder's environment step: python + pip, then environment.yml's pip list.
    env = yaml.safe_load((repo_copy / "environment.yml").read_text(encoding="utf-8"))
    (pip_lines,) = [d["pip"] for d in env["dependencies"] if isinstance(d, dict)]
    pins = tmp_path / "environment-pip.txt"
    pins.write_text("\n".join(pip_lines) + "\n", encoding="utf-8")
    venv = tmp_path / "venv"
    run([sys.executable, "-m", "venv", str(venv)])
    bin_dir = venv / "bin"
    run([str(bin_dir / "python"), "-m", "pip", "install", "-q", "-r", str(pins)], timeout=600)

    # 2. postBuild, in the copied repository, with that environment first on PATH and
    # Jupyter's per-user folders kept out of the tester's home.
    home = tmp_path / "home"
    env_vars = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("JUPYTER", "PYTHON", "VIRTUAL_ENV", "CONDA"))
    }
    env_vars.update(
        PATH=f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
        VIRTUAL_ENV=str(venv),
        JUPYTER_CONFIG_DIR=str(home / "config"),
        JUPYTER_DATA_DIR=str(home / "data"),
        JUPYTER_RUNTIME_DIR=str(home / "runtime"),
        JUPYTERLAB_SETTINGS_DIR=str(home / "lab-settings"),
        JUPYTERLAB_WORKSPACES_DIR=str(home / "lab-workspaces"),
        IPYTHONDIR=str(home / "ipython"),
    )
    run(["./postBuild"], cwd=repo_copy, env=env_vars, timeout=300)
    run([str(bin_dir / "python"), "-m", "pip", "show", "autograder"], env=env_vars)

    # 3. JupyterLab as Binder starts it.
    port, token = free_port(), "learner-mode-test"
    cmd = [
        str(bin_dir / "jupyter"),
        "lab",
        "--no-browser",
        f"--port={port}",
        f"--ServerApp.token={token}",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.root_dir={repo_copy}",
    ]
    if os.geteuid() == 0:
        cmd.append("--allow-root")
    log_path = tmp_path / "jupyter.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            cmd, cwd=repo_copy, env=env_vars, stdout=log, stderr=log, start_new_session=True
        )
    try:
        server = Server(port, token)
        deadline = time.monotonic() + 90
        while True:
            assert process.poll() is None, f"jupyter lab exited:\n{log_path.read_text()}"
            try:
                if server.request("/api/status")[0] == 200:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, f"no answer in 90 s:\n{log_path.read_text()}"
            time.sleep(0.5)

        assert_learner_lab(server)
    finally:
        stop(process)


def assert_learner_lab(server: Server) -> None:
    # The badges' URLs open, on notebooks that are there.
    lab = server.page_config(f"/lab/tree/{START_NOTEBOOK}")
    server.page_config(f"/lab/tree/{START_NOTEBOOK_CS}")
    for start in (START_NOTEBOOK, START_NOTEBOOK_CS):
        assert server.request(f"/api/contents/{start}?content=0")[0] == 200, start

    # Instructor plugins: disabled and locked, in JupyterLab and in Notebook 7's tree.
    notebook = server.page_config("/tree")
    for name, config in [("lab", lab), ("notebook", notebook)]:
        assert set(INSTRUCTOR_PLUGINS) <= set(config["disabledExtensions"]), name
        assert set(INSTRUCTOR_PLUGINS) <= set(config["lockedExtensions"]), name
        assert VALIDATE_PLUGIN not in config["disabledExtensions"], name

    status, text = server.request("/lab/api/plugins")
    assert status == 200
    assert set(INSTRUCTOR_PLUGINS) <= set(json.loads(text)["lockRules"])

    # Locked means the Plugin Manager cannot switch one back on.
    status, text = server.request(
        "/lab/api/plugins",
        method="POST",
        body={"cmd": "enable", "plugin_name": "@jupyter/nbgrader:formgrader"},
    )
    assert status >= 400 and "locked" in text, (status, text)
    assert "@jupyter/nbgrader:formgrader" in server.page_config("/lab")["disabledExtensions"]

    # Instructor server pages are gone ...
    for path in ["/formgrader", "/formgraders", "/assignments", "/courses"]:
        assert server.request(path)[0] == 404, path
    # ... while Validate's handler is still there (POST only, so GET is 405, not 404).
    assert server.request("/assignments/validate")[0] == 405
    version = importlib.metadata.version("nbgrader")  # the same pin as in the tested venv
    assert server.request(f"/nbgrader_version?version={version}")[0] == 200


def stop(process: subprocess.Popen) -> None:
    """End the server and everything it started in its session (kernels, terminals)."""
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        pass
    try:
        os.killpg(process.pid, signal.SIGKILL)  # stragglers, if any
    except ProcessLookupError:
        pass
    process.wait(timeout=10)
