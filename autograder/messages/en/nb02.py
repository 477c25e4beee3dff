"""English messages of notebook 02-backing-services: titles and hints.

Hints are shown without str.format (no values), so braces in them are literal: write
{} here, not {{}}.
"""

MESSAGES: dict[str, str] = {
    # == 02-backing-services ============================================================
    "02-backing-services.q1.title": "02 · q1 · user profiles and tags in Redis",
    "02-backing-services.q1.hint.1": "Nothing may stay in the process: keep both kinds of "
    "data in Redis, in keys that name the kind of data and the user (profile:<user> and "
    "tags:<user>). The profile is a few named fields; the tags are a bag of distinct "
    "words. Which Redis type matches each?",
    "02-backing-services.q1.hint.2": "A hash for the profile: HSET key mapping={...} writes "
    "both fields, HGETALL reads them back as a dict ({} when the key does not exist). A "
    "set for the tags: SADD ignores a tag that is already there, SMEMBERS gives them back "
    "as a Python set, so sort them. Connect with decode_responses=True to get str, not "
    "bytes.",
    "02-backing-services.q2.title": "02 · q2 · a shopping cart that survives anything",
    "02-backing-services.q2.hint.1": "A cart maps each item to a quantity, so one Redis "
    "hash per user (cart:<user>) fits: a field per item, its value the quantity. Let Redis "
    "do the adding, so that no process needs to know the old quantity.",
    "02-backing-services.q2.hint.2": "HINCRBY key item qty adds to a quantity (starting "
    "from 0) and returns the new one as an int; HDEL removes a field; HGETALL reads the "
    "whole hash (the quantities come back as str: convert them with int()); DEL removes "
    "the whole cart.",
    # -- the parts' titles, in feedback headings ("part: survives crashes") -------------
    "part.profiles": "profiles",
    "part.cart_survives_restarts": "cart survives restarts",
    "part.carts_kept_apart": "carts kept apart",
}
