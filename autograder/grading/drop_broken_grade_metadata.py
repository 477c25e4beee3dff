"""``DropBrokenGradeMetadata``: a sanitize step of autograde (``course/nbgrader_config.py``)."""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor


class DropBrokenGradeMetadata(NbGraderPreprocessor):
    """Sanitize step after DeduplicateIds: a cell whose nbgrader metadata has no grade id
    becomes an ordinary cell.

    A learner who duplicates a graded cell (JupyterLab copies its metadata) leaves two
    cells with one grade id. DeduplicateIds keeps the last and empties the other's
    metadata to ``{}``; OverwriteCells with ``add_missing_cells`` then reads
    ``["grade_id"]`` of every cell that has nbgrader metadata and raises KeyError, and
    nbgrader gives up on the whole submission (scored 0). Removing the empty metadata
    grades it normally.
    """

    def preprocess_cell(self, cell, resources, index):
        md = cell.metadata.get("nbgrader")
        if md is not None and not (isinstance(md, dict) and md.get("grade_id")):
            if md:
                self.log.warning("Cell %s has nbgrader metadata without a grade id: dropped", index)
            del cell.metadata["nbgrader"]
        return cell, resources
