"""The Czech edition's machinery (autograder.translate, autograder.messages under
``COURSE_LANG=cs``): catalogues kept in step with the English, translated notebooks with
the same graded cells, Czech messages with Czech plurals and numbers, and never a stale
or broken translation shown as if it were current.

The translators own course/locale/cs/ and autograder/messages/cs.po; these tests use
their catalogues as they are (empty or partial) plus stand-ins (tests/translation_fixture.py,
tests/fixtures/locale-cs/). The report of stale and untranslated entries is printed, not
asserted: English work is never blocked by a translation that lags behind.
"""

from __future__ import annotations

import json
import shutil

import nbformat
import polib
import pytest

from autograder import build, messages, translate, translation_checks
from autograder.messages import _
from autograder.translation_checks import code_shape as shape
from autograder.translation_checks import markers
from tests import nbgrader_harness as h
from tests.translation_fixture import pseudo_course, translate_comments

FIXTURE = h.REPO / "tests" / "fixtures" / "locale-cs"
TOY = h.REPO / "tests" / "fixtures" / "toy" / "source" / "toy" / "toy.ipynb"
SOURCES = {p.stem: p for p in sorted(h.COURSE.glob("source/*/*.ipynb"))}
NOTES = translate.NOTES["cs"]


@pytest.fixture
def czech(monkeypatch):
    """COURSE_LANG=cs with the fixture's message catalogue in place of the real one."""
    monkeypatch.setenv("COURSE_LANG", "cs")
    monkeypatch.setitem(messages._po_cache, "cs", messages.read_po(FIXTURE / "messages.po"))


def sync(po: polib.POFile, nb) -> polib.POFile:
    return translate.sync_notebook_catalogue(po, "toy", nb)


def reparse(po: polib.POFile) -> polib.POFile:
    return polib.pofile(str(po), wrapwidth=translate.WRAP)


def entry(po: polib.POFile, cell_id: str) -> polib.POEntry:
    return po.find(cell_id, by="msgctxt", include_obsolete_entries=True)


# --------------------------------------------------------------------------- messages


def test_czech_messages_with_plural_forms_and_decimal_commas(czech):
    assert _("label.saw") == "Uživatel viděl:"
    served = [_("dashboard.card.served", count=n) for n in (1, 2, 4, 5, 0, 21, 1000)]
    assert served == [
        "obsloužen 1 požadavek",
        "obslouženy 2 požadavky",
        "obslouženy 4 požadavky",
        "obslouženo 5 požadavků",
        "obslouženo 0 požadavků",
        "obslouženo 21 požadavků",
        "obslouženo 1000 požadavků",  # a whole number is left alone
    ]
    assert _("dashboard.card.uptime", seconds=2.54) == "běží 2,5 s"
    assert _("reason.timeout", seconds=2.5, what="q1") == (
        "Vaše aplikace neodpověděla do 2,5 s, zatímco běželo q1, a tak ji platforma zastavila."
    )
    # An English sentence inside the Czech course writes its numbers the Czech way too.
    assert _("reason.budget_exceeded", seconds=1.5).startswith("The check ran out of its 1,5 s")


def test_czech_falls_back_to_english_unless_the_translation_is_current_and_sound(czech):
    assert _("label.platform") == "What the platform did:"  # fuzzy
    assert _("label.expected") == "They should have seen:"  # made for an older English
    assert _("dashboard.panel.redis", kind="fakeredis", keys=3) == (
        "Backing service (Redis, fakeredis): 3 key(s)"  # plural made for an older English
    )
    assert _("outcome.correct", exercise="q1") == "Correct: q1"  # names an unknown field
    assert _("hint.none") == "This exercise has no hints."  # untranslated


def test_english_is_untouched(monkeypatch):
    monkeypatch.delenv("COURSE_LANG", raising=False)
    assert _("dashboard.card.uptime", seconds=2.54) == "up 2.5 s"
    assert _("dashboard.card.served", count=1) == "1 request(s) served"


def test_the_real_czech_catalogue_is_read_once_and_ships_with_the_package(monkeypatch):
    monkeypatch.setenv("COURSE_LANG", "cs")
    monkeypatch.delitem(messages._po_cache, "cs", raising=False)
    _("label.saw")
    loaded = messages._po_cache["cs"]
    _("label.next")
    assert messages._po_cache["cs"] is loaded
    # pip installs it with the package: the sealed grading sandbox reads it from there
    assert messages.po_path("cs").parent == h.REPO / "autograder" / "messages"
    assert 'autograder = ["messages/*.po"]' in (h.REPO / "pyproject.toml").read_text()


# --------------------------------------------------------------------------- catalogues


