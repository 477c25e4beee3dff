"""03-scale-out: exercises (being written)."""

NOTEBOOK = "03-scale-out"

__all__: list[str] = []
