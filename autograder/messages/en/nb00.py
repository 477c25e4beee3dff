"""English messages of notebook 00-start-here: titles, hints and prediction feedback."""

MESSAGES: dict[str, str] = {
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
}
