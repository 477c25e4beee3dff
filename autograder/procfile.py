"""A learner's Procfile, read as data: parsed against the forms the course understands.

A real platform hands each Procfile line to a shell. The course never does: a learner's
line is parsed here into one of a few known forms, and the deployment runs the course's
own command for it (:func:`command`), always with the course's gunicorn configuration
(the guard in every worker), the course's Flask entry point, or the course's worker
entry point. Anything else (an unknown program or option, ``;``, ``&&``, a pipe, a
redirection, an environment assignment, a variable other than ``$PORT``) is refused
with a :class:`ProcfileError` that names the line and says what is wrong; it never
reaches a shell.

The forms (``forms()`` lists them for the learner):

- ``gunicorn MODULE:VAR`` with ``--workers/-w N``, ``--bind/-b [HOST]:PORT``,
  ``--preload``, ``--timeout/-t N``. ``PORT`` is ``$PORT``/``${PORT}`` (the port the
  platform gives the process) or a number, kept as written. Without ``--bind`` gunicorn
  binds ``$PORT`` (it does so whenever ``PORT`` is set); without ``--workers`` it runs
  one worker (its default when ``WEB_CONCURRENCY`` is not set, as here).
- ``flask --app MODULE[:VAR] run`` with ``--port/-p PORT``, ``--host/-h HOST``: one
  process, Flask's development server, on port 5000 unless told otherwise.
- ``python -m autograder.worker_process FILE.py``: the course's worker entry point,
  which calls ``work_one()`` of ``FILE.py`` again and again.

Every host is served on 127.0.0.1: the grading machine exposes nothing.
"""

from __future__ import annotations

import difflib
import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

KNOWN_TYPES = ("web", "worker")
MAX_WORKERS = 8  # a Procfile asking for more is refused: the grading machine is shared
FLASK_DEFAULT_PORT = 5000
HOSTS = ("", "0.0.0.0", "127.0.0.1", "localhost")  # noqa: S104 - parsed, never bound
PORT_VARIABLE = "$PORT"  # what a parsed port of None means, in a built command
WORKER_MODULE = "autograder.worker_process"
PYTHONS = ("python", "python3")

_TYPE_NAME = re.compile(r"[A-Za-z0-9_]+")
_MODULE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_FILE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\.py")
_PORT_VARIABLES = ("$PORT", "${PORT}")
# Shell syntax the course never runs, with the name a learner knows it by.
_SHELL = {
    "&&": "&&",
    "||": "||",
    ";": ";",
    "|": "| (a pipe)",
    "&": "& (a background job)",
    ">": "> (a redirection)",
    "<": "< (a redirection)",
    "`": "` (command substitution)",
    "$(": "$( (command substitution)",
}


class ProcfileError(ValueError):
    """A line the course does not run: ``problem`` is a message key (``procfile.problem.``
    + problem), ``values`` fill it in."""

    def __init__(self, line_no: int, line: str, problem: str, **values):
        super().__init__(f"line {line_no}: {problem} {values}")
        self.line_no, self.line, self.problem, self.values = line_no, line, problem, values


@dataclass(frozen=True)
class Gunicorn:
    module: str
    variable: str
    workers: int = 1
    port: int | None = None  # None: $PORT
    preload: bool = False
    timeout: int | None = None


@dataclass(frozen=True)
class FlaskRun:
    module: str
    variable: str = "app"
    port: int | None = FLASK_DEFAULT_PORT  # None: $PORT


@dataclass(frozen=True)
class WorkerRunner:
    app_file: str


Form = Gunicorn | FlaskRun | WorkerRunner


@dataclass(frozen=True)
class Process:
    kind: str  # the process type: web, worker
    line_no: int
    line: str
    form: Form

    @property
    def module_file(self) -> str:
        """The file of the release this line runs (``shop.py``)."""
        if isinstance(self.form, WorkerRunner):
            return self.form.app_file
        return self.form.module.replace(".", "/") + ".py"


def parse(text: str) -> dict[str, Process]:
    """``{type: Process}`` in the Procfile's order; raises ProcfileError on the first line
    the course does not run. Comments (``#``) and blank lines are skipped."""
    processes: dict[str, Process] = {}
    for line_no, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        kind, colon, rest = line.partition(":")
        kind = kind.strip()
        if not colon or not _TYPE_NAME.fullmatch(kind):
            raise ProcfileError(line_no, line, "no_type")
        if kind not in KNOWN_TYPES:
            close = difflib.get_close_matches(kind, KNOWN_TYPES, n=1)
            problem = "misspelt_type" if close else "unknown_type"
            raise ProcfileError(line_no, line, problem, kind=kind, close=close[0] if close else "")
        if kind in processes:
            raise ProcfileError(line_no, line, "duplicate_type", kind=kind)
        form = _command(line_no, line, rest.strip())
        processes[kind] = Process(kind, line_no, line, form)
    if not processes:
        raise ProcfileError(0, "", "empty")
    return processes


def _command(line_no: int, line: str, command: str) -> Form:
    def fail(problem: str, **values):
        raise ProcfileError(line_no, line, problem, **values)

    if not command:
        fail("no_command")
    try:
        words = shlex.split(command, comments=True)  # a trailing "# ..." is a comment
    except ValueError:
        fail("quotes")
    if not words:
        fail("no_command")
    for token, name in _SHELL.items():
        if any(token in word for word in words):
            fail("shell_syntax", what=name)
    if "=" in words[0] and not words[0].startswith("-"):
        fail("env_assignment", word=words[0])
    for word in words:
        if "$" in word and not any(word.endswith(v) for v in _PORT_VARIABLES):
            fail("variable", word=word)
    if words[0] == "gunicorn":
        return _gunicorn(words[1:], fail)
    if words[0] == "flask":
        return _flask(words[1:], fail)
    if words[0] in PYTHONS and words[1:3] == ["-m", WORKER_MODULE]:
        if len(words) != 4 or not _FILE.fullmatch(words[3]):
            fail("worker_args", module=WORKER_MODULE)
        return WorkerRunner(words[3])
    if words[0] in PYTHONS:
        fail("python_form", module=WORKER_MODULE)
    fail("unknown_command", program=words[0])


