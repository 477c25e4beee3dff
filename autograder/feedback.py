"""The feedback vocabulary every check engine shares.

The scenario engine (:mod:`autograder.scenario`) and the race engine of 04 both report an
app that raised, exited, was not finished or crashed while starting; they build those
Results here, with the reason codes declared here, so a learner reads one wording for one
mistake in every notebook. :func:`describe_call` is the one way a call is written in
feedback, in the platform's history and on the dashboard.
"""

from __future__ import annotations

from .messages import _, has
from .result import INCORRECT, NOT_ATTEMPTED, Result

# Reason codes of what an app does wrong whatever it is checked by (stable: tests and the
# wrong-answer catalogue name them). Each engine declares its own next to it.
CANNOT_REACH_REDIS = "cannot_reach_redis"
APP_ERROR = "app_error"
APP_CRASHED_AT_START = "app_crashed_at_start"
MISSING_FUNCTION = "missing_function"
NOT_FINISHED = "not_finished"
PROCESS_EXITED = "process_exited"
REASONS = (
    CANNOT_REACH_REDIS,
    APP_ERROR,
    APP_CRASHED_AT_START,
    MISSING_FUNCTION,
    NOT_FINISHED,
    PROCESS_EXITED,
)


def describe_call(handler: str, args: dict, *, http: bool = False) -> str:
    """``add_item(user='ana', item='apple')`` for a call of one of the app's functions;
    ``POST /login form={...}`` for an HTTP request (``http``: its handler is
    ``METHOD /path``, and ``args`` hold the path and what the request carried)."""
    if http:
        extra = {k: v for k, v in args.items() if k != "path"}
        return handler + "".join(f" {k}={v!r}" for k, v in extra.items())
    return f"{handler}({', '.join(f'{k}={v!r}' for k, v in args.items())})"


def clip(text: str, limit: int = 400) -> str:
    return text if len(text) <= limit else text[:limit] + "..."


def error_result(served, platform: list[str], base: dict) -> Result:
    """A request the app answered with an exception (``served.error``)."""
    kind = served.error["kind"]
    where = served.error["where"]
    message = served.error["message"]
    if kind == "NotImplementedError":
        return Result(
            NOT_ATTEMPTED,
            NOT_FINISHED,
            summary=_(
                "reason.not_finished",
                handler=describe_call(served.handler, {}, http=served.http),
            ),
            platform=platform,
            next_step=_("next.not_finished"),
            **base,
        )
    if kind in ("SystemExit", "ProcessExited"):  # sys.exit() / os._exit() in a handler
        code = (message or 0) if kind == "SystemExit" else _("platform.exit_code.unknown")
        return Result(
            INCORRECT,
            PROCESS_EXITED,
            summary=_("reason.process_exited", code=code),
            platform=platform,
            next_step=_("next.process_exited"),
            **base,
        )
    if kind == "MissingHandler":
        return Result(
            INCORRECT,
            MISSING_FUNCTION,
            summary=_("reason.missing_function", handler=served.handler),
            platform=platform,
            next_step=_("next.missing_function"),
            **base,
        )
    reason = (
        CANNOT_REACH_REDIS
        if kind in ("ConnectionError", "TimeoutError")
        and ("redis" in message.lower() or "connect" in message.lower())
        else APP_ERROR
    )
    return Result(
        INCORRECT,
        reason,
        summary=_(f"reason.{reason}", seq=served.seq, pid=served.pid, handler=served.handler),
        platform=platform,
        saw=_("saw.app_error", kind=kind, message=message),
        details=[_("detail.where", where=where)] if where else [],
        next_step=_(f"next.{reason}"),
        **base,
    )


def crash_next_step(kind: str) -> str:
    """A next step for the usual start-up crashes (input() at import, a syntax error)."""
    specific = f"next.app_crashed_at_start.{kind}"
    return _(specific) if has(specific) else _("next.app_crashed_at_start")


def crash_result(error: dict, header: str, base: dict) -> Result:
    """The app file failed while its processes started (``AppCrashed``)."""
    if error["kind"] == "NotImplementedError":
        return Result(
            NOT_ATTEMPTED,
            NOT_FINISHED,
            summary=_("reason.not_finished_file"),
            next_step=_("next.not_finished"),
            **base,
        )
    if error["kind"] == "SystemExit":
        return Result(
            INCORRECT,
            PROCESS_EXITED,
            summary=_("reason.process_exited", code=error["message"] or 0),
            platform=[header],
            next_step=_("next.process_exited"),
            **base,
        )
    return Result(
        INCORRECT,
        APP_CRASHED_AT_START,
        summary=_("reason.app_crashed_at_start"),
        platform=[header],
        saw=_("saw.app_error", **error),
        details=[_("detail.where", where=error["where"])] if error["where"] else [],
        next_step=crash_next_step(error["kind"]),
        **base,
    )
