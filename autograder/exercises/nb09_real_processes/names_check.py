"""09-real-processes q1: the names app deployed for real, then broken on purpose.

The learner's ``names.py`` is a Flask app: ``GET /saymyname?user=U&name=N`` remembers a
user's name, ``GET /whoami?user=U`` answers it. The check deploys it as a real
deployment (:mod:`autograder.deploy`): honcho starts the Procfile, gunicorn serves it
with three workers, Redis is a real ``redis-server`` when one is installed, and the
checker is the client, with ``requests``. Then it breaks things the way production does:
requests answered by whichever worker is free, ``kill -9`` of workers, a graceful reload
(``HUP``), and a fresh deployment in a fresh folder.

The verdict comes only from what the checker observes itself: the bodies of the answers,
and /proc (which processes run, which are new). The ``X-Served-By`` header is shown to
explain a failure; it never makes a pass, because it comes from a process that runs the
learner's code. Every process a check starts is gone when it ends (``Deployment.close``
asserts it).
"""

from __future__ import annotations

import ast
import random
import signal
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from ...deploy import DeployFailed, Deployment, deploy_app
from ...messages import _
from ...redis_server import DeploymentRedis
from ...result import CORRECT, INCORRECT, NOT_ATTEMPTED, Result

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2,)  # one harsher seed: each costs a deployment or two
WORKERS = 3
SPREAD_SECONDS = "0.03"  # each answer waits this long, so a burst reaches several workers
BURST = 6  # /whoami requests sent at once
SPREAD_WAIT_SECONDS = 6.0  # how long replicas asks again until a second worker answers
REQUEST_SECONDS = 4.0
START_SECONDS = 15.0  # a ceiling for a loaded machine; an idle one starts in about 1.5 s
# What gunicorn logs when a worker cannot import the app (the master then gives up).
BOOT_FAILED = "Exception in worker process"

# Reason codes of this notebook (messages: reason.<code> and next.<code> in nb09.py).
NAME_NOT_SHARED = "name_not_shared"
STALE_NAME = "stale_name"
LOST_IN_CHAOS = "lost_in_chaos"
LOST_IN_FRESH_DEPLOYMENT = "lost_in_fresh_deployment"
WRONG_NAME = "wrong_name"
REQUEST_FAILED = "request_failed"
SERVER_ERROR = "server_error"
REFUSED_WRITE = "refused_write"
DID_NOT_START = "did_not_start"
ONE_WORKER_ANSWERED = "one_worker_answered"
# Shared with the other notebooks (their messages are in core.py).
NOT_WRITTEN, NOT_FINISHED = "not_written", "not_finished"
CRASHED = "app_crashed_at_start"

USERS = ["ana", "bo", "chen", "dara", "eli"]
NAMES = ["Heisenberg", "Pinkman", "Saul", "Skyler", "Gus", "Hank", "Marie", "Mike"]


class Stop(Exception):
    def __init__(self, result: Result):
        self.result = result


