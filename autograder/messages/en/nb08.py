"""English messages of notebook 08-workers: titles, hints, crash-check feedback, reasons.

Hints are shown without str.format (no values), so braces in them are literal: write
{} here, not {{}}.
"""

MESSAGES: dict[str, str] = {
    # == 08-workers =====================================================================
    "08-workers.q1.title": "08 · q1 · a worker that loses nothing when it is killed",
    "08-workers.q1.hint.1": "Taking a job must not remove it from Redis: move it, in one "
    "command, to a list of jobs in progress, and remove it from there only after the work "
    "is done (the acknowledgement). A job that stays in progress longer than "
    "VISIBILITY_TIMEOUT seconds belongs to a worker that died: the next worker puts it "
    "back in the queue. Because a job may now run twice, its effect must count once.",
    "08-workers.q1.hint.2": "LMOVE queue processing RIGHT LEFT takes a job atomically; "
    "note when it was taken (HSET taken <id> <time.time()>) and count its tries (HINCRBY). "
    "Charge once per order: a Lua script that runs SADD orders:charged <order_id> and, only "
    "when that added it, INCRBY balance:<user> <amount>. "
    "Acknowledge with LREM processing 1 <id> in a transaction. A failing job goes back "
    "to the queue, or to the dead-letter list jobs:dead once it has been tried MAX_TRIES "
    "times. "
    "on_shutdown() hands the current job back at once.",
    "08-workers.q1.hint.3": "Handing a job back must happen once, even when two workers "
    "both find it abandoned: a small Lua script that does LREM and RPUSH only when LREM "
    "removed something is one safe way (r.register_script).",
    # -- what the crash checker did ------------------------------------------------------
    "08-workers.platform.header": "your app as real OS processes ({scale}), seed {seed}",
    "08-workers.platform.who": "{name} (pid {pid})",
    "08-workers.platform.fresh": "new round: Redis emptied, {count} orders placed",
    "08-workers.platform.worked": "{who}: work_one() -> {value}",
    "08-workers.platform.error": "{who}: {handler}() raised an error",
    "08-workers.platform.killed": "{who} KILLED right after Redis command {k} of {n} "
    "({command}); a fresh process takes its place",
    "08-workers.platform.stopped": "{who} stopped GRACEFULLY (on_shutdown) right after "
    "Redis command {k} of {n} ({command}); a fresh process takes its place",
    "08-workers.platform.killed_in_takeover": "{who} KILLED while taking over the abandoned "
    "job, right after Redis command {k} of {n} ({command}); a fresh process takes its place",
    "08-workers.platform.restored": "Redis set back to the moment the dead worker's job "
    "({order}) was abandoned; a fresh worker takes it over",
    "08-workers.platform.paused": "{who} PAUSED right after Redis command {k} ({command}) "
    "while the other worker takes a job",
    "08-workers.platform.client_retries": "the client got no answer, so it places order "
    "{order} again",
    "08-workers.platform.never_empty": "work_one() still found work after {calls} calls",
    "08-workers.platform.each_try_fresh": "each work_one() runs on a fresh worker process "
    "(a supervisor restarts a worker after a failed job)",
    "08-workers.platform.waits_again": "a job is still waiting: the checker waits one "
    "more VISIBILITY_TIMEOUT and lets the worker try again",
    "08-workers.platform.a_call": "a call of your app",
    "08-workers.summary.survives_crashes": "{points} crash points tried: the worker killed "
    "right after each Redis command of a job ({job}), the worker taking over the dead "
    "worker's job killed right after each command of that takeover ({takeover}), the web "
    "process killed right after each of its commands ({web}); every order was charged "
    "exactly once.",
    "08-workers.summary.several_workers": "{points} pause points tried with two workers at "
    "once: no job was done twice and every order was charged once.",
    "08-workers.summary.poison_job": "The job that always fails was tried {points} times, "
    "each on a fresh worker, then went to the dead-letter list; the other orders were "
    "charged once.",
    "08-workers.summary.graceful_restart": "{points} graceful restarts mid-job tried: "
    "on_shutdown handed the job back, and a fresh worker finished it at once.",
    # -- reason codes of this notebook ---------------------------------------------------
    "reason.lost_job": "Order {order} ({user}, {amount}) was never charged, and its job is "
    "in no list any more: a worker took it and died before finishing, and nothing "
    "remembered it. balance:{user} is {got}.",
    "next.lost_job": "Do not take a job by removing it (RPOP). Move it atomically to a "
    "processing list (LMOVE) and remove it from there only after the work is done.",
    "reason.acked_before_work": "Order {order} ({user}, {amount}) was never charged, and "
    "its job is in no list any more: the worker acknowledged the job (took it out of the "
    "processing list) before charging, then died in between. balance:{user} is {got}.",
    "next.acked_before_work": "Acknowledge a job last: charge first, then remove it from "
    "the processing list. If the worker dies before the acknowledgement, the job is still "
    "there to be taken over; the idempotent charge makes doing it again harmless.",
    "reason.lost_in_takeover": "Order {order} ({user}, {amount}) was never charged, and "
    "its job is in no list any more: its worker died, and the worker taking the job over "
    "was killed in the middle of the takeover, between two of its steps. balance:{user} "
    "is {got}.",
    "next.lost_in_takeover": "Take an abandoned job over in one step: take it out of the "
    "processing list and put it back in the queue in one Lua script. Between two separate "
    "commands, a kill leaves the job in neither list.",
    "reason.not_taken_over": "Order {order} ({user}, {amount}) was never charged: its job "
    "is still in a Redis list, but no worker took it over after its worker died. "
    "balance:{user} is {got}.",
    "next.not_taken_over": "Before taking a new job, look for jobs in progress longer than "
    "VISIBILITY_TIMEOUT seconds (read it from the environment) and put them back in the "
    "queue.",
    "reason.charged_twice": "Order {order} ({user}, {amount}) was charged more than once: "
    "balance:{user} is {got}. A job that runs again (after a crash, or a web request "
    "sent again) must have the effect of once.",
    "next.charged_twice": "Make the effect idempotent and keep what it needs in Redis, not "
    "in the worker's memory: remember which orders are charged (SADD) and add to the "
    "balance only when the order was not there yet, both in one step (a Lua script, or "
    "WATCH/MULTI/EXEC).",
    "reason.work_inline": "balance:{user} is {got} before any worker ran: place_order() "
    "charged the order itself. The web process must only record the job and answer.",
    "next.work_inline": "Move the charge out of place_order(): store the order, enqueue its "
    "id, and let work_one() do the charging.",
    "reason.same_job_twice": "Order {order} was worked on {times} times by two workers at "
    "once: taking a job was not one atomic step.",
    "next.same_job_twice": "Take a job with one command that removes it from the queue and "
    "records it as in progress (LMOVE), not a read followed by a removal.",
    "reason.poison_loops": "The queue never emptied: work_one() still found work after "
    "{calls} calls (last: {seen}). A job that always fails is tried again and again.",
    "next.poison_loops": "Count each job's tries in Redis (HINCRBY), so a fresh worker "
    "knows them too, and move a job that failed MAX_TRIES times to the dead-letter list.",
    "reason.not_dead_lettered": "The dead-letter list jobs:dead holds {got}; it should hold "
    "exactly the jobs that failed every try: {expected}.",
    "next.not_dead_lettered": "Move a job that failed MAX_TRIES times to the dead-letter "
    "list: RPUSH jobs:dead <id>, in the same step that takes it out of the processing "
    "list. The checker reads jobs:dead itself; nothing else counts.",
    "reason.wrong_tries": "Order {order} always fails. It went to the dead-letter list "
    "after this many tries (work_one() calls that took it): {tries}. It should get exactly "
    "MAX_TRIES (3): a job that failed once may only have met a passing problem.",
    "next.wrong_tries": "Count the tries of each job in Redis (HINCRBY jobs:tries <id> 1 "
    "when you take it) and dead-letter it only when the count reaches MAX_TRIES; a try "
    "that fails before that puts the job back in the queue.",
    "reason.not_handed_back": "Order {order} ({user}, {amount}) was not charged after its "
    "worker was stopped gracefully mid-job: the job waits in progress for a timeout "
    "instead of going back to the queue. balance:{user} is {got}.",
    "next.not_handed_back": "Define on_shutdown(): if this process is working on a job, "
    "put that job back in the queue, so a fresh worker takes it at once.",
    # -- the parts' titles, in feedback headings ("part: survives crashes") -------------
    "part.survives_crashes": "survives crashes",
    "part.several_workers": "several workers",
    "part.poison_job": "poison job",
    "part.graceful_restart": "graceful restart",
}
