"""English messages of notebook 01-one-process: titles, hints and prediction feedback."""

MESSAGES: dict[str, str] = {
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
    "01-one-process.q3.hint.1": "The count must live outside every process: in the Redis "
    "at REDIS_URL, which outlives restarts and which all processes share. The given "
    "connection `r` already points there.",
    "01-one-process.q3.hint.2": "INCR adds one to a key and returns the new total as an "
    "int. GET reads the total back as text, or None before the first hit: count() must "
    "turn both into an int.",
    "01-one-process.q3.hint.3": "count() only reads. A command that changes the key (INCR, "
    "SET) does not belong in it.",
    # -- the parts' titles, in feedback headings ("part: survives crashes") -------------
    "part.survives_restarts": "survives restarts",
    "part.shared_by_processes": "shared by processes",
}
