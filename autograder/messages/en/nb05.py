"""English messages of notebook 05-sessions: titles and hints."""

MESSAGES: dict[str, str] = {}
