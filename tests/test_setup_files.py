"""The setup files agree with each other: one list of pins, one start notebook, one ruff.

requirements.txt is the single source of runtime pins. pyproject.toml reads it, and
environment.yml (for conda and Binder, which cannot read it) repeats it line for line.
"""

import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
PIN = re.compile(
    r"^(?P<name>[A-Za-z0-9][A-Za-z0-9._-]*)(?P<extras>\[[a-z0-9,_-]+\])?==(?P<version>\S+)$"
)


def require_tool(name: str) -> str:
    """Path of a program; a skip locally, a failure in CI (nothing skipped silently)."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not installed; .ci/run must install it")
        pytest.skip(f"{name} is not installed")
    return path


def requirement_lines(path: Path) -> list[str]:
    lines = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.split(" #", 1)[0].strip()
        if line and not line.startswith("#"):
            lines.append(line)
    return lines


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(lines: list[str]) -> dict[str, str]:
    """{canonical name + extras: version}; every line must be an exact pin."""
    result = {}
    for line in lines:
        match = PIN.match(line)
        assert match, f"not an exact pin (name==version): {line!r}"
        key = canonical(match["name"]) + (match["extras"] or "")
        assert key not in result, f"{key} is listed twice"
        result[key] = match["version"]
    return result


def environment() -> dict:
    return yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))


def environment_pip_lines() -> list[str]:
    dependencies = environment()["dependencies"]
    pip_sections = [d["pip"] for d in dependencies if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml needs exactly one `pip:` list"
    return [str(line).strip() for line in pip_sections[0]]


def test_runtime_requirements_are_exact_pins():
    assert pins(requirement_lines(ROOT / "requirements.txt"))


def test_environment_yml_pip_list_is_requirements_txt():
    from_requirements = pins(requirement_lines(ROOT / "requirements.txt"))
    from_environment = pins(environment_pip_lines())
    missing = sorted(set(from_requirements) - set(from_environment))
    extra = sorted(set(from_environment) - set(from_requirements))
    differ = sorted(
        f"{name}: requirements.txt {version}, environment.yml {from_environment[name]}"
        for name, version in from_requirements.items()
        if name in from_environment and from_environment[name] != version
    )
    assert not (missing or extra or differ), (
        f"environment.yml disagrees with requirements.txt: missing {missing}, "
        f"extra {extra}, different pins {differ}"
    )


def test_environment_yml_takes_only_python_and_pip_from_conda():
    env = environment()
    assert env["name"] == "stateless-by-design"
    assert env["channels"] == ["conda-forge"]
    conda_packages = sorted(d for d in env["dependencies"] if isinstance(d, str))
    # CI runs Python 3.11; Binder must build the same major version.
    assert conda_packages == ["pip", "python=3.11"]


def test_environment_yml_does_not_refer_to_repository_files():
    # Binder installs environment.yml before the repository is copied into the image.
    for line in environment_pip_lines():
        assert not line.startswith("-"), f"{line!r} cannot work in Binder's environment step"


def test_pyproject_reads_dependencies_from_requirements_txt():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "dependencies" not in project["project"], "pins belong in requirements.txt only"
    assert "dependencies" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["dependencies"] == {
        "file": ["requirements.txt"]
    }


def dev_pins() -> dict[str, str]:
    lines = requirement_lines(ROOT / "requirements-dev.txt")
    assert lines[0] == "-r requirements.txt", "requirements-dev.txt starts from the runtime pins"
    return pins([line.split(";", 1)[0].strip() for line in lines[1:]])  # drop markers


def test_dev_requirements_extend_runtime_requirements():
    dev = dev_pins()
    overlap = set(dev) & set(pins(requirement_lines(ROOT / "requirements.txt")))
    assert not overlap, f"pinned in both requirement files: {sorted(overlap)}"
    assert {"pytest", "ruff"} <= set(dev)


def test_pre_commit_runs_the_pinned_ruff():
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = [r for r in config["repos"] if r["repo"].endswith("/ruff-pre-commit")]
    assert repo["repo"] == "https://github.com/astral-sh/ruff-pre-commit"
    assert repo["rev"] == "v" + dev_pins()["ruff"], "bump .pre-commit-config.yaml with the ruff pin"
    assert {hook["id"] for hook in repo["hooks"]} == {"ruff-check", "ruff-format"}


def test_ci_run_installs_the_system_packages_and_runs_make_test():
    script = ROOT / ".ci" / "run"
    assert script.stat().st_mode & stat.S_IXUSR, ".ci/run must be executable"
    text = script.read_text(encoding="utf-8")
    commands = [line.strip() for line in text.splitlines() if line.strip()]
    assert commands[0] == "#!/bin/bash"
    assert "set -euo pipefail" in commands
    assert re.search(r"apt-get install -y --no-install-recommends .*\bredis-server\b", text)
    assert re.search(r"apt-get install -y --no-install-recommends .*\bchromium\b", text)
    assert "service redis-server stop" in text
    assert "export CI=true" in text
    assert commands[-1] == "make test"


def test_readme_badge_opens_the_notebook_make_lab_opens():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    start = re.search(r"^START_NOTEBOOK := (\S+)$", makefile, re.M)[1]
    assert start == "notebooks/00-start-here.ipynb"
    english, czech = re.findall(r"\(https://mybinder\.org/v2/gh/[^)]+\)", readme)
    assert english.endswith(f"?urlpath=lab/tree/{start})")
    # The Czech badge: the same repository, the Czech edition's first notebook.
    czech_start = start.replace("notebooks/", "notebooks/cs/")
    assert czech == english.replace(start, czech_start)
    assert (ROOT / czech_start).exists()
    assert "## Česky" in readme and czech_start in readme.split("## Česky")[1]
    assert "[docs/translating.md](docs/translating.md)" in readme
    assert "https://12factor.net/processes" in readme
    assert "## How the grading works" in readme


def make_dry_run(*targets: str) -> str:
    make = require_tool("make")
    result = subprocess.run(
        [make, "-n", "-C", str(ROOT), *targets],
        capture_output=True,
        text=True,
        env={**os.environ, "VENV": "/nonexistent/venv"},  # show the install steps too
        check=True,
    )
    return result.stdout


def test_make_targets_build_the_venv_then_run_the_tools():
    out = make_dry_run("test")
    assert "-m venv" in out
    assert "pip install -r requirements-dev.txt -e ." in out
    assert "ruff check ." in out
    assert "ruff format --check ." in out
    assert "pytest" in out
    assert "python -m autograder.build" in make_dry_run("notebooks")
    assert "benchmarks/run.py" in make_dry_run("bench")


def test_make_lab_uses_learner_mode_and_embedded_redis():
    out = make_dry_run("lab")
    assert "scripts/learner-mode.sh" in out
    assert "jupyter lab" in out
    assert "notebooks/00-start-here.ipynb" in out
    # Learners run on the embedded fakeredis: make lab must not point them at a server.
    assert "REDIS_URL" not in out