@pytest.mark.parametrize(
    ("source", "reads"),
    [
        ("x = 1\ny = x + 2", False),
        ("x = 1  # one", True),
        ('print("hello")', True),
        ("f'{x}'", True),
        ("%%writefile app.py\nx = 1", False),
        ("!ls\nx = 1", False),
    ],
)
def test_a_code_cell_has_an_entry_when_it_has_a_comment_or_a_string(source, reads):
    assert translate.learner_text(source) is reads


def test_a_new_catalogue_has_an_entry_per_cell_a_learner_reads():
    nb = h.read_nb(TOY)
    po = sync(translate.new_catalogue("cs"), nb)
    # every cell but the setup cell (`import runpy`: no comment, no string)
    assert [e.msgctxt for e in po] == [c.id for c in nb.cells if c.id != "toy-setup"]
    sources = {c.id: c.source for c in nb.cells}
    assert all(e.msgid == sources[e.msgctxt] and e.msgstr == "" for e in po)
    assert "Plural-Forms: nplurals=3" in str(po)
    assert str(sync(reparse(po), nb)) == str(po), "a second sync changes nothing"


def test_changed_cells_turn_fuzzy_removed_ones_obsolete_new_ones_empty():
    nb = h.read_nb(TOY)
    po = sync(translate.new_catalogue("cs"), nb)
    old_intro = nb.cells[0].source
    entry(po, "toy-intro").msgstr = "# Cvičná úloha"
    entry(po, "toy-demo").msgstr = 'print("tato ukázka nezávisí na odpovědi:", 2 + 3)'
    entry(po, "toy-ex1").msgid = "an English no translator touched"  # untranslated

    nb.cells[0].source = old_intro + "\n\nOne more sentence."
    nb.cells[2].source = "## Exercise 1, reworded"
    nb.cells = [c for c in nb.cells if c.id != "toy-demo"]
    nb.cells.append(nbformat.v4.new_markdown_cell("A new cell.", id="toy-outro"))
    po = sync(reparse(po), nb)

    intro = entry(po, "toy-intro")
    assert intro.fuzzy and intro.msgstr == "# Cvičná úloha"
    assert (intro.previous_msgid, intro.msgid) == (old_intro, nb.cells[0].source)
    ex1 = entry(po, "toy-ex1")  # nothing to keep: just the new English
    assert (ex1.msgid, ex1.msgstr, ex1.fuzzy) == ("## Exercise 1, reworded", "", False)
    demo = entry(po, "toy-demo")
    assert demo.obsolete and demo.msgstr.startswith('print("tato')
    outro = entry(po, "toy-outro")
    assert (outro.msgid, outro.msgstr, outro.fuzzy) == ("A new cell.", "", False)
    assert [e.msgctxt for e in po][-1] == "toy-demo", "obsolete entries go last"

    nb.cells[0].source += " And another."  # changed twice: the diff stays against the
    po = sync(reparse(po), nb)  # English the translation was made from
    assert entry(po, "toy-intro").previous_msgid == old_intro
    assert translation_checks.counts_of(po) == {
        "entries": 9,
        "translated": 0,
        "stale": 1,
        "untranslated": 8,
        "obsolete": 1,
    }
    nb.cells[0].source = old_intro  # the English change is undone: current again
    po = sync(reparse(po), nb)
    assert not entry(po, "toy-intro").fuzzy and entry(po, "toy-intro").previous_msgid is None


def test_the_message_catalogue_follows_the_english_keys():
    po = translate.sync_message_catalogue(
        translate.new_catalogue("cs"),
        {"a.count": "{count} request(s) served", "a.plain": "Hello {name}"},
    )
    counted, plain = entry(po, "a.count"), entry(po, "a.plain")
    assert counted.msgid_plural and counted.comment == "plural: count"
    assert sorted(counted.msgstr_plural) == [0, 1, 2]
    assert not plain.msgid_plural
    plain.msgstr = "Ahoj {name}"
    po = translate.sync_message_catalogue(reparse(po), {"a.plain": "Hello, {name}"})
    assert entry(po, "a.plain").fuzzy and entry(po, "a.count").obsolete


# --------------------------------------------------------------------------- notebooks


