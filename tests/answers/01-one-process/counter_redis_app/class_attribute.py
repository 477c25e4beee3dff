# expect: counter_survives_restarts=0 counter_shared_by_processes=0
# reason: state_lost_on_restart
# A class attribute is module state with extra steps: it dies with the process.
class Counter:
    hits = 0

    @classmethod
    def add(cls):
        cls.hits += 1
        return cls.hits


def hit():
    return Counter.add()


def count():
    return Counter.hits
