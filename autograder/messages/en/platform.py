"""English messages of the simulated platform: its history lines, events and errors."""

MESSAGES: dict[str, str] = {
    # -- the history: one line per request or platform action ------------------------------
    "platform.history.event": "  platform: {text}",
    "platform.served": "  #{seq} {call}{who} on pid {pid}: {outcome}{note}",
    "platform.served.as": " as {user}",
    "platform.served.value": "-> {value}",
    "platform.served.error": "error {kind}: {message}",
    "platform.served.note": " ({note})",
    "platform.note.resumed": "resumed after the requests sent while it was paused",
    "platform.http.response": "<HTTP {status} {body}{cookies}>",
    "platform.http.sets_cookie": "; sets cookie {name}",
    "platform.http.deletes_cookie": "; deletes cookie {name}",
    # -- events -------------------------------------------------------------------------
    "platform.event.start": "started {name} as pid {pid}",
    "platform.event.restart": "restarted pid {old} as pid {new}",
    "platform.event.kill": "killed pid {old}; started pid {new} in its place",
    "platform.event.release_running": "running release {release} on pids {pids}",
    "platform.event.replace": "pid {old} stopped answering; started pid {new} in its place",
    "platform.event.rolling": "rolling restart of every process",
    "platform.event.scale": "scaled to {count} process(es): pids {pids}",
    "platform.event.router": "router is now {router}",
    "platform.event.repinned": "{user} was pinned to pid {dead}, which is gone: now pid {new}",
    "platform.event.deploy": "deploy: rolling restart from release {old} to {new}",
    "platform.event.in_release": " (release {release})",
    "platform.event.deployed": "deploy of release {release} finished: pids {pids}",
    "platform.event.evicted": "evicted pid {old}: its disk holds {used:.0f} KiB, over its "
    "{quota:.0f} KiB quota; started pid {new}",
    "platform.event.paused": "paused request #{seq} on pid {pid} right after its {command}",
    # -- names of the platform's identifiers (autograder/messages/names.py) -----------------
    "platform.router.round-robin": "round-robin",
    "platform.router.random": "random",
    "platform.router.sticky": "sticky",
    "platform.redis.embedded": "embedded fakeredis",
    "platform.redis.attached": "attached Redis",
    # -- errors ---------------------------------------------------------------------------
    "platform.error.unknown_router": "unknown router {router!r}; choose one of {routers}",
    "platform.error.no_app_file": "no app file {app}",
    "platform.error.no_processes": "a cluster needs at least one process",
    "platform.error.no_process": "no process {which}: running pids are {pids}",
    "platform.error.start_timeout": "starting the app took longer than {seconds:g} s",
    "platform.error.no_answer": "no answer within {seconds:g} s",
    "platform.error.stopped_while_paused": "pid {pid} stopped while this request was paused",
    "platform.error.request_failed": "request {seq} on pid {pid} failed: {kind}: {message} "
    "({where})",
    "platform.error.not_running": "process {pid} is not running",
    "platform.error.no_handler": "the app has no function named {handler}()",
    "platform.error.no_wsgi_app": "the app file defines no WSGI application named {name}",
    # A process that cannot answer any more (the parent reads no reply from it).
    "platform.error.gone.timeout": "pid {pid} gave no answer within {seconds:g} s",
    "platform.error.gone.exited": "pid {pid} ended while serving this request (os._exit(), a "
    "crash, or it closed its connection to the platform)",
    "platform.error.gone.broken_reply": "pid {pid} wrote something that is not a reply into "
    "its pipe",
    "platform.error.gone.too_large": "pid {pid} answered with more than {megabytes} MB",
    # A fleet's process that answers what nobody asked (fleet.py): stopped, never believed.
    "platform.error.out_of_turn": "pid {pid} answered out of turn (with {event!r}), so the "
    "platform stopped it: nothing it says now can be trusted.",
    # What an app process is refused (the text of the PermissionError the app gets).
    "platform.refused.start_process": "[simulated platform] process {pid} may not start other "
    "processes ({event}): a web process answers requests itself",
    "platform.refused.ctypes": "[simulated platform] process {pid} may not call C code through "
    "ctypes",
    "platform.refused.signal": "[simulated platform] process {pid} may not send signals (pid "
    "{target})",
    "platform.refused.write": "[simulated platform] process {pid} may only write to its own "
    "disk (its working directory or tempfile.gettempdir()), not to {path}",
    # A release's build (notebook 07): why it gave no release.
    "platform.build.no_file": "no build file {name}",
    "platform.build.too_long": "the build ran longer than {seconds:g} s",
    "platform.build.failed": "the build failed: {last}",
    "platform.build.exit_status": "exit status {code}",
    # os._exit() in a handler: the process is gone before it can say with which code
    "platform.exit_code.unknown": "unknown",
    # -- what the race engine did (races.py), line by line ----------------------------
    "platform.race.header": "{processes} real OS processes of your app (each with "
    "its own Redis connection), seed {seed}",
    "platform.race.call": "{call} on pid {pid}",
    "platform.race.fresh": "new round: Redis emptied",
    "platform.race.paused": "{call}: PAUSED right after it sent {commands}",
    "platform.race.blocked": "{call}: waits for the paused request (a lock?), so "
    "the paused one goes on first",
    "platform.race.resumed": " (resumed)",
    "platform.race.done": "{call}{extra}: {outcome}",
    "platform.race.outcome.error": "error {kind}",
    "platform.race.outcome.value": "-> {value}",
    "platform.race.no_answer": "{call}: no answer",
    "platform.race.a_request": "a request",
    "platform.race.hammer": "{processes} processes wait at a barrier, then each "
    "calls {handler}() {times} times, all at once",
}
