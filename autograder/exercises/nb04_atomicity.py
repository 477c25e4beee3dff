"""04-atomicity: lost updates between processes, checked with real OS processes.

Every check runs the learner's app file in several *real* Python processes (each with its
own redis-py client and connection to the checker's Redis), in two ways:

- **Deterministic races.** A worker process pauses one request right after a chosen read
  reply (GET, HGET, ...), another process runs whole requests meanwhile, then the paused
  one finishes. The Redis server really sees ``A:GET  B:GET  B:SET  A:SET``. A
  read-modify-write answer loses the update on every run, not by luck; a correct answer
  (an atomic command, WATCH/MULTI/EXEC with a retry, a Lua script) behaves as if the
  paused request came last.
- **Load.** Several worker processes wait at a barrier and then hammer the app at once;
  the totals must add up (nothing oversold, nothing lost).

The responses of a race are compared with an in-memory model asked in the order a
correct app must behave: the others first and the paused request last when it had only
read before pausing (its decision must not rest on that stale read), else in arrival order.

The worker processes are forked from the checker process (which runs with a time budget
and kills its whole process group when it runs out), and talk to it over two pipes.
"""

from __future__ import annotations

import ast
import json
import os
import queue
import random
import shutil
import signal
import sys
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path

from ..feedback import crash_result, describe_call
from ..messages import _
from ..problem import AppExercise
from ..registry import bind_exercises
from ..result import CORRECT, INCORRECT, NOT_ATTEMPTED, Result
from ..scenario import STATE_NOT_SHARED

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2, 3)

# Reason codes of this notebook (messages: reason.<code> and next.<code> in nb04.py).
OVERSOLD = "oversold"
LOST_UPDATE = "lost_update"
GAVE_UP = "gave_up"
# Refused while another request held more tickets than there were, before giving them back
# (decrement first, give back if below zero): the refusal rests on a number that was never
# true, so it is wrong, not a trade-off.
REFUSED_WHILE_OVERDRAWN = "refused_while_overdrawn"

# Commands that only read: a worker pauses right after the n-th of these replies.
READS = frozenset(
    "GET MGET STRLEN EXISTS TYPE HGET HMGET HGETALL HEXISTS HLEN HKEYS HVALS LLEN LRANGE "
    "LINDEX SMEMBERS SCARD SISMEMBER ZSCORE ZCARD ZRANGE KEYS SCAN TTL PTTL".split()
)
# Commands that neither read the data nor change it.
NEUTRAL = frozenset("WATCH UNWATCH PING ECHO SELECT SCRIPT CLIENT INFO".split())
CALL_SECONDS = 2.5  # one request (a hanging handler is reported after this)
BLOCKED_SECONDS = 0.5  # how long the others may wait for a paused request (a lock)


