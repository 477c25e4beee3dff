"""English messages shared by every notebook: outcomes, labels, reasons, next steps."""

MESSAGES: dict[str, str] = {
    # -- outcomes and labels --------------------------------------------------------------
    "outcome.correct": "Correct: {exercise}",
    "outcome.incorrect": "Not yet: {exercise}",
    "outcome.not_attempted": "Not attempted yet: {exercise}",
    "outcome.part": "{title} · part: {part}",
    "label.platform": "What the platform did:",
    "label.saw": "The user saw:",
    "label.expected": "They should have seen:",
    "label.saw.redis": "Redis held:",
    "label.expected.redis": "A correct app leaves:",
    "label.saw.browser": "The browser held:",
    "label.expected.browser": "A correct app leaves in it:",
    "label.saw.response": "The response set:",
    "label.expected.response": "A correct app sets:",
    "label.next": "Next step:",
    "label.reproduce": "Checked with seed {seed} ({level} checks). The same seed always "
    "replays the same schedule.",
    "traceback.see_above": "{title} (the explanation is just above)",
    # What autograde writes under a demonstration cell it skips (autograder.grading.demos).
    "grading.demo_not_run": "A demonstration: the grader does not run this cell, because "
    "nothing your grade depends on comes from it. Run it in JupyterLab to see what it shows.",
    "platform.phase": "{processes} process(es), {router} router, seed {seed}",
    "platform.starting_app": "starting the app (importing the file)",
    "summary.correct": "Every response matched, across: {phases}.",
    "detail.app_printed": "Your app printed:\n{output}",
    "detail.where": "In your code: {where}",
    "detail.where_inline": " ({where})",
    # An exception the app raised: its type and Python's own message, as values.
    "saw.app_error": "{kind}: {message}",
    # -- hints and solutions ----------------------------------------------------------
    "hint.title": "Hint {n} of {total}",
    "hint.none": "This exercise has no hints.",
    "hint.more": "Still stuck? {name}.hint({next}) gives the next hint.",
    "hint.past_last": "There is no hint {asked}: this exercise has {total}. Here is the "
    "last one again; after it, solution() (self-paced mode) or your instructor.",
    "solution.title": "Reference solution",
    "solution.disabled": "Solutions are switched off for this class. Ask your instructor, "
    "or use the hints.",
    "solution.missing": "The solution notebooks are not in this installation. Run "
    "`make notebooks` in the course folder.",
    # -- predictions ------------------------------------------------------------------
    "prediction.missing": "There is no value in `{variable}` yet. Replace the "
    "`raise NotImplementedError()` line with `{variable} = ...` and run the cell.",
    "prediction.wrong": "Your prediction `{variable} = {value}` is not what happens.",
    "progress.title": "Your progress across the course (from your own files and answers)",
    "progress.correct": "correct",
    "progress.not_yet": "not yet",
    "progress.not_attempted": "not attempted",
    "progress.answered": "answered (graded when you hand it in)",
    "progress.parts": "({done} of {total} parts correct)",
    "progress.summary": "{done} of {total} exercises correct.",
    "progress.notebook": "Notebook",
    "progress.exercise": "Exercise",
    "progress.status": "Status",
    "progress.parts_head": "Parts",
    "prediction.recorded.title": "Answer recorded: {exercise}",
    "prediction.recorded": "Your prediction is `{variable} = {value}`. In this class a "
    "prediction is graded on the answer you hand in, and check() does not say whether it "
    "is right (else trying every number would earn the point). Run the demo below and see "
    "what happens.",
    # -- why an app check failed (reason codes) ---------------------------------------
    "reason.not_written": "There is no `{app}` yet: the %%writefile cell that creates it "
    "has not run.",
    "next.not_written": "Run the %%writefile cell above the check (Shift+Enter), then run "
    "the check again.",
    "reason.not_finished": "`{handler}` still raises NotImplementedError: it is not written yet.",
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
    "next.app_crashed_at_start.EOFError": "input() waits for someone to type, and a process "
    "on a platform has no keyboard. The name arrives as the parameter of hello(): remove "
    "the input() call.",
    "next.app_crashed_at_start.SyntaxError": "Python could not read the file. Look at the line "
    "the error names and the one before it: a missing colon, bracket or quote is the usual "
    "cause. Fix it in the %%writefile cell and run that cell again.",
    "next.app_crashed_at_start.IndentationError": "Python could not read the file: the body of "
    "a function must be indented (4 spaces) under its def line.",
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
    "reason.write_outside_disk": "Your app (pid {pid}) tried to write {path}. The "
    "simulator lets a process write only to its own disk (its working directory or "
    "tempfile.gettempdir()): that is the simulator's rule, so that it cannot pass an app "
    "that would fail in production. Here every process runs on one machine and would "
    "share that file; on a real platform it would belong to one instance (a dyno, a "
    "container), be invisible to the others and be gone after a restart.",
    "next.write_outside_disk": "Keep anything that must last in Redis. On a real platform "
    "a file in /tmp or next to your code is one instance's private scratch space, wiped "
    "by every restart or deploy.",
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
    "reason.returned_none": "Request #{seq} ({handler}) on pid {pid} returned None: the user "
    "got nothing back.",
    "next.returned_none": "A function that prints its answer still returns None: use return "
    "to send the answer back. If it reads from Redis, a key that does not exist yet reads as "
    "None too: give a default (for example 0).",
    "reason.users_share_state": "Request #{seq} ({handler}) showed one user data that "
    "belongs to another user: the users share a Redis key.",
    "next.users_share_state": "Put the user in the key name (for example cart:<user>), so "
    "every user has their own.",
    # -- platform views -----------------------------------------------------------------
    "render.history": "Recent requests and platform actions:",
    "render.no_requests": "(no requests yet)",
    "render.process": "process",
    "render.pid": "pid",
    "render.uptime": "up",
    "render.seconds": "{seconds:.1f} s",
    "render.served": "requests served",
    "render.memory": "in memory (module globals)",
}
