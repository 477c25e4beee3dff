"""English messages of notebook 05-sessions: titles, hints and the session checks' reasons.

Hints are shown without str.format (no values), so braces in them are literal: write
{} here, not {{}}. Reasons and next steps are formatted: {{ }} for a literal brace.
"""

MESSAGES: dict[str, str] = {
    # == 05-sessions =====================================================================
    "05-sessions.q1.title": "05 · q1 · a session store in Redis with a TTL",
    "05-sessions.q1.hint.1": "Every process must find every session, and a session must "
    "end on its own when nobody uses it. So the session lives in Redis, under a key that "
    "contains its id (for example session:<id>), and every write gives the key a lifetime "
    "of SESSION_TTL seconds. Reading a session is 'using' it: give it a full lifetime "
    "again each time.",
    "05-sessions.q1.hint.2": "Store the session dict as one JSON string: SET key value "
    "EX ttl (redis-py: r.set(key, json.dumps(data), ex=TTL)) writes the value and its "
    "lifetime in one command; a plain SET without ex= removes the lifetime. GET returns "
    "None for a session that expired; EXPIRE key ttl refreshes the lifetime on a read; DEL "
    "ends a session. secrets.token_urlsafe(32) makes an id nobody can guess.",
    "05-sessions.q1.hint.3": "Read the TTL once at import: int(os.environ.get('SESSION_TTL', "
    "'1800')). The check runs your app with a short SESSION_TTL and looks at TTL of your "
    "key after each request: it must be above 0 and at most SESSION_TTL.",
    "05-sessions.q2.title": "05 · q2 · logging in and out safely",
    "05-sessions.q2.hint.1": "Three rules. At login, throw away whatever session id the "
    "browser sent and make a brand-new one (so nobody can choose your id for you). At "
    "logout, delete the session in Redis, not only the cookie (a copy of the cookie must "
    "become worthless). Mark the cookie HttpOnly (scripts in the page cannot read it) and "
    "SameSite=Lax (the browser leaves it out of requests that other sites start: their "
    "POST forms, their images and scripts; only a plain link to your site still carries it).",
    "05-sessions.q2.hint.2": "In the login view: if request.cookies has an old id, DEL its "
    "key; then create a new session with a fresh secrets.token_urlsafe() id. Set it with "
    "response.set_cookie(name, sid, httponly=True, samesite='Lax'), without max_age: a "
    "cookie fixed to TTL seconds at login dies while an active user's session lives on. "
    "In the logout view: DEL the key of the id in the cookie, then response.delete_cookie(name).",
    "05-sessions.q2.hint.3": "GET /me must answer 401 for a browser without a valid "
    "session: a cookie the app does not find in Redis is no session at all. Reuse the "
    "store functions you wrote for q1 (copy them into account.py).",
    # -- reasons and next steps of the session checks ------------------------------------
    "reason.no_session_cookie": "After {user} logged in, the response set no cookie, so "
    "the browser has nothing to send with the next request.",
    "next.no_session_cookie": "At login, create the session and send its id to the "
    "browser with response.set_cookie(name, session_id, ...).",
    "reason.session_not_in_redis": "{user}'s browser holds the session cookie {sid!r}, but "
    "no key in Redis contains that id. The session lives somewhere else: in the process "
    "(another process, or a restarted one, will not know it) or in the cookie itself.",
    "next.session_not_in_redis": "Store each session in Redis under a key that contains "
    "its id (e.g. session:<id>), and keep only the id in the cookie.",
    "reason.session_not_expiring": "After {request}, the session key {skey} has no "
    "lifetime (TTL -1): it would stay in Redis forever, even if the user never comes back.",
    "next.session_not_expiring": "Give the key a lifetime on every write: "
    "r.set(key, value, ex=TTL) (a SET without ex= removes an existing TTL).",
    "reason.ttl_ignores_env": "The session key {skey} lives {ttl} s, but SESSION_TTL in the "
    "environment says {env_ttl} s.",
    "next.ttl_ignores_env": "Read the lifetime from the environment: "
    "TTL = int(os.environ.get('SESSION_TTL', '1800')), and use TTL everywhere.",
    "reason.ttl_not_refreshed": "The check let {skey} nearly run out ({left:g} s left), then "
    "sent {request}, which used the session. The session's lifetime was not renewed: an "
    "active user would be logged out in the middle of shopping.",
    "next.ttl_not_refreshed": "Sliding expiry: each request that loads a session gives it "
    "a full lifetime again (EXPIRE key TTL, or GETEX key EX TTL).",
    "reason.predictable_session_id": "The session id {sid!r} can be guessed: {problem}",
    "next.predictable_session_id": "Make ids with secrets.token_urlsafe(32): long, random, "
    "and unrelated to the user, a counter or the clock.",
    "predictable.short": "it has {length} characters; at least {minimum} random ones are needed.",
    "predictable.digits": "it is only digits, like a counter or a timestamp.",
    "predictable.username": "it contains the user name {user!r}.",
    "predictable.uuid1": "it is a uuid1, made from the clock and the machine's address.",
    "predictable.repeated": "an earlier login got the same id.",
    "predictable.similar": "it shares most of its beginning with an earlier id ({other!r}).",
    "reason.session_fixation": "{user} logged in while the browser held the id {chosen!r}, "
    "and that id is still a live session after the login. Whoever chose or saw that id "
    "before the login is now logged in as {user} (session fixation).",
    "next.session_fixation": "At login, ignore the id the browser sent (delete its "
    "session), create a new session with a fresh id and send that one.",
    "reason.session_survives_logout": "{user} logged out, but the session key {skey} is "
    "still in Redis. A copy of the old cookie (stolen, or on another device) still logs in.",
    "next.session_survives_logout": "At logout, DEL the session's key in Redis; deleting "
    "the cookie only tells this one browser to forget it.",
    "reason.cookie_flags": "The session cookie {name} is sent without HttpOnly and "
    "SameSite=Lax (or Strict): scripts in the page can read it, or other sites' forms "
    "and background requests can make the browser send it.",
    "next.cookie_flags": "response.set_cookie(name, sid, httponly=True, samesite='Lax').",
    "reason.cookie_dies_before_session": "{user} used the app every few seconds of "
    "simulated time and the session {skey} is still alive in Redis (TTL {ttl} s), but "
    "{user}'s browser dropped the session cookie {age} s after it was set: its Max-Age "
    "(or Expires) counts from the login, however active the user is. An active user is "
    "logged out in the middle of their work, and sliding expiry in Redis keeps a session "
    "nobody can reach.",
    "next.cookie_dies_before_session": "Let the cookie live as long as the session: set it "
    "without max_age (the browser keeps it until it is closed, and Redis decides when the "
    "session ends), or send it again with a fresh max_age on every response that renews "
    "the session.",
    "expected.cookie_lives": "the session cookie, for as long as its session lives",
    "saw.cookie_gone": "no {name} cookie any more; cookies: {cookies}",
    "expected.session_cookie": "a Set-Cookie with the new session's id",
    "expected.session_key": "a key in Redis that contains {sid!r}",
    "expected.ttl": "a TTL above 0 and at most {ttl} s (SESSION_TTL)",
    "expected.some_ttl": "a TTL above 0",
    "expected.ttl_renewed": "a TTL renewed by the request: back near {ttl} s (SESSION_TTL)",
    "saw.ttl_seconds": "TTL {skey} = {seconds:.1f} s",
    "saw.fixated": "the browser's cookie after login: {sid}; keys in Redis with the planted "
    "id: {keys}",
    "expected.random_id": "a fresh random id of 16+ characters at every login",
    "expected.new_id": "a new id after login; the old one no longer a session",
    "expected.key_deleted": "no key for the old session id",
    "saw.no_flags": "no HttpOnly, no SameSite",
    "saw.key_still_exists": "{skey} still exists (TTL {ttl})",
    "saw.same_id": "the same id before and after the login: {sid}",
    # -- the parts' titles, in feedback headings ("part: survives crashes") -------------
    "part.sessions_shared": "sessions shared",
    "part.sessions_expire": "sessions expire",
    "part.login_is_safe": "login is safe",
    "part.logout_ends_session": "logout ends session",
}