# == the worker process =======================================================================
def _worker_main(app: str, commands, proto) -> int:
    """One real OS process running the learner's app, driven by JSON lines on ``commands``."""
    import importlib.util

    import redis.client

    from ..child import describe as describe_exception

    # pause_on "read": pause after the pause_after-th read reply; "write": after the
    # pause_after-th command that changes data (a DECRBY, an EXEC, a script).
    state = {"commands": [], "pause_after": None, "pause_on": "read", "reads": 0, "writes": 0}

    def emit(**message):
        proto.write(json.dumps(message) + "\n")

    def note(name: str, key) -> None:
        state["commands"].append(f"{name} {key}" if key is not None else name)
        kind = "read" if name in READS else None if name in NEUTRAL else "write"
        if kind is None:
            return
        state[f"{kind}s"] += 1
        if kind == state["pause_on"] and state[f"{kind}s"] == state["pause_after"]:
            state["pause_after"] = None
            emit(event="paused", commands=state["commands"])
            commands.readline()  # "resume"

    def wrap_command(original):
        def execute_command(self, *args, **options):
            value = original(self, *args, **options)
            note(str(args[0]).upper(), args[1] if len(args) > 1 else None)
            return value

        return execute_command

    def wrap_execute(original):
        def execute(self, *args, **kwargs):
            stack = [str(c[0][0]).upper() for c in self.command_stack]
            transaction = self.transaction or self.explicit_transaction
            try:
                return original(self, *args, **kwargs)
            finally:
                if transaction:
                    note("EXEC", None)
                elif stack and all(name in READS for name in stack):
                    note("GET", "(pipeline)")
                elif stack:
                    note("PIPELINE", None)

        return execute

    redis.client.Redis.execute_command = wrap_command(redis.client.Redis.execute_command)
    redis.client.Pipeline.immediate_execute_command = wrap_command(
        redis.client.Pipeline.immediate_execute_command
    )
    redis.client.Pipeline.execute = wrap_execute(redis.client.Pipeline.execute)

    path = Path(app)
    spec = importlib.util.spec_from_file_location(path.stem, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    try:
        spec.loader.exec_module(module)
    except (Exception, SystemExit) as exc:
        emit(event="crashed", error=describe_exception(exc, path))
        return 0
    emit(event="ready")

    def serve(handler: str, args: dict):
        function = getattr(module, handler, None)
        if not callable(function):
            return None, {
                "kind": "MissingHandler",
                "message": f"the app has no function {handler}()",
                "where": "",
            }
        try:
            return repr(function(**args)), None
        except (Exception, SystemExit) as exc:
            return None, describe_exception(exc, path)

    for line in commands:
        message = json.loads(line)
        if message["op"] == "call":
            state.update(
                commands=[],
                reads=0,
                writes=0,
                pause_after=message.get("pause_after"),
                pause_on=message.get("pause_on", "read"),
            )
            value, error = serve(message["handler"], message["args"])
            emit(event="done", value=value, error=error, commands=state["commands"])
        elif message["op"] == "hammer":
            emit(event="armed")
            commands.readline()  # "go": every worker starts at the same moment
            values = []
            for _unused in range(message["times"]):
                value, error = serve(message["handler"], message["args"])
                if error:
                    emit(event="done", value=None, error=error, commands=[])
                    break
                values.append(value)
            else:
                emit(event="done", value=repr([_literal(v) for v in values]), error=None)
    return 0


def _literal(text):
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError):
        return text


# == the checker's side: a fleet of worker processes ==========================================
class Hang(Exception):
    """A worker did not answer in time."""


class Crashed(Exception):
    def __init__(self, error: dict):
        self.error = error


@dataclass
class Reply:
    event: str  # done | paused
    value: object = None
    error: dict | None = None
    commands: list = field(default_factory=list)


class Worker:
    """A real OS process, forked from the checker (which has already imported redis-py),
    so that starting one takes milliseconds instead of a fresh interpreter's second."""

    def __init__(self, app: Path, url: str, *, close_in_child: list[int]):
        self.disk = tempfile.mkdtemp(prefix="atomicity-worker-")
        to_child, from_parent = os.pipe()[::-1]  # (write end, read end)
        from_child, to_parent = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: never returns
            _child(
                app, url, self.disk, from_parent, to_parent, [*close_in_child, to_child, from_child]
            )
        os.close(from_parent)
        os.close(to_parent)
        self.pid = pid
        self.fds = [to_child, from_child]
        self._out = os.fdopen(to_child, "w", buffering=1)
        self._in = os.fdopen(from_child, "r")
        self.exit_code = None
        self.inbox: queue.Queue = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        try:
            for line in self._in:
                try:
                    self.inbox.put(json.loads(line))
                except ValueError:
                    continue
        except (OSError, ValueError):
            pass
        self.inbox.put({"event": "exited", "code": self._wait()})

    def _wait(self):
        if self.exit_code is None:
            try:
                _pid, status = os.waitpid(self.pid, 0)
                self.exit_code = os.waitstatus_to_exitcode(status)
            except ChildProcessError:
                self.exit_code = -9
        return self.exit_code

    def send(self, **message) -> None:
        try:
            self._out.write(json.dumps(message) + "\n")
        except (BrokenPipeError, OSError, ValueError):
            pass

    def receive(self, seconds: float = CALL_SECONDS) -> dict:
        try:
            message = self.inbox.get(timeout=seconds)
        except queue.Empty:
            raise Hang from None
        if message["event"] == "exited":
            raise Crashed({"kind": "SystemExit", "message": str(message["code"]), "where": ""})
        return message

    def reply(self, seconds: float = CALL_SECONDS) -> Reply:
        message = self.receive(seconds)
        value = message.get("value")
        return Reply(
            message["event"],
            _literal(value) if value is not None else None,
            message.get("error"),
            message.get("commands", []),
        )

    def stop(self) -> None:
        try:
            os.kill(self.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self._wait()
        for stream in (self._out, self._in):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
        shutil.rmtree(self.disk, ignore_errors=True)


def _child(app, url, disk, commands_fd, proto_fd, close) -> None:
    """The worker's life after fork(): its own directory, nothing but its two pipes."""
    code = 0
    try:
        for fd in close:
            os.close(fd)
        os.chdir(disk)
        os.environ["REDIS_URL"] = url
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)  # the app's prints must never reach the checker
        sys.stdout = sys.stderr = open(os.devnull, "w")  # noqa: SIM115 - lives until _exit
        sys.stdin = open(os.devnull)  # noqa: SIM115
        code = _worker_main(app, os.fdopen(commands_fd, "r"), os.fdopen(proto_fd, "w", buffering=1))
    except BaseException:  # noqa: BLE001 - a child must never return into the checker
        code = 1
    finally:
        os._exit(code)


