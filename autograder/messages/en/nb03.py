"""English messages of notebook 03-scale-out: titles and hints."""

MESSAGES: dict[str, str] = {}
