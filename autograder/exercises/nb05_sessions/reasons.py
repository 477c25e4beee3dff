"""The reason codes of 05's checks (messages: reason.<code> and next.<code> in nb05.py)."""

from __future__ import annotations

SESSION_NOT_IN_REDIS = "session_not_in_redis"
SESSION_NOT_EXPIRING = "session_not_expiring"
TTL_IGNORES_ENV = "ttl_ignores_env"
TTL_NOT_REFRESHED = "ttl_not_refreshed"
PREDICTABLE_SESSION_ID = "predictable_session_id"
SESSION_FIXATION = "session_fixation"
SESSION_SURVIVES_LOGOUT = "session_survives_logout"
COOKIE_FLAGS = "cookie_flags"
COOKIE_DIES_BEFORE_SESSION = "cookie_dies_before_session"
NO_SESSION_COOKIE = "no_session_cookie"
