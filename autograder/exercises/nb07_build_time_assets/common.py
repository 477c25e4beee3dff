"""What both checks of 07 share: the reason codes and how a Result is made."""

from __future__ import annotations

from ...messages import _
from ...result import CORRECT, Result

REQUEST_SECONDS = 5.0

# Reason codes of this notebook (messages: reason.<code> and next.<code> in nb07.py).
BUILD_FAILED = "build_failed"
WRONG_BUNDLE = "wrong_bundle"
NOT_FINGERPRINTED = "not_fingerprinted"
BUILD_NOT_REPEATABLE = "build_not_repeatable"
ASSET_MISSING = "asset_missing"
URL_REUSED = "url_reused"
COMPILED_AT_RUN_TIME = "compiled_at_run_time"


def result(outcome, reason, base, **fields) -> Result:
    next_key = f"next.{reason}"
    return Result(
        outcome, reason, next_step=_(next_key) if reason != CORRECT else "", **fields, **base
    )


def clip_bytes(data: bytes, limit: int = 160) -> str:
    text = data.decode(errors="replace")
    return text if len(text) <= limit else text[:limit] + "..."
