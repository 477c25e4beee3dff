"""The translated editions: gettext catalogues in, translated notebooks out.

    python -m autograder.translate status              # stale and untranslated entries per file
    python -m autograder.translate course cs OUT       # a Czech nbgrader course root in OUT

Two kinds of catalogue (docs/translating.md):

- ``course/locale/<lang>/NN-slug.po``: one entry per notebook cell a learner reads, keyed
  (msgctxt) by the cell id, the whole English cell as msgid. Markdown cells all have one;
  code cells only when they hold a comment or a string. The generated cells (course map,
  progress, "Next") have none: they are generated from the message catalogue instead.
- ``autograder/messages/<lang>.po``: one entry per message key of ``messages/en``.

``make notebooks`` (autograder.build) keeps both in step with the English: a new cell or
key gets an empty entry, a changed one keeps its translation flagged fuzzy with the
English it was made from (``#| msgid``), a removed one becomes obsolete (``#~``). It then
writes ``notebooks/<lang>/`` and ``solutions/<lang>/`` from the translated source: a
translated cell in the language, any other cell in English under a visible note.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import sys
import tokenize
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nbformat
import polib

from . import course_map
from .messages import po_path

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("cs",)
GENERATED_CELLS = (course_map.MAP_CELL, course_map.PROGRESS_CELL, course_map.NEXT_CELL)
WRAP = 0  # polib: break lines only at "\n", as the committed catalogues are written
COUNTED = re.compile(r"\{(\w+)[^{}]*\}[^{}]*?\w\(s\)")  # "{count} request(s)": the count

# What a learner sees above a cell that is not (or no longer) translated, and the line
# that makes the notebook speak the language (the checker and its children inherit it).
NOTES = {
    "cs": {
        "untranslated": "Tato buňka zatím není přeložená: níže je anglický originál.",
        "stale": "Anglický originál této buňky se od překladu změnil a překlad čeká na "
        "aktualizaci: níže je aktuální anglický text.",
        "untranslated code": "Komentáře v této buňce zatím nejsou přeložené.",
        "stale code": "Anglický originál této buňky se změnil: komentáře čekají na nový překlad.",
        "language": "%env COURSE_LANG=cs",
        "language_comment": "# Kontroly, nápovědy i přehled platformy budou v češtině.",
    }
}


@contextmanager
def course_language(lang: str) -> Iterator[None]:
    """Generate text in ``lang`` whatever the builder's own COURSE_LANG says."""
    before = os.environ.get("COURSE_LANG")
    os.environ["COURSE_LANG"] = lang
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("COURSE_LANG", None)
        else:
            os.environ["COURSE_LANG"] = before


# --------------------------------------------------------------------------- which cells


def learner_text(source: str) -> bool:
    """True when a code cell holds a comment or a string literal (text a learner reads).
    IPython lines (``%%writefile``, ``!cmd``) are left out: tokenize cannot read them."""
    python = "\n".join("" if x.lstrip().startswith(("%", "!")) else x for x in source.split("\n"))
    kinds = {tokenize.COMMENT, tokenize.STRING, getattr(tokenize, "FSTRING_START", -1)}
    try:
        return any(t.type in kinds for t in tokenize.generate_tokens(io.StringIO(python).readline))
    except (tokenize.TokenError, SyntaxError):
        return True  # code tokenize cannot read: let a translator decide


def translatable(cell) -> bool:
    if cell.get("id") in GENERATED_CELLS:
        return False
    if cell.cell_type == "markdown":
        return True
    return cell.cell_type == "code" and learner_text(cell.source)


# --------------------------------------------------------------------------- catalogues


def languages(course: Path) -> list[str]:
    """The languages this course is translated into: those with a ``locale/<lang>/``."""
    return [lang for lang in LANGUAGES if (course / "locale" / lang).is_dir()]


def notebook_po(course: Path, lang: str, name: str) -> Path:
    return course / "locale" / lang / f"{name}.po"


