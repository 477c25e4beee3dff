"""The pseudo-locale ``COURSE_LANG=qps``: English, with every catalogue string marked.

Under ``qps`` every template the catalogue hands out is wrapped in ``⟦`` and ``⟧`` before its
placeholders are filled, so a value (a pid, a key, the learner's code) lands inside the
marks of the message that carries it. Text a learner reads that did not come from the
catalogue therefore shows up unmarked: :func:`unmarked_english` finds it. The test that
runs every check, demo and dashboard under ``qps`` (tests/test_pseudo_locale.py) is what a
translation stands on: if nothing is unmarked under ``qps``, nothing stays English in Czech.

What counts as English (documented here, used by that test): a word of two or more ASCII
letters, outside every ``⟦…⟧`` span, that is not

- inside a quoted literal (``'ana'``, ``"cart:ana"``: a ``repr`` of a value the app returned),
- an identifier by its form: it holds a digit, ``_``, ``.``, ``:``, ``/``, ``=``, brackets or
  a quote (``get_cart(user=``, ``web.1``, ``cart:ana``, ``/login``), is CamelCase (an
  exception type such as ``KeyError``) or in capitals (a Redis command or an HTTP method:
  ``TTL``, ``INCR``, ``POST``; a translation keeps them as they are),
- a Python literal (``True``, ``False``, ``None``),
- a value the caller names in ``allowed`` (the user names and items it sent itself).

In HTML only text nodes and the attributes a person reads (``aria-label``, ``title``,
``alt``, ``placeholder``) count; tags, styles and entities do not.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

PSEUDO = "qps"
OPEN, CLOSE = "⟦", "⟧"
PYTHON_LITERALS = frozenset({"True", "False", "None"})
_QUOTED = re.compile(r"'(?:[^'\\\n]|\\.)*'|\"(?:[^\"\\\n]|\\.)*\"")
_WORD = re.compile(r"[A-Za-z]{2,}")
_IDENTIFIER_MARK = re.compile(r"[0-9_.:/=()\[\]{}<>'\"@#%&*+\\|-]")
_CAMEL = re.compile(r"^[A-Z]?[a-z]+(?:[A-Z][a-z0-9]*)+$")
_EDGE = ",;!?…·"  # punctuation around a word that does not make it an identifier
_READ_ATTRIBUTES = {"aria-label", "title", "alt", "placeholder"}


def mark(template: str) -> str:
    """The pseudo-translation of one catalogue template (placeholders keep working)."""
    return f"{OPEN}{template}{CLOSE}"


def unmarked(text: str) -> str:
    """``text`` with every marked span (nested ones too) replaced by a space."""
    kept, depth = [], 0
    for char in text:
        if char == OPEN:
            depth += 1
            if depth == 1:
                kept.append(" ")
        elif char == CLOSE and depth:
            depth -= 1
        elif depth == 0:
            kept.append(char)
    return "".join(kept)


def unmarked_english(text: str, allowed: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The English words of ``text`` that no catalogue string carried (see the module doc)."""
    words = []
    for token in _QUOTED.sub(" ", unmarked(text)).split():
        token = token.strip(_EDGE).rstrip(".:")  # end of a sentence, or a label's colon
        if not _WORD.search(token) or _IDENTIFIER_MARK.search(token):
            continue
        if token in PYTHON_LITERALS or token in allowed or token.isupper() or _CAMEL.match(token):
            continue
        words.append(token)
    return words


class _Readable(HTMLParser):
    """Collects what a person reads from HTML: text nodes and readable attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        self.parts += [value or "" for name, value in attrs if name in _READ_ATTRIBUTES]

    def handle_endtag(self, tag):
        if tag in ("style", "script") and self._skip:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def readable_html(markup: str) -> list[str]:
    """The pieces of ``markup`` a person reads, each on its own (a cell, a label)."""
    parser = _Readable()
    parser.feed(markup)
    parser.close()
    return parser.parts


def unmarked_english_html(markup: str, allowed=frozenset()) -> list[str]:
    """:func:`unmarked_english` of every piece of ``markup`` a person reads."""
    # One string, in document order: a message may hold markup (``⟦<b>web.1</b> · pid ...⟧``).
    return unmarked_english(" \n ".join(readable_html(markup)), allowed)