class Fleet:
    """``count`` real OS processes of the app, started together."""

    def __init__(self, app: Path, url: str, count: int):
        self.workers: list[Worker] = []
        try:
            for _unused in range(count):
                others = [fd for worker in self.workers for fd in worker.fds]
                self.workers.append(Worker(app, url, close_in_child=others))
            for worker in self.workers:
                message = worker.receive(CALL_SECONDS)
                if message["event"] == "crashed":
                    raise Crashed(message["error"])
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        for worker in self.workers:
            worker.stop()

    def __enter__(self) -> Fleet:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


# == scenario steps ===========================================================================
@dataclass
class Call:
    handler: str
    args: dict = field(default_factory=dict)
    worker: int = 0


@dataclass
class Race:
    """``first`` pauses right after its ``pause_after``-th read (or, with ``pause_on``
    "write", right after its ``pause_after``-th write); ``others`` run; it finishes."""

    first: Call
    others: list
    pause_after: int = 1
    pause_on: str = "read"


@dataclass
class Hammer:
    """Every worker calls ``handler`` ``times`` times at once; ``audit`` judges the totals."""

    handler: str
    args: list  # one args dict per worker
    times: int
    audit: object  # (fleet_results, fleet, model, log) -> Result | None


@dataclass
class Fresh:
    """A new round: Redis is emptied and the model starts again."""


@dataclass
class Plan:
    steps: list
    workers: int = 3


class Stop(Exception):
    def __init__(self, result: Result):
        self.result = result


def _describe(call: Call, pid: int) -> str:
    return _("04-atomicity.platform.call", call=describe_call(call.handler, call.args), pid=pid)


def same(saw, expected) -> bool:
    if expected is None:
        return True
    if isinstance(expected, bool) and type(saw) is int and saw in (0, 1):
        saw = bool(saw)  # 1/0 from a Lua script read as True/False
    return type(saw) is type(expected) and saw == expected


