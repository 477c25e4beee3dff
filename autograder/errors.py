"""One exception root for the package, so callers can catch everything we raise."""


class AutograderError(Exception):
    """Something the course platform or a check could not do."""


class AppNotFound(AutograderError):
    """The learner's app file does not exist (yet)."""

    def __str__(self) -> str:
        from pathlib import Path

        from .messages import _

        if not self.args:
            return super().__str__()
        return _("reason.not_written", app=Path(str(self.args[0])).name)


class AppCrashed(AutograderError):
    """The learner's app raised while it was being started.

    Its argument is the error as data (kind, message, where); ``str()`` turns it into the
    sentence a check would show, so a "try it" cell that prints the exception reads like
    the feedback, not like a dict."""

    def __str__(self) -> str:
        error = self.args[0] if self.args else None
        if not isinstance(error, dict):
            return super().__str__()
        from .messages import _

        if error.get("kind") == "NotImplementedError":
            return _("reason.not_finished_file")
        text = f"{_('reason.app_crashed_at_start')} {error.get('kind')}: {error.get('message')}"
        if error.get("where"):
            text += "\n" + _("detail.where", where=error["where"])
        return text


class PlatformError(AutograderError):
    """The simulated platform was asked for something impossible (e.g. kill a missing process)."""


class RequestTimeout(BaseException):
    """A request ran past its time budget.

    A BaseException on purpose: a learner's ``except Exception`` must not swallow it.
    """
