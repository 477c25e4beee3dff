"""What both halves of 04 share: the seeds, the reason codes (messages: reason.<code> and
next.<code> in nb04.py) and the Result an audit returns."""

from __future__ import annotations

from ...messages import _
from ...races import Replay
from ...result import INCORRECT, Result

VISIBLE_SEEDS = (1,)
HIDDEN_SEEDS = (2, 3)

# Reason codes of this notebook (messages: reason.<code> and next.<code> in nb04.py).
OVERSOLD = "oversold"
LOST_UPDATE = "lost_update"
GAVE_UP = "gave_up"
# Refused while another request held more tickets than there were, before giving them back
# (decrement first, give back if below zero): the refusal rests on a number that was never
# true, so it is wrong, not a trade-off.
REFUSED_WHILE_OVERDRAWN = "refused_while_overdrawn"


def incorrect(replay: Replay, reason: str, saw, expected, **values) -> Result:
    return Result(
        INCORRECT,
        reason,
        summary=_(f"04-atomicity.audit.{reason}", **values),
        platform=replay.log[-14:],
        saw=repr(saw),
        expected=repr(expected),
        next_step=_(f"next.{reason}"),
        **replay.base,
    )


def numbers(saw, expected) -> bool:
    return all(isinstance(v, int) and not isinstance(v, bool) for v in (saw, expected))
