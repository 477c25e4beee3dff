# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: state_lost_on_restart
# "builtins outlives my module, so the count will survive a reload": not a restart.
import builtins

if not hasattr(builtins, "HIT_COUNT"):
    builtins.HIT_COUNT = 0


def hit():
    builtins.HIT_COUNT += 1
    return builtins.HIT_COUNT


def count():
    return builtins.HIT_COUNT
