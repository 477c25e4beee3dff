"""04-atomicity: exercises (being written)."""

NOTEBOOK = "04-atomicity"

__all__: list[str] = []