def test_the_czech_notebook_shows_translations_and_marks_the_rest(tmp_path):
    nb = h.read_nb(TOY)
    po = sync(translate.new_catalogue("cs"), nb)
    entry(po, "toy-intro").msgstr = "# Cvičná úloha"
    entry(po, "toy-test-add-small").msgstr = translate_comments(nb.cells[5].source)
    entry(po, "toy-demo").msgstr = 'print("tato ukázka nezávisí na odpovědi:", 2 + 3)'
    nb.cells[4].source = 'print("this demo changed:", 2 + 3)'  # after its translation
    source = tmp_path / "toy.ipynb"
    nbformat.write(nb, source)
    po = sync(reparse(po), nb)

    czech = translate.translated_notebook(source, po, "cs")
    cells = {c.id: c.source for c in czech.cells}
    assert cells["toy-intro"] == "# Cvičná úloha"
    assert cells["toy-ex1"] == f"> ⚠ *{NOTES['untranslated']}*\n\n{nb.cells[2].source}"
    assert cells["toy-demo"] == f"# ⚠ {NOTES['stale code']}\n{nb.cells[4].source}"
    assert cells["toy-add-answer"].split("\n")[:2] == [
        "%%writefile toy_add.py",  # a cell magic stays the first line
        f"# ⚠ {NOTES['untranslated code']}",
    ]
    assert cells["toy-setup"] == (
        f"{NOTES['language_comment']}\n%env COURSE_LANG=cs\n\nimport runpy"
    )
    assert [c.metadata for c in czech.cells] == [c.metadata for c in nb.cells]


def test_generated_cells_are_czech_and_english_navigation_stays_english(czech):
    path = SOURCES.get("00-start-here")
    if path is None:
        pytest.skip("no 00-start-here")
    nb = translate.translated_notebook(path, translate.new_catalogue("cs"), "cs")
    cells = {c.id: c.source for c in nb.cells}
    assert cells["course-map"].startswith("## Mapa kurzu\n\n")
    assert cells["next"].startswith("## Dál\n\n")
    assert build.navigation_updates() == {}, "COURSE_LANG=cs leaked into the English build"


def test_the_build_keeps_the_catalogues_in_step():
    assert translate.catalogue_updates(h.COURSE) == {}
    assert translate.message_catalogue_updates() == {}


# --------------------------------------------------------------------------- entries


def every_catalogue_entry(tmp_path_factory) -> list[tuple[str, polib.POEntry]]:
    """The translators' entries, and the stand-in translations of every notebook."""
    course = pseudo_course(h.COURSE, tmp_path_factory.mktemp("pseudo") / "course")
    paths = translation_checks.catalogues(h.REPO) + sorted(course.glob("locale/cs/*.po"))
    paths.append(FIXTURE / "messages.po")
    return [(p.name, e) for p in paths for e in polib.pofile(str(p)) if not e.obsolete]


def test_translations_keep_placeholders_markers_and_code(tmp_path_factory):
    entries = every_catalogue_entry(tmp_path_factory)
    translated = [(name, e) for name, e in entries if e.translated()]
    assert len(translated) > 200, "the stand-ins translate every notebook cell"
    found = [f"{name}: {p}" for name, e in translated for p in translation_checks.problems(e)]
    # the fixture's one deliberate mistake, and nothing else
    assert found == [
        "messages.po: outcome.correct: placeholders ['cvičení'], English has ['exercise']"
    ]


@pytest.mark.parametrize(
    ("comment", "english", "czech", "problem"),
    [
        ("code cell", "x = 1  # one", "x = 2  # jedna", "the code differs"),
        ("code cell", "x = 1  # one", "x = 1  # jedna\ny = 2", "the code differs"),
        ("code cell", 'r.get("cart")  # key', 'r.get("košík")  # klíč', None),  # strings may
        ("code cell", "### BEGIN SOLUTION\nx = 1\n### END SOLUTION", "x = 1", "markers"),
        ("markdown cell", "Run it.\n### BEGIN SOLUTION", "Spusťte ji.", "markers"),
        ("markdown cell", "Use `{sys.executable}`", "Použijte `{sys.executable}`", None),
    ],
)
def test_a_broken_cell_translation_is_reported(comment, english, czech, problem):
    found = translation_checks.problems(
        polib.POEntry(msgctxt="c", msgid=english, msgstr=czech, comment=comment)
    )
    assert [problem in p for p in found] == ([True] if problem else []), found


def test_a_plural_form_may_drop_its_count_but_nothing_else():
    e = polib.POEntry(
        msgctxt="k",
        msgid="{n} key(s) in {db}",
        msgid_plural="{n} key(s) in {db}",
        msgstr_plural={0: "jeden klíč v {db}", 1: "{n} klíče v {db}", 2: "{n} klíčů"},
        comment="plural: n",
    )
    assert translation_checks.problems(e) == ["k: placeholders ['n'], English has ['db', 'n']"]


def test_status_report_of_stale_and_untranslated_entries(capsys):
    rows = translation_checks.status()
    assert {name for name, _ in rows} >= {f"course/locale/cs/{name}.po" for name in SOURCES} | {
        "autograder/messages/cs.po"
    }
    for _name, c in rows:
        assert c["translated"] + c["stale"] + c["untranslated"] == c["entries"]
    with capsys.disabled():
        print("\n\nCzech translation status (a report: stale and untranslated do not fail)")
        print(translation_checks.status_report(rows))


