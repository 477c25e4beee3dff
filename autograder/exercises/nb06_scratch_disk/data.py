"""06's data: CSVs of orders, what a correct app makes of one, and the checker's file host."""

from __future__ import annotations

import csv
import io
import random

from ...filehost import FILES_URL, FileHost

ITEMS = {"apple": 45, "bread": 320, "cheese": 780, "dates": 510, "eggs": 290, "figs": 640}
ROWS = 1500  # about 30 KB: the notebook's files, big enough to stop half way through
CHECK_ROWS = 400  # about 8 KB: the checks parse every file many times, so keep it small


def orders_csv(rng: random.Random, rows: int = ROWS) -> bytes:
    """A CSV of orders: order_id,item,qty,price_cents (one header line)."""
    out = io.StringIO()
    out.write("order_id,item,qty,price_cents\n")
    start = rng.randint(10_000, 90_000)
    for n in range(rows):
        item = rng.choice(sorted(ITEMS))
        out.write(f"{start + n},{item},{rng.randint(1, 9)},{ITEMS[item] + rng.randint(0, 40)}\n")
    return out.getvalue().encode()


_summaries: dict[bytes, dict] = {}


def summary_of(data: bytes) -> dict:
    """What a correct app answers for one CSV: orders, units and revenue in cents."""
    if data not in _summaries:
        _summaries[data] = _add_up(data)
    return dict(_summaries[data])


def _add_up(data: bytes) -> dict:
    orders = units = revenue = 0
    for row in csv.DictReader(io.StringIO(data.decode())):
        orders += 1
        units += int(row["qty"])
        revenue += int(row["qty"]) * int(row["price_cents"])
    return {"orders": orders, "units": units, "revenue_cents": revenue}


_host: FileHost | None = None


def host() -> FileHost:
    """The checker's private file host (one per checker process, started on first use)."""
    global _host
    if _host is None:
        _host = FileHost()
    return _host


def fresh_host(seed: int, names: list[str], rows: int = CHECK_ROWS) -> FileHost:
    files = host()
    files.reset()
    rng = random.Random(seed * 7919)
    for name in names:
        files.put(name, orders_csv(rng, rows + rng.randint(0, 100)))
    return files


def host_env() -> dict[str, str]:
    return {FILES_URL: host().url}
