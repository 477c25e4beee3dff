"""Sealed grading, part by part (the whole, through the real autograde: test_hostile.py).

What a sealed process sees and can do: only code, its own folder and a private /tmp;
no gradebook, no sources, no classmates; loopback only; its own pid namespace; nothing
written outside its folder survives. Then the kernel manager (unix-socket channels,
interrupts), the refusal when bubblewrap cannot run, and the hidden tests the kernel is
never given.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from autograder.grading import seal
from tests.conftest import missing

PROBE = r"""
import json, os, socket, sys
out = {"pid": os.getpid(), "cwd": os.getcwd()}
def can(fn):
    try:
        fn()
        return True
    except OSError:
        return False
course = sys.argv[1]
out["sees_gradebook"] = os.path.exists(os.path.join(course, "gradebook.db"))
out["sees_source"] = os.path.exists(os.path.join(course, "source"))
out["sees_classmate"] = os.path.exists(os.path.join(course, "submitted", "bob"))
out["siblings"] = sorted(os.listdir(os.path.dirname(os.getcwd())))
out["writes_site"] = can(lambda: open(os.path.join(sys.prefix, "zz_probe.pth"), "w"))
out["writes_own"] = can(lambda: open("answer.txt", "w").write("mine"))
out["writes_tmp"] = can(lambda: open("/tmp/left-behind", "w").write("x"))
out["env"] = sorted(os.environ)
out["users"] = sorted(line.split(":")[0] for line in open("/etc/passwd"))
s = socket.socket(); s.bind(("127.0.0.1", 0)); s.listen()
out["loopback"] = can(lambda: socket.create_connection(s.getsockname(), timeout=2).close())
out["host_port"] = can(lambda: socket.create_connection(("127.0.0.1", int(sys.argv[2])), 2))
out["signals_grader"] = can(lambda: os.kill(int(sys.argv[3]), 0))
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def sealed():
    if seal.unavailable_reason() is not None:
        missing(f"bubblewrap ({seal.unavailable_reason()})")


@pytest.fixture
def course(tmp_path):
    root = tmp_path / "course"
    for folder in ("source/01-x", "submitted/alice/01-x", "submitted/bob/01-x"):
        (root / folder).mkdir(parents=True)
    (root / "gradebook.db").write_text("grades")
    return root