class Replay:
    """Runs one plan against a fleet, keeping a log of what every process did."""

    def __init__(self, exercise: RaceExercise, fleet: Fleet, base: dict):
        self.exercise = exercise
        self.fleet = fleet
        self.base = base
        self.model = exercise.model()
        self.log: list[str] = []
        self.raced = False  # has a race or a hammer run since Redis was last emptied?
        self.workers_used: set[int] = set()
        self.previous_pid = None
        self.paused_after_write = False  # is a request paused right after it wrote?

    def pid(self, call: Call) -> int:
        return self.fleet.workers[call.worker].pid

    def run(self, step) -> None:
        if isinstance(step, Fresh):
            self.exercise.service.flush()
            self.model = self.exercise.model()
            self.raced = False
            self.workers_used = set()
            self.log.append(_("04-atomicity.platform.fresh"))
        elif isinstance(step, Call):
            reply = self.call(step)
            self.judge(step, reply, getattr(self.model, step.handler)(**step.args))
        elif isinstance(step, Race):
            self.raced = True
            self.race(step)
        elif isinstance(step, Hammer):
            self.raced = True
            self.hammer(step)

    def call(self, call: Call, pause_after: int | None = None) -> Reply:
        worker = self.fleet.workers[call.worker]
        worker.send(op="call", handler=call.handler, args=call.args, pause_after=pause_after)
        return self.wait(call)

    def wait(self, call: Call, seconds: float = CALL_SECONDS) -> Reply:
        try:
            return self.fleet.workers[call.worker].reply(seconds)
        except Hang:
            self.log.append(
                _("04-atomicity.platform.no_answer", call=_describe(call, self.pid(call)))
            )
            raise

    def done(self, call: Call, reply: Reply, extra: str = "") -> None:
        outcome = f"error {reply.error['kind']}" if reply.error else f"-> {reply.value!r}"
        self.log.append(f"{_describe(call, self.pid(call))}{extra}: {outcome}")

    def judge(self, call: Call, reply: Reply, expected, *, logged: bool = False) -> None:
        previous, self.previous_pid = self.previous_pid, self.pid(call)
        self.workers_used.add(call.worker)
        if not logged:
            self.done(call, reply)
        if reply.error:
            raise Stop(self.error_result(call, reply))
        if same(reply.value, expected):
            return
        reason = self.exercise.name_reason(call, reply.value, expected)
        if reason == GAVE_UP and self.paused_after_write:
            reason = REFUSED_WHILE_OVERDRAWN
        if not self.raced and len(self.workers_used) > 1:
            # No race yet in this round, one request at a time: the processes disagree
            # because the state lives in each of them.
            reason = STATE_NOT_SHARED
        raise Stop(
            Result(
                INCORRECT,
                reason,
                summary=_(
                    f"reason.{reason}",
                    seq=len(self.log),
                    handler=call.handler,
                    pid=self.pid(call),
                    previous=previous,
                ),
                platform=self.log[-14:],
                saw=repr(reply.value),
                expected=repr(expected),
                next_step=_(f"next.{reason}"),
                **self.base,
            )
        )

    def error_result(self, call: Call, reply: Reply) -> Result:
        from ..scenario import _error_result  # one wording for app errors in every notebook

        class _Served:  # the fields _error_result reads
            seq = len(self.log)
            handler = call.handler
            pid = self.pid(call)
            error = reply.error

        return _error_result(_Served, self.log[-14:], self.base)

    def race(self, race: Race) -> None:
        self.paused_after_write = race.pause_on == "write"
        try:
            self._race(race)
        finally:
            self.paused_after_write = False

    def _race(self, race: Race) -> None:
        first, others = race.first, race.others
        worker = self.fleet.workers[first.worker]
        worker.send(
            op="call",
            handler=first.handler,
            args=first.args,
            pause_after=race.pause_after,
            pause_on=race.pause_on,
        )
        reply = self.wait(first)
        if reply.event == "done":  # never read that often: nothing to race with
            self.done(first, reply)
            self.judge(first, reply, getattr(self.model, first.handler)(**first.args), logged=True)
            for call in others:
                self.run(call)
            return
        paused = reply.commands
        self.log.append(
            _(
                "04-atomicity.platform.paused",
                call=_describe(first, self.pid(first)),
                commands=", ".join(paused),
            )
        )
        read_only = all(c.split()[0] in READS | NEUTRAL for c in paused)
        replies = []
        blocked = False
        for call in others:
            self.fleet.workers[call.worker].send(
                op="call", handler=call.handler, args=call.args, pause_after=None
            )
            try:
                replies.append(self.fleet.workers[call.worker].reply(BLOCKED_SECONDS))
            except Hang:
                # Waiting for the paused request (a lock): let it go first.
                blocked = True
                self.log.append(
                    _("04-atomicity.platform.blocked", call=_describe(call, self.pid(call)))
                )
                break
        worker.send(op="resume")
        last = self.wait(first)
        if blocked:
            self.done(first, last, _("04-atomicity.platform.resumed"))
            self.judge(first, last, getattr(self.model, first.handler)(**first.args), logged=True)
            for call, earlier in zip(others, replies, strict=False):
                self.done(call, earlier)
            expected_others = [getattr(self.model, c.handler)(**c.args) for c in others]
            waiting = others[len(replies)]  # sent, and waiting for the lock until now
            replies.append(self.wait(waiting))
            self.done(waiting, replies[-1])
            for call in others[len(replies) :]:  # not sent yet
                replies.append(self.call(call))
                self.done(call, replies[-1])
            for call, got, expected in zip(others, replies, expected_others, strict=True):
                self.judge(call, got, expected, logged=True)
            return
        for call, got in zip(others, replies, strict=True):
            self.done(call, got)
        self.done(first, last, _("04-atomicity.platform.resumed"))
        if read_only:
            expected_others = [getattr(self.model, c.handler)(**c.args) for c in others]
            expected_first = getattr(self.model, first.handler)(**first.args)
        else:
            expected_first = getattr(self.model, first.handler)(**first.args)
            expected_others = [getattr(self.model, c.handler)(**c.args) for c in others]
        for call, got, expected in zip(others, replies, expected_others, strict=True):
            self.judge(call, got, expected, logged=True)
        self.judge(first, last, expected_first, logged=True)

    def hammer(self, hammer: Hammer) -> None:
        workers = self.fleet.workers
        for worker, args in zip(workers, hammer.args, strict=False):
            worker.send(op="hammer", handler=hammer.handler, args=args, times=hammer.times)
        for worker in workers[: len(hammer.args)]:
            worker.receive()  # armed
        for worker in workers[: len(hammer.args)]:
            worker.send(op="go")  # the barrier opens for everyone at once
        self.log.append(
            _(
                "04-atomicity.platform.hammer",
                processes=len(hammer.args),
                times=hammer.times,
                handler=hammer.handler,
            )
        )
        results = []
        for index, args in enumerate(hammer.args):
            call = Call(hammer.handler, args, index)
            reply = self.wait(call, CALL_SECONDS * 2)
            if reply.error:
                self.done(call, reply)
                raise Stop(self.error_result(call, reply))
            results.append(reply.value)
        found = hammer.audit(results, self)
        if found is not None:
            raise Stop(found)


