# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: state_lost_on_restart
# The mutable-default "static variable" trick: the dict is made once per process.
def _store(store={}):  # noqa: B006 -- on purpose: the default is created once and reused
    return store


def hit():
    store = _store()
    store["hits"] = store.get("hits", 0) + 1
    return store["hits"]


def count():
    return _store().get("hits", 0)