def new_catalogue(lang: str) -> polib.POFile:
    po = polib.POFile(wrapwidth=WRAP)
    po.header = ""
    po.metadata = {
        "Project-Id-Version": "stateless-by-design",
        "Language": lang,
        "MIME-Version": "1.0",
        "Content-Type": "text/plain; charset=UTF-8",
        "Content-Transfer-Encoding": "8bit",
    }
    if lang == "cs":
        po.metadata["Plural-Forms"] = "nplurals=3; plural=(n==1) ? 0 : (n>=2 && n<=4) ? 1 : 2;"
    return po


def read_catalogue(path: Path, lang: str) -> polib.POFile:
    return polib.pofile(str(path), wrapwidth=WRAP) if path.exists() else new_catalogue(lang)


def _update(entry: polib.POEntry, english: str) -> None:
    """The English of ``entry`` changed: keep the translation, flagged fuzzy with the
    English it was made from (kept from the first change, if it changed twice; and if the
    English goes back to that, the translation is current again)."""
    if entry.msgid == english:
        return
    translated = bool(entry.msgstr) or any(entry.msgstr_plural.values())
    if translated and "fuzzy" in entry.flags and entry.previous_msgid == english:
        entry.flags.remove("fuzzy")
        entry.previous_msgid = None
    elif translated and "fuzzy" not in entry.flags:
        entry.previous_msgid = entry.msgid
        entry.flags.append("fuzzy")
    entry.msgid = english
    if entry.msgid_plural:
        entry.msgid_plural = english


def _merge(po: polib.POFile, wanted: list[polib.POEntry]) -> polib.POFile:
    """``po`` with one entry per ``wanted`` (in that order), the rest obsolete."""
    old = {e.msgctxt: e for e in po}
    merged = []
    for want in wanted:
        entry = old.pop(want.msgctxt, None)
        if entry is None:
            merged.append(want)
            continue
        entry.obsolete = False
        _update(entry, want.msgid)
        entry.occurrences = want.occurrences
        merged.append(entry)
    for entry in old.values():
        entry.obsolete = True
        entry.occurrences = []
        merged.append(entry)
    po[:] = merged
    return po


def sync_notebook_catalogue(po: polib.POFile, name: str, nb) -> polib.POFile:
    wanted = []
    for index, cell in enumerate(nb.cells):
        if not translatable(cell):
            continue
        comment = (
            "markdown cell"
            if cell.cell_type == "markdown"
            else "code cell: identifiers, keys and values stay English; translate only "
            "comments and strings a learner reads"
        )
        wanted.append(
            polib.POEntry(
                msgctxt=cell.id,
                msgid=cell.source,
                msgstr="",
                comment=comment,
                occurrences=[(f"{name}.ipynb", str(index))],
            )
        )
    return _merge(po, wanted)


def sync_message_catalogue(po: polib.POFile, english: dict[str, str]) -> polib.POFile:
    wanted = []
    for key, template in english.items():
        counted = COUNTED.search(template)
        if counted:  # Czech has three forms for "(s)": 1, 2-4, 5+
            entry = polib.POEntry(
                msgctxt=key,
                msgid=template,
                msgid_plural=template,
                msgstr_plural={0: "", 1: "", 2: ""},
                comment=f"plural: {counted.group(1)}",
            )
        else:
            entry = polib.POEntry(msgctxt=key, msgid=template, msgstr="")
        wanted.append(entry)
    # Entries keep their place in the file (translators' diffs stay small); new keys go last.
    where = {e.msgctxt: i for i, e in enumerate(po)}
    wanted.sort(key=lambda e: where.get(e.msgctxt, len(where)))
    return _merge(po, wanted)


def _changed(updates: dict[Path, str]) -> dict[Path, str]:
    return {p: t for p, t in updates.items() if not p.exists() or p.read_text("utf-8") != t}


def catalogue_updates(course: Path) -> dict[Path, str]:
    """Notebook catalogues out of step with the English sources, with their new text."""
    from . import build

    updates = {}
    for lang in languages(course):
        for name, path in build.source_notebooks(course).items():
            target = notebook_po(course, lang, name)
            nb = nbformat.read(path, as_version=4)
            updates[target] = str(sync_notebook_catalogue(read_catalogue(target, lang), name, nb))
    return _changed(updates)