def race_check(exercise, part: str, app: Path, *, seed: int, level: str, redis) -> Result:
    """The race engine for one seed (``AppExercise.engine``): real worker processes
    replay the part's plan (see above)."""
    exercise.service = redis
    return exercise.replay(exercise.plans[part](seed), Path(app), level=level, seed=seed)


class RaceExercise(AppExercise):
    """An app exercise whose parts are replayed by real worker processes (see above)."""

    def replay(self, plan: Plan, app: Path, *, level: str, seed: int) -> Result:
        from ..scenario import NOT_WRITTEN, TIMEOUT

        base = {"exercise": self.label, "seed": seed, "level": level}
        if not app.exists():
            return Result(
                NOT_ATTEMPTED,
                NOT_WRITTEN,
                summary=_("reason.not_written", app=app.name),
                next_step=_("next.not_written"),
                **base,
            )
        self.service.flush()
        header = _("04-atomicity.platform.header", processes=plan.workers, seed=seed)
        replay = None
        try:
            with Fleet(app, self.service.url, plan.workers) as fleet:
                replay = Replay(self, fleet, base)
                replay.log.append(header)
                for step in plan.steps:
                    replay.run(step)
                if self.service.admin.dbsize() == 0:
                    from ..scenario import NOT_USING_REDIS_URL

                    return Result(
                        INCORRECT,
                        NOT_USING_REDIS_URL,
                        summary=_("reason.not_using_redis_url"),
                        next_step=_("next.not_using_redis_url"),
                        **base,
                    )
        except Stop as stop:
            return stop.result
        except Crashed as crash:
            return crash_result(crash.error, header, base)
        except Hang:
            return Result(
                INCORRECT,
                TIMEOUT,
                summary=_(
                    "reason.timeout",
                    what=_("04-atomicity.platform.a_request"),
                    seconds=CALL_SECONDS,
                ),
                platform=replay.log[-8:] if replay else [header],
                next_step=_("next.timeout"),
                **base,
            )
        return Result(CORRECT, CORRECT, summary=_("04-atomicity.summary.correct"), **base)

    def name_reason(self, call: Call, saw, expected) -> str:
        return self.diagnose(call, saw, expected) if self.diagnose else "wrong_response"


def _incorrect(replay: Replay, reason: str, saw, expected, **values) -> Result:
    return Result(
        INCORRECT,
        reason,
        summary=_(f"04-atomicity.audit.{reason}", **values),
        platform=replay.log[-14:],
        saw=repr(saw),
        expected=repr(expected),
        next_step=_(f"next.{reason}"),
        **replay.base,
    )


# == q1: a poll that counts every vote =========================================================
POLLS = ["lunch", "colour", "editor", "pets"]
OPTIONS = {
    "lunch": ["pizza", "soup", "salad"],
    "colour": ["red", "green", "blue"],
    "editor": ["vim", "emacs", "vscode"],
    "pets": ["cats", "dogs"],
}


class PollModel:
    def __init__(self):
        self.counts: dict[str, dict[str, int]] = {}

    def vote(self, poll, option):
        poll_counts = self.counts.setdefault(poll, {})
        poll_counts[option] = poll_counts.get(option, 0) + 1
        return poll_counts[option]

    def results(self, poll):
        return dict(self.counts.get(poll, {}))


