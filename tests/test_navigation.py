"""Navigation between notebooks is generated from one list (autograder/course_map.py):
every link between notebooks resolves, and every map matches the notebooks that exist."""

from __future__ import annotations

import json
import re

import pytest

from autograder import course_map
from autograder.build import navigation_updates, source_notebooks
from autograder.messages import _
from tests.course_index import REPO, SOURCE

NOTEBOOK_LINK = re.compile(r"\]\(([^)\s]+\.ipynb)(#[^)]*)?\)")


def markdown_of(path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")


@pytest.mark.parametrize("name", sorted(source_notebooks()))
def test_every_link_between_notebooks_resolves(name):
    text = markdown_of(SOURCE / name / f"{name}.ipynb")
    for target, _anchor in NOTEBOOK_LINK.findall(text):
        assert "/" not in target, f"{name} links to {target}: notebooks sit side by side"
        stem = target.removesuffix(".ipynb")
        assert (SOURCE / stem / target).exists(), f"{name} links to {target}, which does not exist"
        assert (REPO / "notebooks" / target).exists()


def test_the_map_lists_exactly_the_notebooks_that_exist():
    mapped = [n.slug for n in course_map.COURSE]
    existing = sorted(source_notebooks())
    assert set(existing) <= set(mapped), "a notebook is missing from autograder/course_map.py"
    assert course_map.available() == existing
    assert mapped == sorted(mapped), "the map is in reading order"
    table = course_map.map_table()
    for notebook in course_map.COURSE:
        status = "available" if notebook.slug in existing else "coming"
        assert f"| `{notebook.slug}` | {notebook.teaches} | {status} |" in table


def test_generated_navigation_is_up_to_date():
    """README's map, 00's map and every "Next" cell are what the build writes."""
    stale = navigation_updates()
    assert not stale, f"run `make notebooks`: stale navigation in {sorted(map(str, stale))}"
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert course_map.MAP_BEGIN in readme and course_map.map_table() in readme
    first = course_map.COURSE[0].slug
    assert course_map.map_section() in markdown_of(SOURCE / first / f"{first}.ipynb")


def test_every_notebook_ends_with_its_next_cell_and_nothing_says_coming_soon():
    for name in source_notebooks():
        cells = json.loads((SOURCE / name / f"{name}.ipynb").read_text(encoding="utf-8"))["cells"]
        assert cells[-1]["id"] == course_map.NEXT_CELL
        assert "".join(cells[-1]["source"]) == course_map.next_section(name)
        assert "coming soon" not in markdown_of(SOURCE / name / f"{name}.ipynb").lower()


def test_the_last_available_notebook_does_not_link_to_a_missing_one(monkeypatch):
    last = course_map.available()[-1]
    text = course_map.next_section(last)
    slugs = [n.slug for n in course_map.COURSE]
    if slugs.index(last) + 1 == len(slugs):  # the whole course is available: it ends there
        assert ".ipynb" not in text and _("nav.next.end") in text
        return
    following = course_map.COURSE[slugs.index(last) + 1]
    assert following.available or ".ipynb" not in text
