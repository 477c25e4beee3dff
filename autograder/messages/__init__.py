"""One message catalogue for everything a learner reads.

English is the source language (``messages/en``: Python dicts of str.format templates).
``COURSE_LANG=cs`` reads the Czech gettext catalogue ``messages/cs.po`` (msgctxt = key,
msgid = the English template it translates). An entry that is untranslated, fuzzy, or
whose msgid is not the current English template falls back to English, so a partial or
stale translation never breaks a check and never shows a learner an outdated sentence.
``COURSE_LANG=qps`` is English with every string marked (see :mod:`.pseudo`).
Keys are stable identifiers; exercise checks never compare prose, only keys and values.
"""

from __future__ import annotations

import gettext
import os
import string
from collections.abc import Callable
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path

from .pseudo import PSEUDO, mark

_FALLBACK = "en"
_HERE = Path(__file__).resolve().parent
_cache: dict[str, dict[str, str]] = {}
_po_cache: dict[str, dict[str, Translation]] = {}


@dataclass(frozen=True)
class Translation:
    """One usable entry of a .po catalogue: the English it translates and its forms."""

    english: str
    forms: tuple[str, ...]  # one form, or one per plural form of the language
    plural: Callable[[int], int] | None = None  # count -> index into forms
    count: str | None = None  # the placeholder that holds the count (``#. plural: count``)

    def template(self, values: dict[str, object]) -> str:
        if self.plural is None or self.count is None:
            return self.forms[0]
        n = values.get(self.count)
        index = self.plural(int(n)) if isinstance(n, int | float) else len(self.forms) - 1
        return self.forms[min(index, len(self.forms) - 1)]


def _catalogue(lang: str) -> dict[str, str]:
    if lang not in _cache:
        try:
            _cache[lang] = import_module(f"autograder.messages.{lang}").MESSAGES
        except ModuleNotFoundError:
            _cache[lang] = {}
    return _cache[lang]


def po_path(lang: str) -> Path:
    return _HERE / f"{lang}.po"


def plural_count(entry) -> str | None:
    """The placeholder a plural entry counts, from its ``#. plural: <name>`` comment."""
    for line in entry.comment.splitlines():
        if line.startswith("plural:"):
            return line.split(":", 1)[1].strip()
    return None


def read_po(path: Path) -> dict[str, Translation]:
    """``{key: Translation}`` for the usable entries of the .po file at ``path``."""
    import polib  # only a translated course needs it

    po = polib.pofile(str(path))
    header = po.metadata.get("Plural-Forms", "")
    rule = header.split("plural=", 1)[1].rstrip("; ") if "plural=" in header else "n != 1"
    plural = gettext.c2py(rule)
    found = {}
    for entry in po:
        if entry.obsolete or entry.fuzzy or not entry.msgctxt:
            continue
        if entry.msgid_plural:
            forms = tuple(entry.msgstr_plural[i] for i in sorted(entry.msgstr_plural))
            count = plural_count(entry)
            if forms and all(forms) and count:
                found[entry.msgctxt] = Translation(entry.msgid, forms, plural, count)
        elif entry.msgstr:
            found[entry.msgctxt] = Translation(entry.msgid, (entry.msgstr,))
    return found


def _translations(lang: str) -> dict[str, Translation]:
    if lang not in _po_cache:
        path = po_path(lang)
        _po_cache[lang] = read_po(path) if path.exists() else {}
    return _po_cache[lang]


def language() -> str:
    return os.environ.get("COURSE_LANG", _FALLBACK).split("_")[0].lower() or _FALLBACK


class _LocalFormatter(string.Formatter):
    """str.format that writes numbers the language's way: "2,5 s" in Czech."""

    def __init__(self, decimal: str) -> None:
        self.decimal = decimal

    def format_field(self, value: object, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        if isinstance(value, float) and not isinstance(value, bool):
            text = text.replace(".", self.decimal)
        return text


_DECIMAL_COMMA = {"cs"}


def _fill(template: str, lang: str, values: dict[str, object]) -> str:
    if lang in _DECIMAL_COMMA:
        return _LocalFormatter(",").format(template, **values)
    return template.format(**values)


def _(key: str, /, **values: object) -> str:
    """The learner-facing text for ``key`` in the course language, filled with ``values``.

    ``COURSE_LANG=qps`` marks every English template (see :mod:`.pseudo`); ``qps-cs``
    marks every Czech one and leaves an English fallback unmarked, so a pseudo run over a
    translation shows every word that did not come from it."""
    english = _catalogue(_FALLBACK).get(key)
    if english is None:
        raise KeyError(f"no message {key!r} in the catalogue")
    lang = language()
    marked = lang == PSEUDO or lang.startswith(PSEUDO + "-")
    if marked:
        lang = lang.partition("-")[2] or _FALLBACK
    if lang == _FALLBACK:
        template = mark(english) if marked else english
        return template.format(**values) if values else template
    translation = _translations(lang).get(key)
    if translation is not None and translation.english == english:
        template = translation.template(values)
        if marked:
            template = mark(template)
        if not values:
            return template
        try:
            return _fill(template, lang, values)
        except (KeyError, IndexError, ValueError):
            pass  # a translation naming a placeholder the English lacks: English, not a crash
    return _fill(english, lang, values) if values else english


def has(key: str) -> bool:
    return key in _catalogue(_FALLBACK)
