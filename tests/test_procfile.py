"""A learner's Procfile is data: parsed into the forms the course runs, never a shell line.

What the deployments do with these commands is proved by the catalogue
(tests/answers/09-real-processes/procfile); here, the parser and the commands it builds,
and the q2 results that need no deployment (not written, not finished, not understood).
"""

from __future__ import annotations

import json
import random
import shlex
import string
import sys
from pathlib import Path

import pytest

from autograder import procfile
from autograder.exercises import nb09_real_processes as nb09
from autograder.exercises.nb09_real_processes import given as given_shop
from autograder.exercises.nb09_real_processes import procfile_check
from autograder.procfile import FlaskRun, Gunicorn, ProcfileError, WorkerRunner, parse
from autograder.result import INCORRECT, NOT_ATTEMPTED

REFERENCE = (
    "web: gunicorn shop:app --workers 3 --bind 0.0.0.0:$PORT\n"
    "worker: python -m autograder.worker_process shop.py\n"
)
RELEASE = Path("/srv/a release/release")
SOURCE = Path(__file__).resolve().parent.parent / "course" / "source" / "09-real-processes"


def only(text: str):
    (process,) = parse(text).values()
    return process.form


# -- the forms ------------------------------------------------------------------------------
def test_the_reference_is_a_gunicorn_web_type_and_the_course_worker():
    processes = parse(REFERENCE)
    assert list(processes) == ["web", "worker"]
    assert processes["web"].form == Gunicorn("shop", "app", workers=3, port=None)
    assert processes["worker"].form == WorkerRunner("shop.py")
    assert processes["worker"].line_no == 2
    assert {p.module_file for p in processes.values()} == {"shop.py"}


@pytest.mark.parametrize(
    "line, form",
    [
        ("web: gunicorn shop:app", Gunicorn("shop", "app", workers=1, port=None)),
        ("web: gunicorn -w 4 -b :${PORT} shop:app", Gunicorn("shop", "app", 4, None)),
        ("web: gunicorn --workers=2 --bind=0.0.0.0:$PORT shop:app", Gunicorn("shop", "app", 2)),
        ("web: gunicorn shop:app -w 3 -b 127.0.0.1:8000", Gunicorn("shop", "app", 3, 8000)),
        (
            "web: gunicorn shop:app -w 2 --preload --timeout 20",
            Gunicorn("shop", "app", 2, None, preload=True, timeout=20),
        ),
        ("web: gunicorn shop", Gunicorn("shop", "application")),  # gunicorn's default name
        ("web: flask --app shop run", FlaskRun("shop", "app", 5000)),
        (
            "web: flask --app shop:app run --port $PORT --host 0.0.0.0",
            FlaskRun("shop", "app", None),
        ),
        ("web: flask --app=shop run -p 8080", FlaskRun("shop", "app", 8080)),
        ("worker: python3 -m autograder.worker_process shop.py", WorkerRunner("shop.py")),
    ],
)
def test_each_form_the_course_understands(line, form):
    assert only(line) == form


def test_comments_blank_lines_and_trailing_comments_are_fine():
    text = (
        "# the shop\n\n"
        "worker: python -m autograder.worker_process shop.py   # charges the orders\n"
        "   \n"
        "web: gunicorn -w 2 shop:app  # no --bind: $PORT\n"
    )
    processes = parse(text)
    assert processes["web"].form == Gunicorn("shop", "app", 2, None)
    assert processes["web"].line_no == 5


