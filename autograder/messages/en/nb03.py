"""English messages of notebook 03-scale-out: titles, hints and prediction feedback.

Hints are shown without str.format (no values), so braces in them are literal.
"""

MESSAGES: dict[str, str] = {
    # == 03-scale-out ===================================================================
    "03-scale-out.q1.title": "03 · q1 · predict: whose disk holds the note",
    "03-scale-out.q1.correct": "Right: the note is a file on the disk of the process that "
    "saved it, and round-robin comes back to that process only every third request.",
    "03-scale-out.q1.retry": "Write down which pid serves each of the seven requests "
    "(round-robin: 1001, 1002, 1003, 1001, ...). Which of the six reads land on the pid "
    "that wrote the file?",
    "03-scale-out.q1.hint.1": "A file written to the working directory is on the disk of "
    "the process that wrote it, and only there.",
    "03-scale-out.q1.hint.2": "Round-robin hands requests to the processes in turn: 1, 2, "
    "3, 1, 2, 3, 1. Request 1 is the save; count the later requests that go to the same "
    "process.",
    "03-scale-out.q2.title": "03 · q2 · uploads every process can serve",
    "03-scale-out.q2.hint.1": "A file on the local disk exists for one process only, and "
    "only until it restarts. Keep each user's files in Redis instead, all of one user "
    "under one key (files:<user>), the file name pointing to its text. Do not keep a copy "
    "in the process to save a round trip: another process may change the file meanwhile.",
    "03-scale-out.q2.hint.2": "A hash per user: HSET key name text stores or replaces a "
    "file, HGET key name reads it (None when there is no such file), HDEL key name "
    "deletes it, HKEYS key lists the names (sort them).",
    "03-scale-out.q3.title": "03 · q3 · a shop that works on any number of processes",
    "03-scale-out.q3.hint.1": "Each of the three globals becomes a Redis key per user: "
    "views:<user>, recent:<user> and downloads:<user>. Every handler reads and writes "
    "Redis only; the process keeps nothing that it counts on finding at the next request "
    "(a cache is allowed only where a miss or a stale entry cannot give a wrong answer).",
    "03-scale-out.q3.hint.2": "INCR returns the new count: use it for the views and for "
    "the quota (allowed while the new count is at most 3). For the list: LREM key 0 "
    "product drops an earlier view of the product, LPUSH puts it first, LTRIM key 0 2 "
    "keeps the newest three, and LRANGE key 0 -1 reads them, newest first. Send those "
    "three in one transaction (pipe = r.pipeline(); pipe.lrem(...) ...; pipe.execute()) "
    "so that two views at the same moment cannot interleave (notebook 04 shows why).",
    "03-scale-out.q3.hint.3": "Still failing only with several processes? Look for "
    "anything assigned outside a function apart from the connection and constants, and "
    "for files: the simulator gives each process its own disk and its own temp dir, as "
    "a platform gives each instance (dyno, container) its own.",
    # -- the parts' titles, in feedback headings ("part: survives crashes") -------------
    "part.files_on_every_process": "files on every process",
    "part.shop_round_robin": "shop round robin",
    "part.shop_random_scaling": "shop random scaling",
}
