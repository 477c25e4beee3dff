"""The course-language names of the platform's identifiers (a router kind, a Redis kind).

The platform keeps stable identifiers (``"sticky"``, ``backing.EMBEDDED``) that code
compares; whatever shows them to a learner names them through here.
"""

from __future__ import annotations

from . import _

_REDIS_KINDS = {"embedded fakeredis": "embedded", "attached Redis": "attached"}


def router_name(kind: str) -> str:
    """``"sticky"`` as the course language says it."""
    return _(f"platform.router.{kind}")


def redis_name(kind: str) -> str:
    """``backing.EMBEDDED`` or ``backing.ATTACHED`` as the course language says it."""
    return _(f"platform.redis.{_REDIS_KINDS.get(kind, kind)}")
