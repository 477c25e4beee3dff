"""English messages of notebook 04-atomicity: titles, hints, race feedback, reason codes.

Hints are shown without str.format (no values), so braces in them are literal: write
{} here, not {{}}.
"""

MESSAGES: dict[str, str] = {
    # == 04-atomicity ===================================================================
    "04-atomicity.q1.title": "04 · q1 · a poll that counts every vote",
    "04-atomicity.q1.hint.1": "vote() must not read the count into the process and write "
    "back a new one: between your read and your write another process may vote, and your "
    "write erases its vote. Ask Redis to do the adding, in one command.",
    "04-atomicity.q1.hint.2": "One hash per poll (poll:<name>), a field per option: "
    "HINCRBY poll:<name> option 1 adds one and returns the new count in a single step. "
    "HGETALL reads the whole poll (the counts come back as str: convert them with int()).",
    "04-atomicity.q2.title": "04 · q2 · tickets that are never oversold",
    "04-atomicity.q2.hint.1": "The danger is the gap between 'are there enough tickets?' "
    "and 'take them': another process can take the same tickets inside that gap. Either "
    "make the check and the taking one step that Redis runs on its own, or let Redis "
    "tell you that something changed in between and try again.",
    "04-atomicity.q2.hint.2": "Two ways that work: (1) WATCH the stock key, GET it, then "
    "MULTI / DECRBY / HINCRBY / EXEC, and start again from WATCH when EXEC fails "
    "(redis-py: r.transaction(fn, key) retries for you); (2) a Lua script run with EVAL "
    "(r.register_script) that checks and takes in one go. Count each user's tickets with "
    "HINCRBY. 'DECRBY first and INCRBY back if below 0' does not work: until it gives "
    "them back, the stock looks smaller than it is, and other buyers are refused.",
    "04-atomicity.q2.hint.3": "cancel() has its own gap: read a user's tickets, give "
    "them back, forget them. Two cancels at once may give the same tickets back twice. "
    "HGETDEL is not everywhere; a transaction (WATCH the user's count and the stock) or "
    "a Lua script that reads, returns and deletes in one go is safe.",
    "04-atomicity.tally": "the processes were told yes {sold} times out of "
    "{attempts} tries, for {tickets} tickets; remaining() says {left}",
    "04-atomicity.summary.correct": "Every response matched, in every race: paused "
    "requests, other processes in between, and many processes at once.",
    "04-atomicity.audit.lost_update": "After {votes} concurrent requests the totals do not "
    "add up: some updates were lost (a process wrote back a value it had read before "
    "another process changed it).",
    "04-atomicity.audit.oversold": "Your app said yes {sold} times, but there were only "
    "{tickets} tickets: it oversold.",
    # -- reason codes of this notebook ---------------------------------------------------
    "reason.oversold": "{handler}() on pid {pid} sold tickets that were already gone: it "
    "decided on a number it had read before another process took them.",
    "next.oversold": "Make 'check the stock' and 'take the tickets' one atomic step: "
    "WATCH/MULTI/EXEC with a retry, or a Lua script.",
    "reason.lost_update": "{handler}() on pid {pid} answered from a value that another "
    "process had already changed: an update was lost between a read and a write.",
    "next.lost_update": "Never read a value into the process to write back a new one. Let "
    "Redis change it in place (INCR, HINCRBY, DECRBY), or guard the read with WATCH and "
    "retry, or do it in a Lua script.",
    "reason.gave_up": "{handler}() on pid {pid} refused although there were enough "
    "tickets: another process changed the stock in the middle, and your app gave up "
    "instead of trying again.",
    "reason.refused_while_overdrawn": "{handler}() on pid {pid} refused although there "
    "were always enough tickets: another request had just taken more than there were "
    "(the stock went below 0) and had not yet given them back. A buyer may be refused "
    "only when there really are not enough tickets.",
    "next.refused_while_overdrawn": "Do not take first and give back later: for a moment "
    "the stock is wrong for everyone. Check and take in one atomic step: a Lua script, "
    "or WATCH / GET / MULTI / DECRBY / EXEC with a retry.",
    "next.gave_up": "A failed EXEC (WatchError) means 'someone else was faster', not 'sold "
    "out': start again from WATCH and read the new stock (r.transaction() retries for you).",
    # -- the parts' titles, in feedback headings ("part: survives crashes") -------------
    "part.votes_race": "votes race",
    "part.votes_under_load": "votes under load",
    "part.never_oversells": "never oversells",
    "part.never_loses_reservations": "never loses reservations",
    "part.tickets_under_load": "tickets under load",
}