def votes_race_plan(seed: int) -> Plan:
    rng = random.Random(seed)
    poll, other = rng.sample(POLLS, 2)
    a, b = OPTIONS[poll][:2]
    steps: list = [
        Call("results", {"poll": poll}, 0),
        Call("vote", {"poll": poll, "option": a}, 0),
        Call("vote", {"poll": poll, "option": b}, 0),
        Call("results", {"poll": poll}, 0),
        Call("vote", {"poll": poll, "option": a}, 1),
        Call("vote", {"poll": poll, "option": b}, 2),
        Call("results", {"poll": poll}, 1),
        Call("results", {"poll": other}, 2),
        # Two processes vote for the same option: A reads, B votes, A writes.
        Race(
            Call("vote", {"poll": poll, "option": a}, 0),
            [Call("vote", {"poll": poll, "option": a}, 1)],
        ),
        Call("results", {"poll": poll}, 2),
        Race(
            Call("vote", {"poll": poll, "option": b}, 1),
            [
                Call("vote", {"poll": poll, "option": b}, 2),
                Call("vote", {"poll": poll, "option": a}, 0),
            ],
        ),
        Call("results", {"poll": poll}, 0),
    ]
    if seed not in VISIBLE_SEEDS:
        steps += [
            Race(
                Call("vote", {"poll": other, "option": OPTIONS[other][0]}, 2),
                [Call("vote", {"poll": other, "option": OPTIONS[other][0]}, w) for w in (0, 1, 0)],
                pause_after=rng.choice([1, 2]),
            ),
            Call("results", {"poll": other}, 1),
        ]
    return Plan(steps, workers=3)


def _votes_audit(poll: str, workers: int, times: int):
    def audit(results, replay: Replay):
        call = Call("results", {"poll": poll}, 0)
        reply = replay.call(call)
        replay.done(call, reply)
        if reply.error:
            return replay.error_result(call, reply)
        expected = {option: 0 for option in OPTIONS[poll][:workers]}
        for index in range(workers):
            option = OPTIONS[poll][index % len(OPTIONS[poll])]
            expected[option] = expected.get(option, 0) + times
        expected = {k: v for k, v in expected.items() if v}
        if same(reply.value, expected):
            return None
        return _incorrect(replay, LOST_UPDATE, reply.value, expected, votes=workers * times)

    return audit


def votes_load_plan(seed: int) -> Plan:
    """Real concurrency first, then one paused race, so that a racy answer fails this part
    every time even when the load happened to spare it."""
    hidden = seed not in VISIBLE_SEEDS
    workers, times = (5, 30) if hidden else (4, 25)
    poll, other = random.Random(seed).sample(["lunch", "colour", "editor"], 2)
    args = [{"poll": poll, "option": OPTIONS[poll][i % len(OPTIONS[poll])]} for i in range(workers)]
    option = OPTIONS[other][0]
    return Plan(
        [
            Hammer("vote", args, times, _votes_audit(poll, workers, times)),
            Race(_vote(other, option, 1), [_vote(other, option, 2)]),
            Call("results", {"poll": other}, 0),
        ],
        workers=workers,
    )


def _vote(poll, option, worker):
    return Call("vote", {"poll": poll, "option": option}, worker)


def votes_diagnose(call: Call, saw, expected) -> str:
    if call.handler == "vote" and _numbers(saw, expected):
        return LOST_UPDATE
    if call.handler == "results" and _less(saw, expected):
        return LOST_UPDATE
    return "wrong_response"


def _less(saw, expected) -> bool:
    if isinstance(saw, int) and isinstance(expected, int) and not isinstance(saw, bool):
        return saw < expected
    if isinstance(saw, dict) and isinstance(expected, dict):
        try:
            return sum(int(v) for v in saw.values()) < sum(expected.values())
        except (TypeError, ValueError):
            return False
    return False


# == q2: tickets that are never oversold =======================================================
USERS = ["ana", "bo", "chen", "dara", "eli", "femi"]


class TicketModel:
    def __init__(self):
        self.left = 0
        self.held: dict[str, int] = {}

    def open_sales(self, tickets):
        self.left = tickets

    def reserve(self, user, qty):
        if qty > self.left:
            return False
        self.left -= qty
        self.held[user] = self.held.get(user, 0) + qty
        return True

    def cancel(self, user):
        qty = self.held.pop(user, 0)
        self.left += qty
        return qty

    def remaining(self):
        return self.left

    def reservations(self, user):
        return self.held.get(user, 0)


def _reserve(user, qty, worker):
    return Call("reserve", {"user": user, "qty": qty}, worker)


