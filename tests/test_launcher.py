"""The fork server preloads libraries, never the learner's own files."""

from __future__ import annotations

from autograder import preload
from tests.conftest import write_app


def test_library_imports_are_read_from_the_file(app_dir):
    app = write_app(
        app_dir,
        "imports.py",
        "import os, json\nfrom redis.client import Redis\nfrom . import nothing\nimport helper\n",
    )
    assert preload.library_imports(app) == ["helper", "json", "os", "redis", "redis.client"]


def test_a_file_that_does_not_parse_names_nothing(app_dir):
    assert preload.library_imports(write_app(app_dir, "broken.py", "def (:\n")) == []


def test_only_library_modules_are_imported_before_a_fork(app_dir, monkeypatch):
    import sys

    write_app(app_dir, "learner_helper_module.py", "raise SystemExit('imported!')\n")
    monkeypatch.syspath_prepend(str(app_dir))
    preload.import_libraries(["learner_helper_module", "this", "colorsys"])
    assert "learner_helper_module" not in sys.modules
    assert "colorsys" in sys.modules