def message_catalogue_updates() -> dict[Path, str]:
    """The package's message catalogues out of step with ``messages/en``."""
    from .messages.en import MESSAGES

    updates = {}
    for lang in LANGUAGES:
        path = po_path(lang)
        updates[path] = str(sync_message_catalogue(read_catalogue(path, lang), MESSAGES))
    return _changed(updates)


# --------------------------------------------------------------------------- notebooks


def usable(entry: polib.POEntry | None) -> bool:
    return bool(entry and entry.msgstr and not entry.obsolete and "fuzzy" not in entry.flags)


def _with_note(cell, notes: dict[str, str], state: str) -> str:
    if cell.cell_type == "markdown":
        return f"> ⚠ *{notes[state]}*\n\n{cell.source}"
    note = notes[f"{state} code"]
    lines = cell.source.split("\n")
    at = 1 if lines[0].startswith("%%") else 0  # a cell magic must stay the first line
    return "\n".join([*lines[:at], f"# ⚠ {note}", *lines[at:]])


def translated_notebook(source: Path, po: polib.POFile, lang: str):
    """The source notebook in ``lang``: every cell the catalogue translates for its
    current English, every other translatable cell in English under a note, the generated
    cells generated in ``lang``, and the first code cell switching the course language."""
    nb = nbformat.read(source, as_version=4)
    entries = {e.msgctxt: e for e in po if not e.obsolete}
    notes = NOTES[lang]
    generated = {
        course_map.MAP_CELL: course_map.map_section,
        course_map.PROGRESS_CELL: course_map.progress_code,
        course_map.NEXT_CELL: lambda: course_map.next_section(source.stem),
    }
    for cell in nb.cells:
        entry = entries.get(cell.id)
        if cell.id in generated:
            with course_language(lang):
                cell.source = generated[cell.id]()
        elif not translatable(cell):
            continue
        elif usable(entry) and entry.msgid == cell.source:
            cell.source = entry.msgstr
        else:
            stale = entry is not None and bool(entry.msgstr)  # fuzzy, or made for older English
            cell.source = _with_note(cell, notes, "stale" if stale else "untranslated")
    first = next((c for c in nb.cells if c.cell_type == "code"), None)
    if first is not None:
        if first.source.startswith("%%"):
            raise SystemExit(f"{source}: the first code cell cannot start with a cell magic")
        first.source = f"{notes['language_comment']}\n{notes['language']}\n\n{first.source}"
    return nb


def translated_sources(course: Path, lang: str, out: Path) -> dict[str, Path]:
    """Write the translated source notebooks to ``out/NN-slug/NN-slug.ipynb``."""
    from . import build

    written = {}
    for name, path in build.source_notebooks(course).items():
        po = read_catalogue(notebook_po(course, lang, name), lang)
        target = out / name / f"{name}.ipynb"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(build.dumps(translated_notebook(path, po, lang)), encoding="utf-8")
        written[name] = target
    return written


def write_course(lang: str, out: Path, course: Path | None = None) -> Path:
    """An nbgrader course root in ``out``: the course's config and the translated sources.
    Release, collect and autograde it as the English course: same cells, same grade ids,
    same points, same tests (tests/test_translations.py proves it)."""
    course = course or ROOT / "course"
    translated_sources(course, lang, out / "source")
    shutil.copy(course / "nbgrader_config.py", out / "nbgrader_config.py")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder.translate")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="stale and untranslated entries per catalogue")
    course = commands.add_parser("course", help="write a translated nbgrader course root")
    course.add_argument("lang", choices=LANGUAGES)
    course.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.command == "status":
        from .translation_checks import all_problems, status, status_report

        print(status_report(status()))
        found = all_problems()
        print("\n".join(["", "translations to fix:", *found]) if found else "")
        return 1 if found else 0
    if args.out.exists() and any(args.out.iterdir()):
        parser.error(f"{args.out} is not empty: choose a new folder (nothing was written)")
    write_course(args.lang, args.out)
    print(f"wrote the {args.lang} course to {args.out}: nbgrader generate_assignment there")
    return 0


if __name__ == "__main__":
    sys.exit(main())