def _audit_calls(users, worker=2) -> list:
    return [Call("remaining", {}, worker)] + [
        Call("reservations", {"user": u}, worker) for u in users
    ]


def _open(tickets, worker=2) -> list:
    return [Fresh(), Call("open_sales", {"tickets": tickets}, worker)]


def tickets_logic(users) -> list:
    """The rules, one request at a time: first in one process, then spread over three."""
    a, b = users[:2]
    one = [
        *_open(5, 0),
        Call("remaining", {}, 0),
        _reserve(a, 2, 0),
        Call("remaining", {}, 0),
        _reserve(b, 4, 0),
        Call("reservations", {"user": b}, 0),
        _reserve(b, 3, 0),
        Call("remaining", {}, 0),
        _reserve(a, 1, 0),
        Call("reservations", {"user": a}, 0),
        Call("cancel", {"user": a}, 0),
        Call("remaining", {}, 0),
        Call("reservations", {"user": a}, 0),
        Call("cancel", {"user": a}, 0),
        _reserve(a, 2, 0),
        Call("remaining", {}, 0),
    ]
    spread = [
        *_open(4, 0),
        Call("remaining", {}, 1),
        _reserve(a, 3, 2),
        Call("remaining", {}, 0),
        _reserve(b, 2, 1),
        Call("reservations", {"user": a}, 1),
        Call("cancel", {"user": a}, 0),
        Call("remaining", {}, 2),
        _reserve(b, 2, 1),
        Call("reservations", {"user": b}, 0),
    ]
    return one + spread


def every_shape(a, b, c) -> list:
    """One race of each kind, in every part: a racy answer fails each part every time."""
    return [
        # The last ticket: A has read "1 left" when B takes it.
        *_open(1),
        Race(_reserve(c, 1, 0), [_reserve(b, 1, 1)]),
        *_audit_calls([b, c]),
        # Plenty left, the same user twice at once: both count, nobody is refused.
        *_open(5),
        Race(_reserve(a, 2, 1), [_reserve(a, 1, 2)]),
        # Two cancels at once: the tickets come back once.
        Race(Call("cancel", {"user": a}, 2), [Call("cancel", {"user": a}, 0)]),
        *_audit_calls([a]),
    ]


def oversell_plan(seed: int) -> Plan:
    rng = random.Random(seed)
    a, b, c = rng.sample(USERS, 3)
    steps = tickets_logic([a, b])
    # The last ticket: A reads "1 left" and pauses; B takes it; A goes on.
    steps += [*_open(1), Race(_reserve(a, 1, 0), [_reserve(b, 1, 1)]), *_audit_calls([a, b])]
    # 3 left, both want 2.
    steps += [*_open(3), Race(_reserve(b, 2, 1), [_reserve(a, 2, 0)]), *_audit_calls([a, b])]
    if seed not in VISIBLE_SEEDS:
        steps += [
            *_open(2),
            Race(
                _reserve(c, 2, 2),
                [_reserve(a, 1, 0), _reserve(b, 1, 1)],
                pause_after=rng.choice([1, 2]),
            ),
            *_audit_calls([a, b, c], 1),
            *_open(4),
            _reserve(a, 1, 0),
            Race(_reserve(b, 3, 1), [_reserve(c, 3, 2)], pause_after=2),
            Race(_reserve(c, 3, 0), [_reserve(a, 2, 1)], pause_after=1),
            *_audit_calls([a, b, c]),
        ]
    # 2 left: A asks for 3 and pauses right after its first write; B wants 1. There are
    # never fewer than 2 tickets, so B must get one (decrement-first refuses B wrongly).
    steps += [
        *_open(2),
        Race(_reserve(a, 3, 0), [_reserve(b, 1, 1)], pause_on="write"),
        *_audit_calls([a, b]),
    ]
    steps += every_shape(a, b, c)
    return Plan(steps, workers=3)


