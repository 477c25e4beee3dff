"""Stand-in translations for tests, so the Czech machinery is proved before (and
whatever) the translators deliver. The real catalogues are never written here.

``pseudo_translate`` fills every empty entry of a notebook catalogue the way a translator
may: Markdown rewritten whole, and in code only the comments (identifiers, keys, values
and strings the code compares stay English). The result is marked "[cs]" so a test can
tell a translated cell from an English one.
"""

from __future__ import annotations

import io
import shutil
import tokenize
from pathlib import Path

import nbformat
import polib

from autograder import translate

MARK = "[cs]"


def translate_comments(source: str) -> str:
    """``source`` with every comment (but nbgrader's markers) marked as translated."""
    lines = source.split("\n")
    python = "\n".join("" if x.lstrip().startswith(("%", "!")) else x for x in lines)
    for token in reversed(list(tokenize.generate_tokens(io.StringIO(python).readline))):
        if token.type != tokenize.COMMENT or "BEGIN " in token.string or "END " in token.string:
            continue
        row, col = token.start[0] - 1, token.start[1]
        lines[row] = f"{lines[row][:col]}# {MARK} {token.string.lstrip('#').strip()}"
    return "\n".join(lines)


def pseudo_translate(po: polib.POFile) -> polib.POFile:
    for entry in po:
        if entry.obsolete or entry.msgstr:
            continue
        if entry.comment.startswith("markdown"):
            entry.msgstr = f"{MARK} {entry.msgid}"
        else:
            entry.msgstr = translate_comments(entry.msgid)
    return po


def pseudo_course(course: Path, out: Path) -> Path:
    """A copy of ``course``'s config, sources and Czech catalogues in ``out``, every
    catalogue entry translated (pseudo), ready for translate.translated_sources."""
    for nb in sorted(course.glob("source/*/*.ipynb")):
        (out / "source" / nb.parent.name).mkdir(parents=True, exist_ok=True)
        shutil.copy(nb, out / "source" / nb.parent.name / nb.name)
    shutil.copy(course / "nbgrader_config.py", out / "nbgrader_config.py")
    for nb in sorted(course.glob("source/*/*.ipynb")):
        name = nb.stem
        real = translate.read_catalogue(translate.notebook_po(course, "cs", name), "cs")
        po = translate.sync_notebook_catalogue(real, name, nbformat.read(nb, as_version=4))
        target = translate.notebook_po(out, "cs", name)
        target.parent.mkdir(parents=True, exist_ok=True)
        pseudo_translate(po).save(str(target))
    return out