class Check:
    """One part's run: deployments, requests, chaos, and a log of what happened."""

    def __init__(self, app: Path, redis: DeploymentRedis, scratch: Path, base: dict):
        self.app = app
        self.redis = redis
        self.scratch = scratch
        self.base = base
        self.log: list[str] = []
        self.deployments = 0
        self.pids_seen: set[int] = set()
        self.known: dict[str, str] = {}  # user -> the name the checker told the app last
        self.before: dict[str, str] = {}  # user -> the name before that
        self.phase = NAME_NOT_SHARED  # the reason a wrong answer has in this phase
        self.web: Deployment | None = None

    # -- deployments ---------------------------------------------------------------------
    def deploy(self) -> Deployment:
        self.deployments += 1
        self.web = deploy_app(
            self.app,
            root=self.scratch / f"deployment-{self.deployments}",
            redis_url=self.redis.url,
            workers=WORKERS,
            env={"COURSE_SPREAD_SECONDS": SPREAD_SECONDS},
        ).start()
        try:
            workers = self.web.wait_for_workers(WORKERS, seconds=START_SECONDS)
            self._probe()
        except DeployFailed:
            raise Stop(self._did_not_start()) from None
        self.note("09-real-processes.platform.deployed", n=self.deployments, pids=_pids(workers))
        return self.web

    def _probe(self) -> None:
        """Until one worker answers HTTP at all (the app is imported)."""
        deadline = time.monotonic() + START_SECONDS
        while True:
            if self.web.exited() is not None:
                raise DeployFailed("exited")
            if any(BOOT_FAILED in line for line in self.web.logs(last=40)):
                raise DeployFailed("a worker failed to import the app")
            try:
                requests.get(self.web.url + "/", timeout=0.5)
                return
            except requests.RequestException:
                if time.monotonic() > deadline:
                    raise DeployFailed("no answer") from None
                time.sleep(0.05)

    def _did_not_start(self) -> Result:
        lines = _strip(self.web.logs())
        error = next((line for line in reversed(lines) if _is_error_line(line)), "")
        if "NotImplementedError" in error:
            return Result(
                NOT_ATTEMPTED,
                NOT_FINISHED,
                summary=_("reason.not_finished_file"),
                next_step=_("next.not_finished"),
                **self.base,
            )
        reason = CRASHED if error else DID_NOT_START
        summary = _("reason.app_crashed_at_start") if error else _(f"reason.{reason}")
        return Result(
            INCORRECT,
            reason,
            summary=summary,
            details=self._traceback(lines) if error else [],
            platform=self.log[-10:] + [line for line in lines if "[INFO]" not in line][-4:],
            next_step=_(f"next.{reason}"),
            **self.base,
        )

    def stop_deployment(self) -> None:
        killed = self.web.close()
        self.note("09-real-processes.platform.stopped", n=self.deployments, count=len(killed))

    # -- requests -------------------------------------------------------------------------
    def get(self, path: str, **params) -> requests.Response:
        try:
            return requests.get(self.web.url + path, params=params, timeout=REQUEST_SECONDS)
        except requests.RequestException as exc:
            what = f"GET {path}?{_query(params)}"
            raise Stop(
                self.incorrect(REQUEST_FAILED, request=what, error=type(exc).__name__)
            ) from None

    def say(self, user: str, name: str) -> None:
        reply = self.get("/saymyname", user=user, name=name)
        self._expect_ok(reply, f"/saymyname?user={user}&name={name}")
        if user in self.known:
            self.before[user] = self.known[user]
        self.known[user] = name
        self.note(
            "09-real-processes.platform.said",
            user=user,
            name=name,
            pid=reply.headers.get("X-Served-By", "?"),
        )

    def ask_all(self, *, burst: int = BURST) -> set[str]:
        """``burst`` /whoami requests at once for every known user; every answer must be
        the user's name. Returns the workers that say they answered."""
        asks = [user for user in self.known for _n in range(burst)]
        with ThreadPoolExecutor(len(asks)) as pool:
            replies = list(pool.map(lambda u: self.get("/whoami", user=u), asks))
        served = set()
        for user, reply in zip(asks, replies, strict=True):
            self._expect_ok(reply, f"/whoami?user={user}")
            pid = reply.headers.get("X-Served-By", "?")
            served.add(pid)
            got, wanted = reply.text.strip(), self.known[user]
            if got != wanted:
                if got and got == self.before.get(user):
                    reason = STALE_NAME
                elif got and got not in NAMES:
                    reason = WRONG_NAME
                else:
                    reason = self.phase
                raise Stop(self.incorrect(reason, user=user, expected=wanted, got=got, pid=pid))
        self.note(
            "09-real-processes.platform.asked", count=len(asks), pids=", ".join(sorted(served))
        )
        return served

    def _expect_ok(self, reply: requests.Response, what: str) -> None:
        if reply.status_code == 200:
            return
        lines = _strip(self.web.logs())[-12:]
        refused = any("PermissionError" in line for line in lines)
        reason = REFUSED_WRITE if refused else SERVER_ERROR
        error = next((line for line in reversed(lines) if _is_error_line(line)), "")
        result = self.incorrect(
            reason, request="GET " + what, status=reply.status_code, error=error
        )
        result.details = self._traceback(lines)
        raise Stop(result)

    def _traceback(self, lines: list[str]) -> list[str]:
        """The lines of the learner's file in the last traceback, and its error line."""
        mine = []
        for line in lines:
            if f'{self.app.name}", line' in line:
                line = f'File "{self.app.name}", line' + line.split('", line', 1)[1]
                if line not in mine:
                    mine.append(line)
        errors = [line for line in lines if _is_error_line(line)]
        return mine[-3:] + errors[-1:]

    # -- chaos ------------------------------------------------------------------------------
    def kill_worker(self, pid: int) -> None:
        self.web.signal(pid, signal.SIGKILL)
        self.note("09-real-processes.platform.killed", pid=pid)

    def reload(self) -> list[int]:
        old = self.web.web_workers()
        master = self.web.web_master()
        self.web.signal(master, signal.SIGHUP)
        try:
            new = self.web.wait_for_workers(WORKERS, not_in=old, seconds=START_SECONDS)
        except DeployFailed:
            raise Stop(self._did_not_start()) from None
        self.note("09-real-processes.platform.reloaded", master=master, pids=_pids(new))
        return new

    def note(self, key: str, **values) -> None:
        self.log.append(_(key, **values))

    def incorrect(self, reason: str, **values) -> Result:
        return Result(
            INCORRECT,
            reason,
            summary=_(f"reason.{reason}", **values),
            platform=self.log[-12:],
            next_step=_(f"next.{reason}"),
            **self.base,
        )


# == the parts ===================================================================================
def _users(seed: int, count: int) -> list[tuple[str, str, str]]:
    """(user, first name, second name) for a seed."""
    rng = random.Random(seed)
    users = rng.sample(USERS, count)
    return [(user, *rng.sample(NAMES, 2)) for user in users]