def lost_plan(seed: int) -> Plan:
    rng = random.Random(seed)
    a, b, c = rng.sample(USERS, 3)
    steps = [
        # Plenty of tickets, the same user from two processes: both reservations count.
        *_open(10),
        Race(_reserve(a, 1, 0), [_reserve(a, 2, 1)]),
        *_audit_calls([a]),
        Race(_reserve(a, 1, 1), [_reserve(a, 1, 2)], pause_after=2),
        *_audit_calls([a]),
        # Two users at once: the stock goes down by both.
        Race(_reserve(b, 2, 2), [_reserve(c, 1, 0)]),
        *_audit_calls([a, b, c], 1),
        # A cancel and a new reservation of the same user at once.
        Race(Call("cancel", {"user": a}, 0), [_reserve(a, 1, 1)]),
        *_audit_calls([a, b, c]),
        # Two cancels at once: the tickets come back once.
        Race(Call("cancel", {"user": b}, 1), [Call("cancel", {"user": b}, 2)]),
        *_audit_calls([a, b, c]),
    ]
    if seed not in VISIBLE_SEEDS:
        steps += [
            *_open(6),
            Race(
                _reserve(a, 2, 0),
                [_reserve(a, 1, 1), _reserve(b, 1, 2), _reserve(a, 1, 1)],
                pause_after=rng.choice([1, 2]),
            ),
            *_audit_calls([a, b]),
            Race(Call("cancel", {"user": a}, 2), [Call("cancel", {"user": a}, 0)], pause_after=2),
            *_audit_calls([a, b]),
        ]
    steps += every_shape(a, b, c)
    return Plan(steps, workers=3)


def _tickets_audit(users: list[str], tickets: int, times: int):
    def audit(results, replay: Replay):
        got = {}
        for user in [None, *users]:
            call = (
                Call("remaining", {}, 0)
                if user is None
                else Call("reservations", {"user": user}, 0)
            )
            reply = replay.call(call)
            replay.done(call, reply)
            if reply.error:
                return replay.error_result(call, reply)
            got[user] = reply.value
        wins = {u: sum(1 for r in results[i] if r) for i, u in enumerate(users)}
        sold = sum(wins.values())
        attempts = len(users) * times
        replay.log.append(
            _(
                "04-atomicity.platform.tally",
                sold=sold,
                attempts=attempts,
                tickets=tickets,
                left=got[None],
            )
        )
        if sold > tickets or (isinstance(got[None], int) and got[None] < 0):
            return _incorrect(replay, OVERSOLD, sold, tickets, sold=sold, tickets=tickets)
        expected = {"remaining": tickets - sold, **wins}
        saw = {"remaining": got[None], **{u: got[u] for u in users}}
        if sold < min(tickets, attempts) or not same(saw, expected):
            return _incorrect(replay, LOST_UPDATE, saw, expected, votes=attempts)
        return None

    return audit


def load_plan(seed: int) -> Plan:
    """Real concurrency first (a sell-out), then one race of each shape, so that a racy
    answer fails this part every time even when the load happened to spare it."""
    hidden = seed not in VISIBLE_SEEDS
    workers, times = (5, 12) if hidden else (4, 12)
    rng = random.Random(seed)
    users = rng.sample(USERS, workers)
    a, b = users[:2]
    tickets = workers * times * 2 // 3  # more buyers than tickets: a sell-out
    args = [{"user": u, "qty": 1} for u in users]
    return Plan(
        [
            Call("open_sales", {"tickets": tickets}, 0),
            Hammer("reserve", args, times, _tickets_audit(users, tickets, times)),
            *every_shape(a, b, users[2]),
        ],
        workers=workers,
    )


def tickets_diagnose(call: Call, saw, expected) -> str:
    if call.handler == "reserve" and saw in (True, 1) and expected is False:
        return OVERSOLD
    if call.handler == "reserve" and saw in (False, 0) and expected is True:
        return GAVE_UP
    if call.handler == "remaining" and isinstance(saw, int) and saw < 0:
        return OVERSOLD
    if call.handler in ("remaining", "reservations", "cancel") and _numbers(saw, expected):
        return LOST_UPDATE
    return "wrong_response"


def _numbers(saw, expected) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in (saw, expected))


poll_app = RaceExercise(
    engine=race_check,
    solution_cell="poll_app",
    app_file="poll.py",
    plans={"votes_race": votes_race_plan, "votes_under_load": votes_load_plan},
    model=PollModel,
    diagnose=votes_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

tickets_app = RaceExercise(
    engine=race_check,
    solution_cell="tickets_app",
    app_file="tickets.py",
    plans={
        "never_oversells": oversell_plan,
        "never_loses_reservations": lost_plan,
        "tickets_under_load": load_plan,
    },
    model=TicketModel,
    diagnose=tickets_diagnose,
    seeds_visible=VISIBLE_SEEDS,
    seeds_hidden=HIDDEN_SEEDS,
)

bind_exercises(globals(), [poll_app, tickets_app])
