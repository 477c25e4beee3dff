"""English, the source language: one catalogue, kept in one file per notebook so that
notebook authors do not edit the same file. Keys are stable; templates use str.format.

Every module of this package is part of it (``core``, ``dashboard``, ``nbNN``, ...), found
by name in a stable order: a new notebook's message file needs no edit here."""

import pkgutil
from importlib import import_module

MESSAGES: dict[str, str] = {}
for _info in sorted(pkgutil.iter_modules(__path__), key=lambda info: info.name):
    _part = import_module(f"{__name__}.{_info.name}")
    _duplicates = set(MESSAGES) & set(_part.MESSAGES)
    if _duplicates:
        raise KeyError(f"message keys defined twice: {sorted(_duplicates)}")
    MESSAGES.update(_part.MESSAGES)
