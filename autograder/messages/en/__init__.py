"""English, the source language: one catalogue, kept in one file per notebook so that
notebook authors do not edit the same file. Keys are stable; templates use str.format."""

from . import core, dashboard, nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07

MESSAGES: dict[str, str] = {}
for _part in (core, nb00, nb01, nb02, nb03, nb04, nb05, nb06, nb07, dashboard):
    _duplicates = set(MESSAGES) & set(_part.MESSAGES)
    if _duplicates:
        raise KeyError(f"message keys defined twice: {sorted(_duplicates)}")
    MESSAGES.update(_part.MESSAGES)
