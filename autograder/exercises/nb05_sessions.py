"""05-sessions: exercises (being written)."""

NOTEBOOK = "05-sessions"

__all__: list[str] = []