# -- what is refused, and how it is said -------------------------------------------------------
@pytest.mark.parametrize(
    "line, problem",
    [
        ("web: gunicorn shop:app; rm -rf ~", "shell_syntax"),
        ("web: python manage.py migrate && gunicorn shop:app", "shell_syntax"),
        ("web: gunicorn shop:app || true", "shell_syntax"),
        ("web: gunicorn shop:app | tee log", "shell_syntax"),
        ("web: gunicorn shop:app > log", "shell_syntax"),
        ("web: gunicorn shop:app < /dev/null", "shell_syntax"),
        ("web: gunicorn shop:app &", "shell_syntax"),
        ("web: gunicorn `cat app`", "shell_syntax"),
        ("web: gunicorn $(cat app)", "shell_syntax"),
        ("web: WEB_CONCURRENCY=3 gunicorn shop:app", "env_assignment"),
        ("web: gunicorn shop:app --bind 0.0.0.0:$HOME", "variable"),
        ("web: gunicorn 'shop:app", "quotes"),
        ("web: bash -c 'gunicorn shop:app'", "unknown_command"),
        ("web: uvicorn shop:app", "unknown_command"),
        ("worker: python worker.py", "python_form"),
        ("worker: python -c 'import shop'", "python_form"),
        ("worker: python -m autograder.worker_process", "worker_args"),
        ("worker: python -m autograder.worker_process shop.py extra", "worker_args"),
        ("worker: python -m autograder.worker_process ../shop.py", "worker_args"),
        ("wrker: python -m autograder.worker_process shop.py", "misspelt_type"),
        ("Web: gunicorn shop:app", "misspelt_type"),
        ("clock: python clock.py", "unknown_type"),
        ("web gunicorn shop:app", "no_type"),
        ("web-1: gunicorn shop:app", "no_type"),
        ("web:", "no_command"),
        ("web:   # nothing", "no_command"),
        ("web: gunicorn shop:app --reload", "unknown_option"),
        ("web: gunicorn shop:app -w", "missing_value"),
        ("web: gunicorn shop:app -w -b :$PORT", "missing_value"),
        ("web: gunicorn shop:app --workers 0", "number"),
        ("web: gunicorn shop:app --workers 50", "number"),
        ("web: gunicorn shop:app --workers three", "number"),
        ("web: gunicorn shop:app --bind unix:/tmp/shop.sock", "bind"),
        ("web: gunicorn shop:app --bind 10.0.0.1:$PORT", "bind"),
        ("web: gunicorn shop:app --bind 0.0.0.0:99999", "port"),
        ("web: gunicorn shop:app --bind 0.0.0.0", "bind"),
        ("web: gunicorn shop:app other:app", "gunicorn_app"),
        ("web: gunicorn --workers 3", "gunicorn_app"),
        ("web: gunicorn shop:app()", "gunicorn_app"),
        ("web: flask run", "flask_run"),
        ("web: flask --app shop", "flask_run"),
        ("web: flask --app shop run --debug", "unknown_option"),
        ("web: flask --app shop run --port five", "port"),
    ],
)
def test_a_line_the_course_does_not_run_is_refused_with_its_problem(line, problem):
    with pytest.raises(ProcfileError) as refused:
        parse(f"# my Procfile\n{line}\n")
    assert refused.value.problem == problem
    assert refused.value.line_no == 2
    assert refused.value.line == line.strip()


def test_a_type_declared_twice_and_an_empty_file_are_refused():
    with pytest.raises(ProcfileError) as twice:
        parse(REFERENCE + "web: flask --app shop run\n")
    assert (twice.value.problem, twice.value.line_no) == ("duplicate_type", 3)
    with pytest.raises(ProcfileError) as empty:
        parse("# nothing yet\n\n")
    assert empty.value.problem == "empty"


def test_any_text_parses_or_is_refused_never_anything_else():
    rng = random.Random(9)
    alphabet = string.ascii_letters + string.digits + " :-=$'\"#;&|<>`(){}./_\\\t"
    for _ in range(3000):
        line = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40)))
        for text in (line, f"web: {line}", f"web: gunicorn {line}", f"web: flask {line}"):
            try:
                parse(text)
            except ProcfileError:
                pass


# -- the commands the course builds -------------------------------------------------------------
def words(line: str) -> list[str]:
    return shlex.split(line.replace("$PORT", "PORTVAR"))


