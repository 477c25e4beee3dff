# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: state_lost_on_restart
# The laptop habit: the count lives in the process's memory.
hits = 0


def hit():
    global hits
    hits += 1
    return hits


def count():
    return hits
