"""English navigation: the course map, the "Next" cell and the progress cell that
``autograder.course_map`` generates into every notebook and the README. The notebooks'
titles and one-line summaries are written once, in ``course_map.COURSE``."""

from ...course_map import COURSE, PROGRESS_COMMENT

MESSAGES: dict[str, str] = {
    "nav.map.heading": "## The course map",
    "nav.map.columns": "| Notebook | What you learn | Status |",
    "nav.map.available": "available",
    "nav.map.coming": "coming",
    "nav.next.heading": "## Next",
    "nav.next.end": "This is the last notebook of the course. Well done.",
    "nav.next.link": "**[{number} · {title}]({slug}.ipynb)**: {lead}",
    "nav.next.coming": "This is the last notebook so far. Being written: **{number} · {title}**, "
    "{lead} The course map in 00 · Start here shows what else is coming.",
    "nav.progress.comment": PROGRESS_COMMENT,
}
for _notebook in COURSE:
    for _field in ("title", "teaches", "lead"):
        MESSAGES[f"nav.{_notebook.slug}.{_field}"] = getattr(_notebook, _field)