def test_gunicorn_always_runs_with_the_course_configuration_and_its_app_wrapper():
    processes = parse(REFERENCE + "\n")
    web = procfile.command(processes["web"], RELEASE, python="/py")
    argv = words(web)
    assert argv[:4] == [
        "env",
        f"COURSE_APP_FILE={RELEASE / 'shop.py'}",
        "COURSE_APP_NAME=app",
        "/py",
    ]
    assert argv[4:8] == ["-m", "gunicorn", "-c", "python:autograder.gunicorn_conf"]
    assert argv[-1] == "autograder.served:app"
    assert "--workers 3 --bind 127.0.0.1:$PORT" in web  # $PORT: the shell expands it
    assert "--preload" not in web
    worker = procfile.command(processes["worker"], RELEASE, python="/py")
    assert words(worker) == ["/py", "-m", "autograder.worker_process", "shop.py"]


def test_a_literal_port_is_kept_and_every_host_is_loopback():
    web = procfile.command(
        parse("web: gunicorn shop:app -w 2 -b 0.0.0.0:8000 --preload -t 9")["web"], RELEASE
    )
    assert "--bind 127.0.0.1:8000" in web and "--preload --timeout 9" in web
    assert "$" not in web
    flask = procfile.command(parse("web: flask --app shop run --host 0.0.0.0")["web"], RELEASE)
    assert words(flask)[-4:] == ["-m", "autograder.flask_process", "--port", "5000"]
    assert words(flask)[3] == sys.executable


def test_nothing_of_the_learners_line_reaches_the_shell_unquoted():
    line = "web: gunicorn -w 2 shop:app  # ; rm -rf ~ && $(reboot)"
    built = procfile.command(parse(line)["web"], RELEASE)
    assert "rm" not in built and "reboot" not in built


# -- q2 without a deployment ---------------------------------------------------------------------
def run_q2(tmp_path: Path, text: str | None):
    path = tmp_path / "Procfile"
    if text is not None:
        path.write_text(text)
    return nb09.q2.run_here("both_types", path, level="visible", redis=None)


def test_q2_says_not_written_and_not_finished_without_deploying(tmp_path):
    missing = run_q2(tmp_path, None)
    assert (missing.outcome, missing.reason) == (NOT_ATTEMPTED, "not_written")
    stub = run_q2(tmp_path, "# One line per type\n# YOUR CODE HERE\nraise NotImplementedError()\n")
    assert (stub.outcome, stub.reason) == (NOT_ATTEMPTED, "not_finished")


def test_q2_names_the_line_it_does_not_run_and_lists_the_forms(tmp_path):
    result = run_q2(tmp_path, "# mine\nweb: gunicorn shop:app -w 3 && echo up\n")
    assert (result.outcome, result.reason) == (INCORRECT, procfile_check.NOT_UNDERSTOOD)
    assert "Line 2" in result.summary and "&&" in result.summary
    assert "worker: python -m autograder.worker_process shop.py" in result.details[0]
    typo = run_q2(tmp_path, "wrker: python -m autograder.worker_process shop.py\n")
    assert typo.reason == procfile_check.UNKNOWN_TYPE and "'worker'" in typo.summary
    other = run_q2(tmp_path, "web: gunicorn names:app -w 3\n")
    assert other.reason == procfile_check.UNKNOWN_APP and "names.py" in other.summary


def test_the_shop_the_checks_deploy_is_the_one_the_notebook_gives():
    notebook = json.loads((SOURCE / "09-real-processes.ipynb").read_text(encoding="utf-8"))
    given = [
        "".join(cell["source"])
        for cell in notebook["cells"]
        if "".join(cell["source"]).startswith("%%writefile shop.py\n")
    ]
    assert len(given) == 1

    assert given[0] == f"%%writefile {given_shop.SHOP_FILE}\n{given_shop.SHOP}".rstrip("\n")
