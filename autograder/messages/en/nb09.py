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
    # -- the parts' titles, in feedback headings ("part: survives crashes") -------------
    "part.replicas": "replicas",
    "part.survives_chaos": "survives chaos",
    "part.fresh_deployment": "fresh deployment",
}