def _options(args: list[str], fail, *, takes_value: dict[str, str], flags: dict[str, str]):
    """``({canonical option: value or True}, [positional words])`` of a command's words.
    ``takes_value``/``flags`` map every spelling (``-w``, ``--workers``) to its name."""
    options: dict[str, object] = {}
    positional: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        name, eq, value = word.partition("=") if word.startswith("--") else (word, "", "")
        if name in takes_value:
            if not eq:
                i += 1
                if i == len(args) or args[i].startswith("-"):
                    fail("missing_value", option=name)
                value = args[i]
            options[takes_value[name]] = value
        elif name in flags and not eq:
            options[flags[name]] = True
        elif word.startswith("-"):
            fail("unknown_option", option=word, known=", ".join(sorted({*takes_value, *flags})))
        else:
            positional.append(word)
        i += 1
    return options, positional


def _gunicorn(args: list[str], fail) -> Gunicorn:
    options, positional = _options(
        args,
        fail,
        takes_value={
            "-w": "workers",
            "--workers": "workers",
            "-b": "bind",
            "--bind": "bind",
            "-t": "timeout",
            "--timeout": "timeout",
        },
        flags={"--preload": "preload"},
    )
    if len(positional) != 1:
        fail("gunicorn_app", given=" ".join(positional) or "-")
    module, _colon, variable = positional[0].partition(":")
    variable = variable or "application"  # gunicorn's own default
    if not _MODULE.fullmatch(module) or not _IDENTIFIER.fullmatch(variable):
        fail("gunicorn_app", given=positional[0])
    workers = _number(options.get("workers", "1"), "--workers", 1, MAX_WORKERS, fail)
    timeout = None
    if "timeout" in options:
        timeout = _number(options["timeout"], "--timeout", 0, 3600, fail)
    port = None  # gunicorn binds $PORT when PORT is set and --bind is not given
    if "bind" in options:
        host, colon, port_text = str(options["bind"]).rpartition(":")
        if not colon or host not in HOSTS:
            fail("bind", given=options["bind"])
        port = _port(port_text, fail)
    return Gunicorn(module, variable, workers, port, bool(options.get("preload")), timeout)


def _flask(args: list[str], fail) -> FlaskRun:
    # flask's own options come before the subcommand: flask --app shop run --port $PORT
    if "run" not in args:
        fail("flask_run")
    at = args.index("run")
    before, _unused = _options(args[:at], fail, takes_value={"--app": "app", "-A": "app"}, flags={})
    if "app" not in before or _unused:
        fail("flask_run")
    options, positional = _options(
        args[at + 1 :],
        fail,
        takes_value={"-p": "port", "--port": "port", "-h": "host", "--host": "host"},
        flags={},
    )
    if positional:
        fail("unknown_option", option=positional[0], known="--port, --host")
    module, _colon, variable = str(before["app"]).partition(":")
    variable = variable or "app"
    if not _MODULE.fullmatch(module) or not _IDENTIFIER.fullmatch(variable):
        fail("flask_run")
    if options.get("host", "") not in HOSTS:
        fail("bind", given=options["host"])
    port = _port(str(options["port"]), fail) if "port" in options else FLASK_DEFAULT_PORT
    return FlaskRun(module, variable, port)


def _number(text: str, option: str, low: int, high: int, fail) -> int:
    if not str(text).isdigit() or not low <= int(text) <= high:
        fail("number", option=option, given=text, low=low, high=high)
    return int(text)


def _port(text: str, fail) -> int | None:
    if text in _PORT_VARIABLES:
        return None
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        fail("port", given=text)
    return int(text)


# -- the course's own command for a parsed line ------------------------------------------------
def command(process: Process, release: Path, *, python: str = sys.executable) -> str:
    """The shell line honcho runs for ``process``: the course's programs only, every word
    quoted except ``$PORT``, which the shell expands to the port honcho gives the process
    (the deployment's port for ``web``, the type's first line)."""
    form = process.form
    if isinstance(form, WorkerRunner):
        return _join([python, "-m", WORKER_MODULE, form.app_file])
    app_env = [
        "env",
        f"COURSE_APP_FILE={Path(release) / process.module_file}",
        f"COURSE_APP_NAME={form.variable}",
        python,
    ]
    port = PORT_VARIABLE if form.port is None else str(form.port)
    if isinstance(form, FlaskRun):
        return _join([*app_env, "-m", "autograder.flask_process", "--port", port])
    argv = [*app_env, "-m", "gunicorn", "-c", "python:autograder.gunicorn_conf"]
    argv += ["--workers", str(form.workers), "--bind", f"127.0.0.1:{port}"]
    if form.preload:
        argv.append("--preload")
    if form.timeout is not None:
        argv += ["--timeout", str(form.timeout)]
    return _join([*argv, "autograder.served:app"])


def _join(argv: list[str]) -> str:
    return " ".join(
        word if word.endswith(":" + PORT_VARIABLE) or word == PORT_VARIABLE else shlex.quote(word)
        for word in argv
    )
