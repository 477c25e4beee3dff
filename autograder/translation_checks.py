"""Checks of the translated catalogues: a translation that breaks a placeholder, an nbgrader
marker or a cell's code, and how far each catalogue is translated.

    python -m autograder.translate status    # prints status_report(status()), all_problems()
"""

from __future__ import annotations

import io
import string
import tokenize
from pathlib import Path

import polib

from .build import HIDDEN_BEGIN, HIDDEN_END, SOLUTION_MARKERS
from .messages import plural_count, po_path
from .translate import LANGUAGES, ROOT, WRAP

NBGRADER_MARKERS = (*SOLUTION_MARKERS, HIDDEN_BEGIN, HIDDEN_END)


def placeholders(template: str) -> set[str]:
    """The str.format fields of ``template`` (``{seconds:g}`` -> ``seconds``)."""
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def code_shape(source: str) -> list[tuple[int, str]]:
    """The code of a cell with comments and the text of strings left out: what must not
    change when a cell is translated. IPython lines (``%%writefile``, ``!cmd``) count whole."""
    shape, python = [], []
    for line in source.split("\n"):
        magic = line.lstrip().startswith(("%", "!"))
        shape += [(0, line.strip())] if magic else []
        python.append("" if magic else line)
    text = {tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", -1)}
    skip = {tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE}
    for token in tokenize.generate_tokens(io.StringIO("\n".join(python)).readline):
        if token.type not in skip:
            shape.append((token.type, "" if token.type in text else token.string))
    return shape


def markers(text: str) -> list[str]:
    return [m for line in text.split("\n") for m in NBGRADER_MARKERS if m in line]


def _template_problems(form: str, entry: polib.POEntry) -> list[str]:
    try:
        have = placeholders(form)
    except ValueError as error:
        return [f"{entry.msgctxt}: not a valid template ({error})"]
    want = placeholders(entry.msgid)
    count = plural_count(entry)
    # a plural form may leave its count out ("jeden klíč"), nothing else
    if have - want or want - have - {count}:
        return [f"{entry.msgctxt}: placeholders {sorted(have)}, English has {sorted(want)}"]
    return []


def problems(entry: polib.POEntry) -> list[str]:
    """What is wrong with a translated entry: in a message, a placeholder; in a cell, an
    nbgrader marker or (in a code cell) code that is not the English code. Empty for an
    untranslated entry."""
    out = []
    forms = [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())
    cell = entry.comment.startswith(("markdown", "code cell"))
    for form in filter(None, forms):
        if not cell:
            out += _template_problems(form, entry)
            continue
        if markers(form) != markers(entry.msgid):
            out.append(f"{entry.msgctxt}: nbgrader markers differ from the English cell")
        if entry.comment.startswith("code cell"):
            try:
                same = code_shape(form) == code_shape(entry.msgid)
            except (tokenize.TokenError, SyntaxError):
                same = False
            if not same:
                out.append(
                    f"{entry.msgctxt}: the code differs from the English (not only comments)"
                )
    return out


# --------------------------------------------------------------------------- status


def counts(path: Path) -> dict[str, int]:
    return counts_of(polib.pofile(str(path), wrapwidth=WRAP))


def counts_of(po: polib.POFile) -> dict[str, int]:
    """Entries of one catalogue by state: translated, stale (fuzzy), untranslated, obsolete."""
    live = [e for e in po if not e.obsolete]
    return {
        "entries": len(live),
        "translated": len(po.translated_entries()),
        "stale": len(po.fuzzy_entries()),
        "untranslated": len(po.untranslated_entries()),
        "obsolete": len(po.obsolete_entries()),
    }


def catalogues(root: Path = ROOT) -> list[Path]:
    """Every catalogue: the notebooks' of each language, then the messages'."""
    paths = []
    for lang in LANGUAGES:
        paths += sorted((root / "course" / "locale" / lang).glob("*.po")) + [po_path(lang)]
    return [p for p in paths if p.exists()]


def status(root: Path = ROOT) -> list[tuple[str, dict[str, int]]]:
    return [(str(p.relative_to(root)), counts(p)) for p in catalogues(root)]


def all_problems(root: Path = ROOT) -> list[str]:
    out = []
    for path in catalogues(root):
        for entry in polib.pofile(str(path), wrapwidth=WRAP):
            if not entry.obsolete:
                out += [f"{path.relative_to(root)}: {p}" for p in problems(entry)]
    return out


def status_report(rows: list[tuple[str, dict[str, int]]]) -> str:
    head = f"{'catalogue':44} {'entries':>7} {'done':>6} {'stale':>6} {'untransl.':>9}"
    lines = [head]
    total = dict.fromkeys(("entries", "translated", "stale", "untranslated"), 0)
    for name, c in rows:
        lines.append(
            f"{name:44} {c['entries']:7} {c['translated']:6} {c['stale']:6} {c['untranslated']:9}"
        )
        for key in total:
            total[key] += c[key]
    lines.append(
        f"{'total':44} {total['entries']:7} {total['translated']:6} {total['stale']:6} "
        f"{total['untranslated']:9}"
    )
    return "\n".join(lines)
