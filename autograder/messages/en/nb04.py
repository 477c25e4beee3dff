"""English messages of notebook 04-atomicity: titles and hints."""

MESSAGES: dict[str, str] = {}
