"""English, the source language. Keys are stable; templates use str.format fields."""

MESSAGES: dict[str, str] = {
    # -- outcomes and labels --------------------------------------------------------------
    "outcome.correct": "Correct: {exercise}",
    "outcome.incorrect": "Not yet: {exercise}",
    "outcome.not_attempted": "Not attempted yet: {exercise}",
    "label.platform": "What the platform did:",
    "label.saw": "The user saw:",
    "label.expected": "They should have seen:",
    "label.next": "Next step:",
    "label.reproduce": "Checked with seed {seed} ({level} checks). The same seed always "
    "replays the same schedule.",
    "traceback.see_above": "{title} (the explanation is just above)",
    "platform.phase": "{processes} process(es), {router} router, seed {seed}",
    "platform.starting_app": "starting the app (importing the file)",
    "summary.correct": "Every response matched, across: {phases}.",
    "detail.app_printed": "Your app printed:\n{output}",
    "detail.where": "In your code: {where}",
    # -- hints and solutions ----------------------------------------------------------
    "hint.title": "Hint {n} of {total}",
    "hint.none": "This exercise has no hints.",
    "hint.more": "Still stuck? {name}.hint({next}) gives the next hint.",
    "solution.title": "Reference solution",
    "solution.disabled": "Solutions are switched off for this class. Ask your instructor, "
    "or use the hints.",
    "solution.missing": "The solution notebooks are not in this installation. Run "
    "`make notebooks` in the course folder.",
    # -- predictions ------------------------------------------------------------------
    "prediction.missing": "There is no value in `{variable}` yet. Replace the "
    "`raise NotImplementedError()` line with `{variable} = ...` and run the cell.",
    "prediction.wrong": "Your prediction `{variable} = {value}` is not what happens.",
    # -- why an app check failed (reason codes) ---------------------------------------
    "reason.not_written": "There is no `{app}` yet: the %%writefile cell that creates it "
    "has not run.",
    "next.not_written": "Run the %%writefile cell above the check (Shift+Enter), then run "
    "the check again.",
    "reason.not_finished": "`{handler}()` still raises NotImplementedError: it is not written yet.",
    "reason.not_finished_file": "Your app file still raises NotImplementedError: the answer "
    "is not written yet.",
    "next.not_finished": "Replace `raise NotImplementedError()` with your code, run the "
    "%%writefile cell again, then the check.",
    "reason.missing_function": "Your app has no function `{handler}()`, and the platform "
    "sends requests to it.",
    "next.missing_function": "Check the spelling and the parameters the exercise asks for.",
    "reason.app_crashed_at_start": "Your app crashed while the platform was starting it "
    "(importing the file).",
    "next.app_crashed_at_start": "Run the file's code in a cell to see the full error, fix "
    "it, and write the file again.",
    "reason.app_error": "Request #{seq} ({handler}) raised an error in pid {pid}.",
    "next.app_error": "Read the error and the line it points at. Test the function in a "
    "cell before checking again.",
    "reason.cannot_reach_redis": "Request #{seq} ({handler}) could not reach Redis from pid {pid}.",
    "next.cannot_reach_redis": "Connect with redis.Redis.from_url(os.environ['REDIS_URL']): "
    "the platform tells each process where its Redis is through that variable, not a "
    "fixed host or port.",
    "reason.timeout": "Your app did not answer within {seconds:g} s while {what} ran, so the "
    "platform stopped it.",
    "reason.budget_exceeded": "The check ran out of its {seconds:g} s budget: your app hung "
    "(an endless loop, or a wait that never ends), and the check was stopped.",
    "next.timeout": "Look for a loop that never ends or a blocking call without a timeout "
    "(for example BLPOP with timeout 0), at import time or in a function.",
    "reason.process_exited": "Your app ended the whole process (exit code {code}) instead of "
    "answering, for example with sys.exit() or os._exit().",
    "next.process_exited": "A web process must keep running: return a value from your "
    "function instead of exiting.",
    "reason.checker_failed": "The checker could not start: {error}",
    "reason.write_outside_disk": "Your app (pid {pid}) tried to write {path}. A process may "
    "write only to its own disk (its working directory or tempfile.gettempdir()), and "
    "that disk is gone after a restart.",
    "next.write_outside_disk": "Keep anything that must last in Redis. A file in /tmp or "
    "next to your code is just another process's private scratch space on a real platform.",
    "reason.not_using_redis_url": "Every response was right, but the Redis at REDIS_URL "
    "stayed empty: the state lived somewhere the platform cannot see.",
    "next.not_using_redis_url": "Read the Redis address from os.environ['REDIS_URL'] and keep "
    "the state there.",
    "reason.state_lost_on_restart": "Request #{seq} ({handler}) went to pid {pid}, a process "
    "started after pid {previous} served this user before. The state lived in the old "
    "process and died with it.",
    "next.state_lost_on_restart": "Memory and local disk belong to one process and vanish on "
    "restart. Store the state in Redis, through REDIS_URL.",
    "reason.state_not_shared": "Request #{seq} ({handler}) went to pid {pid}, while the "
    "previous request of this user went to pid {previous}. Each process has its own memory "
    "and disk, so pid {pid} did not know.",
    "next.state_not_shared": "Any process may serve any request. Keep the state in Redis, "
    "which every process shares, not in the process.",
    "reason.wrong_response": "Request #{seq} ({handler}) on pid {pid} answered something "
    "other than the exercise asks for.",
    "next.wrong_response": "Compare what the user saw with what they should have seen: the "
    "type matters too (bytes vs str, str vs int).",
    "reason.users_share_state": "Request #{seq} ({handler}) showed one user data that "
    "belongs to another user: the users share a Redis key.",
    "next.users_share_state": "Put the user in the key name (for example cart:<user>), so "
    "every user has their own.",
    # == 00-start-here ==================================================================
    "00-start-here.q1.title": "00 · q1 · a hello app on the platform",
    "00-start-here.q1.hint.1": "The file must define a function named hello with one "
    "parameter, name, that returns a string.",
    "00-start-here.q1.hint.2": 'An f-string builds it: f"Hello, {{name}}!" -- mind the '
    "comma and the exclamation mark.",
    "00-start-here.q2.title": "00 · q2 · predict what a global counter shows",
    "00-start-here.q2.correct": "Right: the two processes take turns, so each saw only half "
    "of the requests. Each process counted on its own.",
    "00-start-here.q2.retry": "Think about which process serves each request with "
    "round-robin routing, and that each process has its own `count` variable.",
    "00-start-here.q2.hint.1": "Round-robin sends request 1 to process A, 2 to B, 3 to A, 4 to B.",
    "00-start-here.q2.hint.2": "How many requests had process B served when it answered the "
    "4th one?",
    # == 01-one-process =================================================================
    "01-one-process.q1.title": "01 · q1 · predict: a global counter after a restart",
    "01-one-process.q1.correct": "Right: a restart starts the program from scratch, so the "
    "global starts at 0 again.",
    "01-one-process.q1.retry": "What is the value of a global variable when a program starts?",
    "01-one-process.q1.hint.1": "A restart runs the file again from the first line.",
    "01-one-process.q1.hint.2": "The line `hits = 0` runs again at start-up.",
    "01-one-process.q2.title": "01 · q2 · predict: a file counter after a restart",
    "01-one-process.q2.correct": "Right: on a platform a restarted process gets a fresh, empty "
    "disk, so hits.txt is gone and counting starts over.",
    "01-one-process.q2.retry": "On your laptop the file would still be there. Where does a "
    "restarted process run on a platform, and what is on its disk?",
    "01-one-process.q2.hint.1": "Platforms start a restarted process from the release, on a "
    "clean filesystem.",
    "01-one-process.q2.hint.2": "Does hits.txt exist when the new process starts?",
    "01-one-process.q3.title": "01 · q3 · a hit counter in Redis",
    "01-one-process.q3.hint.1": "The count must live outside the process, in the Redis whose "
    "address the platform puts in the REDIS_URL environment variable.",
    "01-one-process.q3.hint.2": "Connect once at import with redis.Redis.from_url(os.environ"
    "['REDIS_URL']). INCR adds one and returns the new value; GET reads it (None before the "
    "first hit).",
    # == 02-backing-services ============================================================
    "02-backing-services.q1.title": "02 · q1 · user profiles in a Redis hash",
    "02-backing-services.q1.hint.1": "One hash per user holds the fields; one set per user "
    "holds the tags. Put the user in each key name.",
    "02-backing-services.q1.hint.2": "HSET key mapping={{...}} writes several fields, "
    "HGETALL reads them back ({{}} when the key does not exist); SADD and SMEMBERS handle "
    "the tags. decode_responses=True gives you str instead of bytes.",
    "02-backing-services.q2.title": "02 · q2 · a shopping cart that survives anything",
    "02-backing-services.q2.hint.1": "A cart is a map from item to quantity: a Redis hash "
    "per user, cart:<user>.",
    "02-backing-services.q2.hint.2": "HINCRBY adds to a quantity and returns the new one; "
    "HDEL removes an item; HGETALL reads the cart (convert the counts to int); DEL empties it.",
}
