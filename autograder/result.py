"""The outcome of a check, and the one renderer that shows it (HTML or plain text).

A :class:`Result` is plain data (it travels as JSON from the checker process to the
notebook), holds message *keys* and values rather than prose, and is turned into text in
the course language only when shown.
"""

from __future__ import annotations

import html
from dataclasses import asdict, dataclass, field

from .messages import _, has

CORRECT = "correct"
INCORRECT = "incorrect"
NOT_ATTEMPTED = "not_attempted"


@dataclass(repr=False)
class Result:
    outcome: str  # correct | incorrect | not_attempted
    reason: str  # a stable code, e.g. state_lost_on_restart; "correct" when it passed
    exercise: str = ""
    summary: str = ""  # one sentence (already in the course language)
    platform: list[str] = field(default_factory=list)  # what the platform did
    saw: str = ""  # what a user saw (or, when ``seen_in`` is "redis", what Redis held)
    expected: str = ""  # what they should have seen ("" for predictions)
    # "user": a response; "redis": a look behind the app; "browser": the user's cookies
    seen_in: str = "user"
    details: list[str] = field(default_factory=list)  # extra facts (app output, violations)
    next_step: str = ""
    seed: int | None = None
    level: str = "visible"
    part: str = ""  # the part of the exercise checked (a graded cell), "" for all of them

    @property
    def passed(self) -> bool:
        return self.outcome == CORRECT

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Result:
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})

    # -- rendering --------------------------------------------------------------------
    def _label(self, which: str) -> str:
        return _(f"label.{which}") if self.seen_in == "user" else _(f"label.{which}.{self.seen_in}")

    def _title(self) -> str:
        title = _(f"outcome.{self.outcome}", exercise=self.exercise)
        if self.part:
            return _("outcome.part", title=title, part=part_title(self.part))
        return title

    def text(self) -> str:
        lines = [self._title()]
        if self.summary:
            lines.append(self.summary)
        if self.platform:
            lines.append(_("label.platform"))
            lines += [f"  {line}" for line in self.platform]
        if self.saw:
            lines.append(f"{self._label('saw')} {self.saw}")
        if self.expected:
            lines.append(f"{self._label('expected')} {self.expected}")
        lines += self.details
        if self.next_step:
            lines.append(f"{_('label.next')} {self.next_step}")
        if self.seed is not None and self.outcome != NOT_ATTEMPTED:
            lines.append(_("label.reproduce", seed=self.seed, level=self.level))
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.text()

    __repr__ = __str__  # the text/plain view of a displayed result

    def _repr_html_(self) -> str:
        colour = {CORRECT: "#1b7f3b", INCORRECT: "#b3261e", NOT_ATTEMPTED: "#8a6d00"}[self.outcome]
        icon = {CORRECT: "✔", INCORRECT: "✘", NOT_ATTEMPTED: "…"}[self.outcome]
        esc = html.escape
        parts = [
            # data-reason: the stable reason code, for tools that read rendered feedback
            # (the end-to-end tests compare it with the fast path's verdict).
            f'<div class="autograder-result autograder-{self.outcome}" role="status" '
            f'data-reason="{esc(self.reason)}" '
            f'style="border-left:6px solid {colour};padding:0.5em 1em;margin:0.5em 0;'
            f'background:rgba(0,0,0,0.03)">',
            f'<div style="font-weight:bold;color:{colour}">{icon} {esc(self._title())}</div>',
        ]
        if self.summary:
            parts.append(f"<p>{esc(self.summary)}</p>")
        if self.platform:
            parts.append(f"<div><b>{esc(_('label.platform'))}</b></div>")
            parts.append(
                '<pre style="margin:0.2em 0;white-space:pre-wrap">'
                + esc("\n".join(self.platform))
                + "</pre>"
            )
        if self.saw:
            parts.append(
                f"<div><b>{esc(self._label('saw'))}</b> <code>{esc(self.saw)}</code></div>"
            )
        if self.expected:
            label = esc(self._label("expected"))
            parts.append(f"<div><b>{label}</b> <code>{esc(self.expected)}</code></div>")
        for line in self.details:
            parts.append(f'<div style="white-space:pre-wrap">{esc(line)}</div>')
        if self.next_step:
            parts.append(f"<p><b>{esc(_('label.next'))}</b> {esc(self.next_step)}</p>")
        if self.seed is not None and self.outcome != NOT_ATTEMPTED:
            parts.append(
                f'<div style="font-size:smaller;opacity:0.8">'
                f"{esc(_('label.reproduce', seed=self.seed, level=self.level))}</div>"
            )
        parts.append("</div>")
        return "".join(parts)


def part_title(part: str) -> str:
    """A part's title in the learner's language (``part.<id>`` in the catalogue; every
    part of the course has one), else the id made readable."""
    key = f"part.{part}"
    return _(key) if has(key) else part.replace("_", " ")


class CheckFailed(AssertionError):
    """Raised by ``check()`` when the answer is not (yet) right, so nbgrader scores 0.

    In IPython the traceback is replaced by the explanation (``_render_traceback_``):
    learners see what the platform did, never a wall of frames or the test cell's code.
    """

    def __init__(self, result: Result, *, shown: bool = False):
        super().__init__(result.text())
        self.result = result
        self.shown = shown  # already displayed as HTML just above the error

    def _render_traceback_(self) -> list[str]:
        if self.shown:
            return [_("traceback.see_above", title=self.result._title())]
        return self.result.text().splitlines()


def show(result: Result) -> bool:
    """Display a result: rich HTML in a notebook, plain text anywhere else.

    Returns True when it went to a notebook display (so an error can point at it).
    """
    try:
        from IPython import get_ipython
        from IPython.display import display

        if get_ipython() is not None:
            display(result)
            return True
    except ImportError:
        pass
    print(result.text())
    return False


def note_html(title: str, body: str, kind: str = "hint") -> str:
    esc = html.escape
    return (
        f'<div class="autograder-{kind}" role="note" style="border-left:6px solid #3760a8;'
        f'padding:0.5em 1em;margin:0.5em 0;background:rgba(55,96,168,0.06)">'
        f"<b>{esc(title)}</b><div style='white-space:pre-wrap'>{esc(body)}</div></div>"
    )