def test_a_sealed_process_sees_only_code_and_its_own_folder(sealed, course, monkeypatch):
    own = course / "submitted" / "alice" / "01-x"
    monkeypatch.setenv("JUPYTERHUB_API_TOKEN", "secret-of-the-grading-user")
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    with listener:
        argv = [sys.executable, "-c", PROBE, str(course), str(listener.getsockname()[1])]
        argv.append(str(os.getpid()))
        run = subprocess.run(
            seal.command(argv, writable=[own], cwd=own),
            env=seal.environment(os.environ),
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert run.returncode == 0, run.stderr
    seen = json.loads(run.stdout)
    assert seen["cwd"] == str(own.resolve())
    assert not seen["sees_gradebook"] and not seen["sees_source"] and not seen["sees_classmate"]
    assert seen["siblings"] == ["01-x"]  # its own folder, and no one else's
    assert not seen["writes_site"], "site-packages must be read-only"
    assert seen["writes_own"] and seen["writes_tmp"]
    assert seen["loopback"] and not seen["host_port"], "loopback only, its own"
    assert not seen["signals_grader"] and seen["pid"] < 10, "its own pid namespace"
    assert "JUPYTERHUB_API_TOKEN" not in seen["env"] and "JPY_PARENT_PID" not in seen["env"]
    assert set(seen["users"]) <= {"root", "nobody", os.environ.get("USER", "root")}
    assert (own / "answer.txt").read_text() == "mine"  # its own files are kept
    assert not Path("/tmp/left-behind").exists()  # the rest vanished with it


def test_only_the_course_package_is_visible_not_the_checkout_around_it(sealed, tmp_path):
    import autograder

    checkout = Path(autograder.__file__).resolve().parent.parent
    code = "import os, sys; print(json.dumps(sorted(os.listdir(sys.argv[1]))))"
    run = subprocess.run(
        seal.command([sys.executable, "-c", "import json\n" + code, str(checkout)]),
        env=seal.environment(os.environ),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    visible = set(json.loads(run.stdout))
    assert "autograder" in visible
    assert not visible & {"solutions", "course", "tests", ".git", "notebooks"}


def test_without_bubblewrap_grading_refuses_and_says_how_to_fix_it(monkeypatch):
    seal.unavailable_reason.cache_clear()
    monkeypatch.setattr(seal.shutil, "which", lambda name: None)
    try:
        with pytest.raises(seal.SealUnavailable, match="apt-get install bubblewrap"):
            seal.require()
        from autograder.grading import classgrade

        with pytest.raises(SystemExit, match="GuardedExecute.sandbox=none"):
            classgrade.require_sealed([])
    finally:
        seal.unavailable_reason.cache_clear()


def test_the_opt_out_is_explicit_and_loud(monkeypatch, capsys):
    from autograder.grading import classgrade

    monkeypatch.setattr(seal, "require", lambda: pytest.fail("the opt-out must not probe"))
    classgrade.require_sealed(["--GuardedExecute.sandbox=none"])
    assert "UNSEALED GRADING" in capsys.readouterr().out


KERNEL = """
import asyncio, json, os, sys, time
from autograder.grading.sealed_kernel import SealedKernelManager

async def run(kc, code):
    msg_id, out = kc.execute(code), []
    while True:
        m = await kc.get_iopub_msg(timeout=60)
        if m["parent_header"].get("msg_id") != msg_id:
            continue
        if m["msg_type"] == "stream":
            out.append(m["content"]["text"])
        if m["msg_type"] == "error":
            out.append(m["content"]["ename"])
        if m["msg_type"] == "status" and m["content"]["execution_state"] == "idle":
            return "".join(out).strip()

async def main():
    km = SealedKernelManager(kernel_name="python3")
    await km.start_kernel(cwd=sys.argv[1])
    kc = km.client()
    kc.start_channels()
    await kc.wait_for_ready(timeout=60)
    found = {"transport": km.transport, "cwd": await run(kc, "import os; print(os.getcwd())")}
    sleeper = asyncio.ensure_future(run(kc, "import time; time.sleep(60)"))
    await asyncio.sleep(1.0)
    start = time.monotonic()
    await km.interrupt_kernel()
    found["interrupted"] = await sleeper
    found["interrupt_seconds"] = time.monotonic() - start
    found["alive"] = await km.is_alive()
    kc.stop_channels()
    await km.shutdown_kernel(now=True)
    await km.cleanup_resources()
    found["runtime_left"] = os.path.exists(str(km._runtime))
    print(json.dumps(found))

asyncio.run(main())
"""


def test_the_kernel_talks_over_unix_sockets_and_can_be_interrupted(sealed, tmp_path):
    # A deep TMPDIR (pytest's, a grader's) must not push a socket path past 107 bytes.
    deep = tmp_path / ("d" * 60) / ("e" * 60)
    deep.mkdir(parents=True)
    run = subprocess.run(
        [sys.executable, "-c", KERNEL, str(tmp_path)],
        env={**os.environ, "TMPDIR": str(deep)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr
    found = json.loads(run.stdout.strip().splitlines()[-1])
    assert found["transport"] == "ipc"
    assert found["cwd"] == str(tmp_path.resolve())
    assert found["interrupted"] == "KeyboardInterrupt" and found["interrupt_seconds"] < 10
    assert found["alive"] and not found["runtime_left"]


STUCK = """
import json, sys, nbformat
from autograder.grading.guarded_execute import GuardedExecute

nb = nbformat.v4.new_notebook(cells=[
    nbformat.v4.new_code_cell("import signal\\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\\n"
                              "while True:\\n    pass"),
    nbformat.v4.new_code_cell("print('after')"),
])
execute = GuardedExecute(timeout=3, iopub_timeout=1, sandbox=sys.argv[2])
nb, _ = execute.preprocess(nb, {"metadata": {"path": sys.argv[1]}})
print(json.dumps([[o.get("ename") for o in c.outputs] for c in nb.cells]))
"""


def test_a_cell_that_ignores_the_interrupt_costs_the_cells_after_it_not_the_grade(sealed, tmp_path):
    """Past the time limit the kernel is interrupted; a cell that ignores SIGINT keeps it
    busy, and nbclient raises CellTimeoutError, which plain nbgrader lets end the whole
    submission (no grade at all). Graded, the cell says so and the next one did not run."""
    run = subprocess.run(
        [sys.executable, "-c", STUCK, str(tmp_path), "bwrap"],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    outputs = json.loads(run.stdout.strip().splitlines()[-1])
    assert outputs[0][-1] == "CellTimeoutError"
    assert outputs[1] == ["NotRun"]


def _test_cell(source: str):
    cell = nbformat.v4.new_code_cell(source)
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": "t", "points": 1, "solution": False}
    return cell


def test_the_kernel_is_not_given_hidden_checks_the_grader_can_run():
    from autograder.grading.cells import kernel_source

    hidden = "q1.check()\n### BEGIN HIDDEN TESTS\nq1.check(hidden=True)\n### END HIDDEN TESTS"
    assert kernel_source(_test_cell(hidden)) == "q1.check()"
    # Anything else in the hidden region runs in the kernel, as nbgrader does.
    other = hidden.replace("q1.check(hidden=True)", "assert answer == 3")
    assert kernel_source(_test_cell(other)) is None
    visible = hidden.replace("hidden=True", "hidden=False")
    assert kernel_source(_test_cell(visible)) is None
    assert kernel_source(_test_cell("q1.check()")) is None
    assert kernel_source(nbformat.v4.new_code_cell(hidden)) is None  # not a test cell


def test_hidden_checks_run_by_the_grader_fail_a_wrong_answer(sealed, tmp_path):
    """The hidden level, run by VerifyChecks (not the kernel), scores a cell 0."""
    from autograder.grading.cells import HIDDEN_BY_GRADER
    from autograder.grading.verify_checks import HIDDEN_ENAME, VerifyChecks

    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell("global_after_restart = 42")
    answer.metadata["nbgrader"] = {
        "grade": False,
        "grade_id": "predict_global_restart",
        "solution": True,
    }
    test = _test_cell("q1.check()\n### BEGIN HIDDEN TESTS\nq1.check(hidden=True)\n### END")
    # What the kernel reported for the visible part: a pass (no error output).
    test.outputs = [nbformat.v4.new_output("stream", name="stdout", text="ok")]
    nb.cells = [answer, test]
    resources = {
        "nbgrader": {"notebook": "01-one-process"},
        "metadata": {"path": str(tmp_path)},
        HIDDEN_BY_GRADER: [1],
    }
    nb, _ = VerifyChecks(enabled=False).preprocess(nb, resources)
    # Kept: the visible pass; added: the hidden check's explanation (as check() shows it,
    # with its reason code), then the error that scores the cell 0.
    outputs = nb.cells[1].outputs
    assert [o.get("ename") for o in outputs] == [None, None, HIDDEN_ENAME]
    assert 'data-reason="wrong_prediction"' in outputs[1]["data"]["text/html"]


def test_the_kernel_runs_no_test_cell_made_only_of_checks():
    from autograder.grading.cells import run_by_grader

    both = 'q1.check("a")\n### BEGIN HIDDEN TESTS\nq1.check("a", hidden=True)\n### END HIDDEN TESTS'
    assert run_by_grader(_test_cell(both))
    assert run_by_grader(_test_cell("q1.check()"))
    # Any other code keeps the cell in the kernel, as nbgrader runs it.
    assert not run_by_grader(_test_cell(both.replace('q1.check("a")', "assert answer == 3")))
    assert not run_by_grader(_test_cell("print(q1.check())"))
    assert not run_by_grader(nbformat.v4.new_code_cell(both))  # not a test cell


def _prediction_notebook(value: str, language_line: str = ""):
    nb = nbformat.v4.new_notebook()
    answer = nbformat.v4.new_code_cell(f"{language_line}global_after_restart = {value}")
    answer.metadata["nbgrader"] = {
        "grade": False,
        "grade_id": "predict_global_restart",
        "solution": True,
    }
    test = _test_cell("q1.check()\n### BEGIN HIDDEN TESTS\nq1.check(hidden=True)\n### END")
    nb.cells = [answer, test]
    return nb


@pytest.mark.parametrize(
    "value, enames, reason",
    [("1", [None], "correct"), ("42", [None, "CheckFailed"], "wrong_prediction")],
)
def test_a_cell_the_kernel_did_not_run_gets_the_graders_verdict(
    sealed, tmp_path, value, enames, reason
):
    """The grader runs every check of the cell and writes what check() would show: the
    visible result, then (failing) the error that scores the cell 0."""
    from autograder.grading.cells import RUN_BY_GRADER
    from autograder.grading.verify_checks import VerifyChecks

    nb = _prediction_notebook(value)
    resources = {
        "nbgrader": {"notebook": "01-one-process"},
        "metadata": {"path": str(tmp_path)},
        RUN_BY_GRADER: [1],
    }
    nb, _ = VerifyChecks(enabled=False).preprocess(nb, resources)
    outputs = nb.cells[1].outputs
    assert [o.get("ename") for o in outputs] == enames
    assert f'data-reason="{reason}"' in outputs[0]["data"]["text/html"]
    if len(enames) > 1:  # it points at the explanation, as check() does
        assert "just above" in outputs[1]["traceback"][0]


def test_a_pass_the_kernel_claims_in_a_cell_with_other_code_is_verified(sealed, tmp_path):
    """An instructor's test cell with code besides checks runs in the kernel; a pass it
    reports is re-run by the grader and replaced by the verdict when it does not hold."""
    from autograder.grading.verify_checks import VERIFY_ENAME, VerifyChecks

    nb = _prediction_notebook("42")
    nb.cells[1].source = "shown = True\nq1.check()"
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="ok")]
    resources = {"nbgrader": {"notebook": "01-one-process"}, "metadata": {"path": str(tmp_path)}}
    nb, _ = VerifyChecks().preprocess(nb, resources)
    outputs = nb.cells[1].outputs
    assert [o.get("ename") for o in outputs] == [None, VERIFY_ENAME]
    assert 'data-reason="wrong_prediction"' in outputs[0]["data"]["text/html"]


@pytest.mark.parametrize("value", ["1", "42"])
def test_a_cell_the_kernel_did_not_run_ignores_what_it_holds(sealed, tmp_path, value):
    """Outputs a submission carried into a test cell are replaced by the grader's."""
    from autograder.grading.cells import RUN_BY_GRADER
    from autograder.grading.verify_checks import VerifyChecks

    nb = _prediction_notebook(value)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="forged")]
    resources = {
        "nbgrader": {"notebook": "01-one-process"},
        "metadata": {"path": str(tmp_path)},
        RUN_BY_GRADER: [1],
    }
    nb, _ = VerifyChecks().preprocess(nb, resources)
    assert "forged" not in str(nb.cells[1].outputs)


def test_the_graders_feedback_speaks_the_notebooks_language(sealed, tmp_path, monkeypatch):
    from autograder.grading.cells import RUN_BY_GRADER
    from autograder.grading.verify_checks import VerifyChecks

    monkeypatch.delenv("COURSE_LANG", raising=False)
    nb = _prediction_notebook("42", language_line="%env COURSE_LANG=cs\n")
    resources = {
        "nbgrader": {"notebook": "01-one-process"},
        "metadata": {"path": str(tmp_path)},
        RUN_BY_GRADER: [1],
    }
    nb, _ = VerifyChecks().preprocess(nb, resources)
    english, _ = VerifyChecks().preprocess(_prediction_notebook("42"), dict(resources))
    czech_text = nb.cells[1].outputs[1]["traceback"][0]
    assert czech_text != english.cells[1].outputs[1]["traceback"][0]
    assert "výše" in czech_text or "vysvětlení" in czech_text, czech_text


def test_a_failing_check_skips_the_rest_of_its_cell_in_the_graders_run(tmp_path):
    """A hanging answer costs its budget once: after a cell's first failure its later
    checks are not run."""
    from autograder.grading.sealed_check import run_checks

    app = tmp_path / "counter_redis.py"
    app.write_text("def hit():\n    raise RuntimeError('no')\n\ndef count():\n    return 0\n")
    job = dict(
        module="autograder.exercises.nb01_one_process", attribute="q3", app=str(app)
    )  # counter_redis_app
    part = "survives_restarts"
    jobs = [dict(job, part=part, hidden=h, cell=4) for h in (False, True)]
    jobs.append(dict(job, part=part, hidden=True, cell=5))
    found = run_checks(jobs, sealed=False, timeout=120)
    assert found[0] is not None and found[0]["outcome"] != "correct"
    assert found[1] is None  # skipped: same cell, after its failure
    assert found[2] is not None  # another cell still runs


def test_ci_installs_bubblewrap():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text()
    assert re.search(r"apt-get install [^\n]*\bbubblewrap\b", ci)


def test_the_course_config_seals_every_autograde():
    from nbgrader.converters import Autograde
    from traitlets.config.loader import PyFileConfigLoader

    from autograder.grading.guarded_execute import GuardedExecute
    from autograder.grading.verify_checks import VerifyChecks
    from tests import nbgrader_harness as h

    config = PyFileConfigLoader(h.CONFIG.name, str(h.CONFIG.parent)).load_config()
    assert config.GuardedExecute.sandbox == "bwrap"
    steps = Autograde(config=config).autograde_preprocessors
    assert GuardedExecute in steps and VerifyChecks in steps
    assert not any(s.__name__ == "Execute" for s in steps), "an unsealed Execute is left"
