"""Stateless by design: the simulated platform and the checks behind the course.

The public surface is small on purpose:

- :class:`Cluster` runs an app file as processes behind a router (``autograder.cluster``);
- :func:`start_redis` gives a notebook its Redis and sets ``REDIS_URL``;
- exercises live in ``autograder.exercises.nbNN_slug`` as ``q1``, ``q2``, ... with
  ``check()``, ``hint()`` and ``solution()``;
- :func:`progress` shows every exercise of the course with its status.
"""

from .backing import RedisService, shared_service
from .cluster import Cluster
from .errors import AutograderError
from .progress import progress
from .result import CheckFailed, Result

__version__ = "0.1.0"


def start_redis():
    """Start (once) the notebook's Redis, set REDIS_URL, and return a client for it.

    The client decodes responses to ``str``, which is what you want in a notebook.
    """
    return shared_service().client(decode_responses=True)


__all__ = [
    "AutograderError",
    "CheckFailed",
    "Cluster",
    "RedisService",
    "Result",
    "shared_service",
    "progress",
    "start_redis",
]
