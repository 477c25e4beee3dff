"""English messages of notebook 00-start-here: titles, hints and prediction feedback."""

MESSAGES: dict[str, str] = {
    # == 00-start-here ==================================================================
    "00-start-here.q1.title": "00 · q1 · a hello app on the platform",
    "00-start-here.q1.hint.1": "A request is a function call: the platform calls "
    "hello(name='Ada') in one of its processes and sends back whatever the function "
    "returns. So hello.py needs a function called hello with one parameter called name.",
    "00-start-here.q1.hint.2": "Build the text with an f-string that puts the name between "
    "'Hello, ' and '!', and return it. print() only writes to the process's log: the user "
    "would get None.",
    "00-start-here.q1.hint.3": "Compare your text with the expected one character by "
    "character: capital H, a comma, one space, the name exactly as given, an exclamation "
    "mark, nothing after it.",
    # Next steps for a crash at start-up, by exception type (the generic one says "run the
    # file's code in a cell", which does not help with these). sys.exit() at start-up is
    # process_exited in the core.
    # -- q2: a prediction -----------------------------------------------------------------
    "00-start-here.q2.title": "00 · q2 · predict what a global counter shows",
    "00-start-here.q2.correct": "Right: the two processes take turns, so each saw only half "
    "of the requests. Each process counted on its own.",
    "00-start-here.q2.retry": "Think about which process serves each request with "
    "round-robin routing, and that each process has its own `count` variable. The answer is "
    "one whole number (not a word, not a list).",
    "00-start-here.q2.hint.1": "Round-robin sends request 1 to the first process, 2 to the "
    "second, 3 to the first again, 4 to the second.",
    "00-start-here.q2.hint.2": "Each process has its own `count`, starting at 0. How many "
    "visits had the second process seen when it answered the 4th request?",
    # -- the parts' titles, in feedback headings ("part: survives crashes") -------------
    "part.greets_everyone": "greets everyone",
}
