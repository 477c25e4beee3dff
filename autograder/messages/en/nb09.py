"""English messages of notebook 09-real-processes: titles, hints, deployment feedback.

Hints are shown without str.format (no values), so braces in them are literal.
"""

MESSAGES: dict[str, str] = {
    # == 09-real-processes ===============================================================
    "09-real-processes.q1.title": "09 · q1 · a names app that survives real processes",
    "09-real-processes.q1.hint.1": "Three gunicorn workers are three Python interpreters: "
    "a global, a dict or a cache in one of them is invisible to the other two and dies "
    "with a kill -9. A file in the working directory is shared on one machine, but a new "
    "deployment starts in a new folder. Keep the name where every process and every "
    "deployment finds it: in Redis, reached through REDIS_URL.",
    "09-real-processes.q1.hint.2": "Connect once at import with "
    "redis.Redis.from_url(os.environ['REDIS_URL'], decode_responses=True). In saymyname, "
    "HSET names <user> <name>; in whoami, HGET names <user> and return it (or a 404 when "
    "there is none). Read it from Redis on every request: no copy in memory.",
    # -- what the checker did ----------------------------------------------------------------
    "09-real-processes.platform.header": "honcho + gunicorn with {workers} workers, Redis: "
    "{redis}, seed {seed}",
    "09-real-processes.platform.deployed": "deployment {n} up in a fresh folder: gunicorn "
    "workers {pids}",
    "09-real-processes.platform.stopped": "deployment {n} stopped: {count} processes "
    "killed, none left running",
    "09-real-processes.platform.said": "GET /saymyname?user={user}&name={name} answered "
    "by worker {pid}",
    "09-real-processes.platform.asked": "{count} × GET /whoami sent at once, answered by "
    "workers {pids}: all right",
    "09-real-processes.platform.killed": "kill -9 of gunicorn worker {pid}",
    "09-real-processes.platform.replaced": "the master started new workers in their place: {pids}",
    "09-real-processes.platform.reloaded": "HUP to the master {master}: graceful reload, "
    "new workers {pids}",
    "09-real-processes.summary.replicas": "Every /whoami was answered with the right name, "
    "by {workers} different gunicorn workers, also after the name changed.",
    "09-real-processes.summary.survives_chaos": "All {killed} workers were killed with "
    "kill -9 at once (the requests sent meanwhile waited for their replacements), then "
    "the master reloaded gracefully (HUP): no request failed and no user lost their name.",
    "09-real-processes.summary.fresh_deployment": "A fresh deployment in a fresh folder, on "
    "the same Redis, knew every name the first deployment was told.",
    # -- reason codes of this notebook ---------------------------------------------------------
    "reason.name_not_shared": "{user} told the app their name is {expected}, but /whoami "
    "answered {got!r} (worker {pid}): the worker that answered does not know what another "
    "worker was told.",
    "next.name_not_shared": "Each gunicorn worker is a process of its own. Store the name "
    "in Redis in /saymyname and read it from Redis in /whoami.",
    "reason.stale_name": "{user} changed their name to {expected}, but /whoami answered the "
    "old one, {got!r} (worker {pid}): a copy kept in a worker's memory went stale.",
    "next.stale_name": "Do not cache the name in a process: read it from Redis on every "
    "request. Redis answers in well under a millisecond.",
    "reason.lost_in_chaos": "After a worker was killed or the master reloaded, /whoami "
    "for {user} answered {got!r} instead of {expected} (worker {pid}): the name lived in "
    "a process that is gone.",
    "next.lost_in_chaos": "A worker may be killed at any moment and the master starts a "
    "new one with nothing in memory. Keep the name in Redis.",
    "reason.lost_in_fresh_deployment": "In a fresh deployment (a new folder, the same "
    "Redis), /whoami for {user} answered {got!r} instead of {expected} (worker {pid}): "
    "the name was kept on the first deployment's disk or in its memory.",
    "next.lost_in_fresh_deployment": "A deploy, a restart or a move to another machine "
    "starts from a clean folder. Keep the name in Redis, not in a file.",
    "reason.wrong_name": "/whoami for {user} answered {got!r}, not the name {expected} "
    "(worker {pid}).",
    "next.wrong_name": "Return the name itself as text (a str, not bytes: "
    "decode_responses=True), with nothing around it.",
    "reason.request_failed": "{request} failed: {error}. The deployment did not answer it.",
    "next.request_failed": "Look at the deployment's logs (the check's platform lines) for "
    "a worker that hangs or crashes; a request should answer in milliseconds.",
    "reason.server_error": "{request} answered HTTP {status}. {error}",
    "next.server_error": "Read the traceback in the log lines below, fix the view, and "
    "write the file again.",
    "reason.refused_write": "{request} answered HTTP {status}: a gunicorn worker was "
    "refused a write outside the deployment's disk. {error}",
    "next.refused_write": "/tmp and your home folder are not where state belongs: on a "
    "real platform they are private to one machine and wiped on the next deploy. Keep the "
    "name in Redis.",
    "reason.did_not_start": "The deployment did not come up: no gunicorn worker answered "
    "HTTP within the start-up time.",
    "next.did_not_start": "Import your app in a cell to see whether it hangs or fails, and "
    "keep slow work out of import time.",
    "reason.one_worker_answered": "Only one gunicorn worker said it answered ({pids}), so "
    "the check could not test your app on several processes.",
    "next.one_worker_answered": "Do not set the X-Served-By header yourself, and keep each "
    "request short.",
    # == q2: the Procfile ================================================================
    "09-real-processes.q2.title": "09 · q2 · a Procfile with a web and a worker type",
    "09-real-processes.q2.hint.1": "Two lines, one per process type: 'web: ...' serves "
    "shop:app with gunicorn, several workers, on the port the platform gives the process "
    "($PORT); 'worker: ...' runs the shop's work_one() through the course's entry point. "
    "A Procfile is not a shell script: no ;, &&, pipes or VAR=value in front.",
    "09-real-processes.q2.hint.2": "web: gunicorn shop:app --workers 3 --bind "
    "0.0.0.0:$PORT and worker: python -m autograder.worker_process shop.py. Flask's "
    "development server (flask run) is one process, and a port written as a number is "
    "not the one the platform chose.",
    "09-real-processes.procfile.header": "honcho starts your Procfile with the course's "
    "shop.py; Redis: {redis}, seed {seed}",
    "09-real-processes.procfile.line": '{kind}: runs as the course\'s command for "{line}"',
    "09-real-processes.procfile.deployed": "deployment {n} up in a fresh folder (honcho -c "
    "{scale}): HTTP answers on $PORT = {port}",
    "09-real-processes.procfile.stopped": "deployment {n} stopped: {count} processes "
    "killed, none left running",
    "09-real-processes.procfile.web_workers": "/proc: the gunicorn master has {count} workers",
    "09-real-processes.procfile.posted": '{count} × POST /order answered "thank you"',
    "09-real-processes.procfile.charged": "Redis: each of the {count} orders charged once, "
    "every balance right",
    "09-real-processes.procfile.killed": "kill -9 of the worker process {pid} (orders "
    "charged so far: {charged})",
    "09-real-processes.procfile.requeued": "jobs left in jobs:processing moved back to "
    "the queue, as a platform's restart script would: {count}",
    "09-real-processes.procfile.workers": "/proc: worker processes {pids}",
    "09-real-processes.procfile.why.no_web": "Your Procfile has no web type.",
    "09-real-processes.procfile.why.literal_port": '"{line}" binds port {port}, written '
    "as a number: the platform gives the web process its port in $PORT.",
    "09-real-processes.procfile.why.no_worker": "Your Procfile has no worker type: nothing "
    "takes the orders off the queue.",
    "09-real-processes.procfile.why.worker_not_runner": 'Your worker type runs "{line}", '
    "which does not call the shop's work_one().",
    "09-real-processes.procfile.forms": "The Procfile lines the course runs (one per "
    "type, web and worker; # starts a comment):\n"
    "  web: gunicorn shop:app [--workers N] [--bind HOST:$PORT] [--preload] [--timeout N]\n"
    "  web: flask --app shop run [--port $PORT] [--host HOST]\n"
    "  worker: python -m autograder.worker_process shop.py",
    "09-real-processes.procfile.problem.no_type": "a line is 'type: command', and this one "
    "has no type name before a colon",
    "09-real-processes.procfile.problem.misspelt_type": "the process type {kind!r} is "
    "unknown: did you mean {close!r}?",
    "09-real-processes.procfile.problem.unknown_type": "the process type {kind!r} is "
    "unknown: this exercise runs web and worker",
    "09-real-processes.procfile.problem.duplicate_type": "the type {kind!r} is declared a "
    "second time",
    "09-real-processes.procfile.problem.no_command": "the line has a type but no command",
    "09-real-processes.procfile.problem.shell_syntax": "{what} is shell syntax: the course "
    "runs one command per line, never a shell",
    "09-real-processes.procfile.problem.quotes": "a quote is not closed",
    "09-real-processes.procfile.problem.env_assignment": "{word!r} sets an environment "
    "variable: configuration comes from the platform's environment, not the Procfile",
    "09-real-processes.procfile.problem.variable": "{word!r} uses a variable: only $PORT "
    "is set for a process",
    "09-real-processes.procfile.problem.worker_args": "python -m {module} takes one "
    "argument, the app file (shop.py)",
    "09-real-processes.procfile.problem.python_form": "the course runs one Python "
    "program from a Procfile, its worker loop: python -m {module} shop.py",
    "09-real-processes.procfile.problem.unknown_command": "the course does not run {program!r}",
    "09-real-processes.procfile.problem.missing_value": "the option {option} needs a value",
    "09-real-processes.procfile.problem.unknown_option": "the option {option} is not one "
    "the course understands here ({known})",
    "09-real-processes.procfile.problem.gunicorn_app": "gunicorn serves one app, written "
    "MODULE:VARIABLE (shop:app), not {given!r}",
    "09-real-processes.procfile.problem.number": "{option} takes a whole number from {low} "
    "to {high}, not {given!r}",
    "09-real-processes.procfile.problem.bind": "{given!r} is not an address the course "
    "serves: HOST:PORT, with HOST 0.0.0.0, 127.0.0.1 or localhost",
    "09-real-processes.procfile.problem.port": "{given!r} is not a port: $PORT, or a number "
    "from 1 to 65535",
    "09-real-processes.procfile.problem.flask_run": "Flask is started as flask --app MODULE run",
    "09-real-processes.procfile.problem.empty": "The Procfile declares no process type: "
    "write one line per type, 'web: ...' and 'worker: ...'.",
    "09-real-processes.summary.both_types": "Your web type answered on $PORT with several "
    "gunicorn workers, and your worker type charged all {count} orders exactly once.",
    "09-real-processes.summary.survives_kill": "The worker was killed with kill -9 with "
    "orders in flight; honcho stopped everything, and the same Procfile, deployed again on "
    "the same Redis, charged the {left} orders left exactly once.",
    "09-real-processes.summary.scaled": "honcho -c worker=2 started two worker processes "
    "from your Procfile; they charged all {count} orders exactly once while web kept "
    "answering.",
    "reason.procfile_not_finished": "Your Procfile still holds the notebook's "
    "raise NotImplementedError(): the answer is not written yet.",
    "reason.procfile_not_understood": 'Line {line_no} of your Procfile, "{line}": {problem}.',
    "next.procfile_not_understood": "Write each line in one of the forms below. The course "
    "reads your Procfile as data and never hands it to a shell.",
    "reason.procfile_unknown_type": 'Line {line_no} of your Procfile, "{line}": {problem}.',
    "next.procfile_unknown_type": "A platform starts the types its Procfile names, and "
    "scales them by name: this one needs exactly web and worker.",
    "reason.procfile_unknown_app": 'Line {line_no} of your Procfile, "{line}", runs '
    "{file}, which is not in the release: it holds shop.py.",
    "next.procfile_unknown_app": "Serve and work the shop: shop:app for gunicorn or Flask, "
    "shop.py for the worker.",
    "reason.procfile_did_not_start": "The deployment stopped while it started: a process "
    "of your Procfile exited, and honcho then stops them all. Its last log lines are "
    "below.",
    "next.procfile_did_not_start": "Read the log lines: a port already taken by another "
    "program, or an app variable the shop does not have (shop:app is its Flask app).",
    "reason.nothing_on_port": "Nothing answered HTTP on the port the platform gave the web "
    "process ($PORT = {port}).",
    "next.nothing_on_port": "The web type must listen on $PORT: a platform routes its "
    "traffic there, and chooses the number itself. Write --bind 0.0.0.0:$PORT (gunicorn) "
    "or leave the bind out; never a fixed number.",
    "reason.one_web_process": "Fewer than two processes serve the web type: the course "
    "counted {count} in /proc (gunicorn workers, or the one Flask process).",
    "next.one_web_process": "Serve the shop with gunicorn and several workers "
    "(--workers 3): flask run is one process, and gunicorn runs one worker unless told.",
    "reason.web_error": "{request} failed: {error}.",
    "next.web_error": "The web type must answer the shop's requests: serve shop:app.",
    "reason.orders_not_charged": "Only {charged} of {count} orders were charged: no "
    "process took the rest off the queue.",
    "next.orders_not_charged": "Add a worker type that runs the shop's work_one(): "
    "worker: python -m autograder.worker_process shop.py.",
    "reason.orders_charged_wrongly": "{user}'s balance is {balance}, not {expected}: the "
    "orders were not each charged exactly once.",
    "next.orders_charged_wrongly": "Run the given shop.py unchanged through the Procfile's "
    "worker type.",
    "reason.no_worker_process": "The check found no worker process to kill: your Procfile "
    "starts no worker type.",
    "next.no_worker_process": "Add the worker type: worker: python -m "
    "autograder.worker_process shop.py.",
    "reason.workers_not_scaled": "With honcho -c worker=2 the course counted {count} "
    "worker processes in /proc, not two.",
    "next.workers_not_scaled": "Name the type exactly worker, so that the platform can "
    "scale it by name, and let it run the course's worker entry point.",
    # -- the parts' titles, in feedback headings ("part: survives crashes") -------------
    "part.replicas": "replicas",
    "part.survives_chaos": "survives chaos",
    "part.fresh_deployment": "fresh deployment",
    "part.both_types": "both types",
    "part.survives_kill": "survives kill",
    "part.scaled": "scaled",
}
