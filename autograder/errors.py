"""One exception root for the package, so callers can catch everything we raise."""


class AutograderError(Exception):
    """Something the course platform or a check could not do."""


class AppNotFound(AutograderError):
    """The learner's app file does not exist (yet)."""


class AppCrashed(AutograderError):
    """The learner's app raised while it was being started."""


class PlatformError(AutograderError):
    """The simulated platform was asked for something impossible (e.g. kill a missing process)."""


class RequestTimeout(BaseException):
    """A request ran past its time budget.

    A BaseException on purpose: a learner's ``except Exception`` must not swallow it.
    """
