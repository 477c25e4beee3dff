"""What a correct app of 06 answers, and the one diagnosis: a summary of an older copy."""

from __future__ import annotations

from .data import host, summary_of
from .reasons import STALE_COPY


class SummaryModel:
    def summarise(self, name):
        return summary_of(host().files[name])


class ReportModel:
    def __init__(self):
        self.reports: dict[str, dict] = {}

    def build_report(self, name):
        self.reports[name] = summary_of(host().files[name])
        return self.reports[name]

    def get_report(self, name):
        return self.reports.get(name)


def stale_diagnose(served, expected, *, first_visit: bool):
    """A summary of an older version of the same file: a copy kept from an earlier request."""
    name = served.args.get("name")
    if served.handler not in ("summarise", "build_report") or not served.ok:
        return None
    old = [summary_of(v) for v in host().history.get(name, [])[:-1]]
    return STALE_COPY if served.value in old and served.value != expected else None