def replicas(check: Check, seed: int) -> str:
    """Names told through one request, asked in bursts answered by several workers, then
    changed and asked again."""
    users = _users(seed, 1 if seed in VISIBLE_SEEDS else 2)
    check.deploy()
    served: set[str] = set()
    for user, first, _second in users:
        check.say(user, first)
    served |= check.ask_all()
    for user, _first, second in users:
        check.say(user, second)
    served |= check.ask_all()
    workers = {str(pid) for pid in check.web.web_workers()}
    # On a loaded machine a worker may still be importing the app when the first bursts
    # arrive: ask again for a while before concluding that only one worker answers.
    deadline = time.monotonic() + SPREAD_WAIT_SECONDS
    while len(served & workers) < 2 and time.monotonic() < deadline:
        time.sleep(0.2)
        served |= check.ask_all(burst=BURST * 2)
    if len(served & workers) < 2:
        raise Stop(check.incorrect(ONE_WORKER_ANSWERED, pids=", ".join(sorted(served))))
    return _("09-real-processes.summary.replicas", workers=len(served & workers))


def survives_chaos(check: Check, seed: int) -> str:
    """kill -9 of every worker at once (the users ask while the master replaces them),
    then a graceful reload: no process that was told a name is left."""
    users = _users(seed, 2)
    check.deploy()
    for user, first, _second in users:
        check.say(user, first)
    check.phase = LOST_IN_CHAOS
    killed = list(check.web.web_workers())
    for pid in killed:
        check.kill_worker(pid)
    check.ask_all(burst=2)  # waits in the socket's backlog until new workers take it
    new = check.web.wait_for_workers(WORKERS, not_in=killed, seconds=START_SECONDS)
    check.note("09-real-processes.platform.replaced", pids=_pids(new))
    check.ask_all()
    check.reload()
    check.ask_all()
    for user, _first, second in users:
        check.say(user, second)
    check.ask_all()
    return _("09-real-processes.summary.survives_chaos", killed=len(killed))


def fresh_deployment(check: Check, seed: int) -> str:
    """The same app deployed again in a fresh folder, on the same Redis: what the first
    deployment was told must still be known."""
    users = _users(seed, 2 if seed in VISIBLE_SEEDS else 3)
    check.deploy()
    for user, first, _second in users:
        check.say(user, first)
    check.ask_all(burst=2)
    check.stop_deployment()
    check.phase = LOST_IN_FRESH_DEPLOYMENT
    check.deploy()
    check.ask_all()
    for user, _first, second in users:
        check.say(user, second)
    check.ask_all()
    return _("09-real-processes.summary.fresh_deployment")


PARTS = {
    "replicas": replicas,
    "survives_chaos": survives_chaos,
    "fresh_deployment": fresh_deployment,
}


def names_check(exercise, part: str, app: Path, *, seed: int, level: str, redis) -> Result:
    """The deployment engine for one seed of a part (``AppExercise(engine=names_check)``)."""
    base = {"exercise": exercise.label, "seed": seed, "level": level}
    app = Path(app)
    if not app.exists():
        return Result(
            NOT_ATTEMPTED,
            NOT_WRITTEN,
            summary=_("reason.not_written", app=app.name),
            next_step=_("next.not_written"),
            **base,
        )
    if _unfinished(app):
        return Result(
            NOT_ATTEMPTED,
            NOT_FINISHED,
            summary=_("reason.not_finished_file"),
            next_step=_("next.not_finished"),
            **base,
        )
    with (
        DeploymentRedis(fallback=redis) as store,
        tempfile.TemporaryDirectory(prefix="course-deploy-") as scratch,
    ):
        store.flush()
        check = Check(app, store, Path(scratch), base)
        check.note(
            "09-real-processes.platform.header",
            workers=WORKERS,
            redis=store.describe(),
            seed=seed,
        )
        try:
            summary = PARTS[part](check, seed)
        except Stop as stop:
            return stop.result
        finally:
            if check.web is not None:
                check.web.close()  # raises OrphansLeft if a process survives
    return Result(CORRECT, CORRECT, summary=summary, platform=check.log[-12:], **base)


def _unfinished(app: Path) -> bool:
    """Does the file still raise NotImplementedError at its top level (the notebook's
    stub)? Read, not run: no deployment is needed to say "not attempted"."""
    try:
        tree = ast.parse(app.read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return False  # a deployment will show what is wrong with it
    return any(
        isinstance(node, ast.Raise) and "NotImplementedError" in ast.unparse(node)
        for node in tree.body
    )


# -- reading gunicorn's logs ------------------------------------------------------------------
def _strip(lines: list[str]) -> list[str]:
    """Log lines without honcho's ``12:00:00 web.1  | `` prefix."""
    return [line.split("| ", 1)[1] if "| " in line else line for line in lines]


def _is_error_line(line: str) -> bool:
    head = line.split(":", 1)[0].strip()
    return head.isidentifier() and (head.endswith("Error") or head.endswith("Exception"))


def _pids(pids) -> str:
    return ", ".join(str(p) for p in pids)


def _query(params: dict) -> str:
    return "&".join(f"{k}={v}" for k, v in params.items())