# --------------------------------------------------------------------------- graded in Czech


def nbgrader_cells(nb) -> list[tuple[str, str, dict]]:
    out = []
    for cell in h.read_nb(nb).cells:
        meta = dict(cell.metadata.get("nbgrader", {}))
        meta.pop("checksum", None)  # of the cell's text, which is translated
        out.append((cell.id, cell.cell_type, meta))
    return out


@pytest.fixture(scope="module")
def pseudo_sources(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("czech")
    course = pseudo_course(h.COURSE, tmp / "course")
    return translate.translated_sources(course, "cs", tmp / "cs-source")


@pytest.mark.parametrize("name", SOURCES)
def test_czech_graded_cells_are_the_english_ones(name, pseudo_sources):
    """Every cell, grade id, point value and nbgrader flag of the (stand-in translated)
    Czech source is the English one, and every graded or test cell runs the English code."""
    english, czech = h.read_nb(SOURCES[name]), h.read_nb(pseudo_sources[name])
    assert nbgrader_cells(czech) == nbgrader_cells(english)
    assert h.graded_points(czech) == h.graded_points(english)
    translated = 0
    for en, cs in zip(english.cells, czech.cells, strict=True):
        translated += cs.source != en.source
        if cs.cell_type == "code" and "nbgrader" in cs.metadata and cs.id != "setup":
            assert shape(cs.source) == shape(en.source), cs.id
            assert markers(cs.source) == markers(en.source), cs.id
    assert translated > len(english.cells) // 3, "this notebook is translated (or stood in for)"


@pytest.mark.parametrize("name", SOURCES)
def test_committed_czech_notebooks_grade_like_the_english(name):
    for folder in ("notebooks",):
        english = h.REPO / folder / f"{name}.ipynb"
        czech = h.REPO / folder / "cs" / f"{name}.ipynb"
        assert czech.exists(), f"{czech} is missing: run `make notebooks`"
        assert nbgrader_cells(czech) == nbgrader_cells(english)
    solution = json.loads((h.REPO / "solutions" / "cs" / f"{name}.ipynb").read_text("utf-8"))
    assert "%env COURSE_LANG=cs" in "".join(
        next(c for c in solution["cells"] if c["cell_type"] == "code")["source"]
    )


def test_the_czech_course_command_writes_an_nbgrader_course(tmp_path):
    assert translate.main(["course", "cs", str(tmp_path / "cs")]) == 0
    written = sorted(
        p.relative_to(tmp_path / "cs").as_posix() for p in (tmp_path / "cs").rglob("*")
    )
    assert "nbgrader_config.py" in written
    assert [f"source/{n}/{n}.ipynb" for n in SOURCES] == [
        w for w in written if w.endswith(".ipynb")
    ]
    with pytest.raises(SystemExit):  # never over an existing course
        translate.main(["course", "cs", str(tmp_path / "cs")])
    shutil.rmtree(tmp_path / "cs")


def test_solution_shows_the_czech_solution_in_czech(monkeypatch, tmp_path):
    from autograder import solutions

    def notebook(path, comment):
        path.parent.mkdir(parents=True, exist_ok=True)
        cell = nbformat.v4.new_code_cell(f"x = 1  # {comment}", id="answer")
        nbformat.write(nbformat.v4.new_notebook(cells=[cell]), path)

    notebook(tmp_path / "99-demo.ipynb", "one")
    monkeypatch.setattr(solutions, "SOLUTIONS_DIR", tmp_path)
    monkeypatch.setenv("COURSE_LANG", "cs")
    assert solutions.reference_source("99-demo", "answer") == "x = 1  # one"  # none in Czech
    notebook(tmp_path / "cs" / "99-demo.ipynb", "jedna")
    assert solutions.reference_source("99-demo", "answer") == "x = 1  # jedna"
    monkeypatch.delenv("COURSE_LANG")
    assert solutions.reference_source("99-demo", "answer") == "x = 1  # one"


def test_the_checker_and_the_grading_sandbox_inherit_the_course_language(monkeypatch):
    from autograder import problem
    from autograder.grading import seal

    monkeypatch.setenv("COURSE_LANG", "cs")
    assert problem._checker_env()["COURSE_LANG"] == "cs"
    assert seal.environment(problem._checker_env())["COURSE_LANG"] == "cs"
    catalogue = messages.po_path("cs").resolve()
    readable = seal.code_paths()
    assert any(catalogue.is_relative_to(p) for p in readable), "the sandbox cannot read it"
