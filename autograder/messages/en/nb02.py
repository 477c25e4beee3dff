"""English messages of notebook 02-backing-services: titles, hints and prediction feedback."""

MESSAGES: dict[str, str] = {
    # == 02-backing-services ============================================================
    "02-backing-services.q1.title": "02 · q1 · user profiles in a Redis hash",
    "02-backing-services.q1.hint.1": "One hash per user holds the fields; one set per user "
    "holds the tags. Put the user in each key name.",
    "02-backing-services.q1.hint.2": "HSET key mapping={{...}} writes several fields, "
    "HGETALL reads them back ({{}} when the key does not exist); SADD and SMEMBERS handle "
    "the tags. decode_responses=True gives you str instead of bytes.",
    "02-backing-services.q2.title": "02 · q2 · a shopping cart that survives anything",
    "02-backing-services.q2.hint.1": "A cart is a map from item to quantity: a Redis hash "
    "per user, cart:<user>.",
    "02-backing-services.q2.hint.2": "HINCRBY adds to a quantity and returns the new one; "
    "HDEL removes an item; HGETALL reads the cart (convert the counts to int); DEL empties it.",
}
