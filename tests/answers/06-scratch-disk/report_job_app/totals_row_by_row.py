# expect: all_or_nothing=0 failed_download=2
# reason: partial_result
"""Adds each row to the totals in Redis while it reads the file: the totals grow row by row."""
import csv
import json
import os
import tempfile

import redis
import requests

r = redis.Redis.from_url(os.environ["REDIS_URL"], decode_responses=True)
FILES_URL = os.environ["FILES_URL"]
DOWNLOAD_TIMEOUT = 2
REPORT = "report:"


def summarise_file(path):
    orders = units = revenue = 0
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            orders += 1
            units += int(row["qty"])
            revenue += int(row["qty"]) * int(row["price_cents"])
    return {"orders": orders, "units": units, "revenue_cents": revenue}


def download(name, folder):
    path = os.path.join(folder, "orders.csv")
    with requests.get(f"{FILES_URL}/{name}", stream=True, timeout=DOWNLOAD_TIMEOUT) as response:
        response.raise_for_status()
        with open(path, "wb") as f:
            for chunk in response.iter_content(chunk_size=65536):
                f.write(chunk)
    return path


def build_report(name):
    key = REPORT + name
    r.delete(key)
    with tempfile.TemporaryDirectory() as folder:
        with open(download(name, folder), newline="") as f:
            for row in csv.DictReader(f):
                r.hincrby(key, "orders", 1)
                r.hincrby(key, "units", int(row["qty"]))
                r.hincrby(key, "revenue_cents", int(row["qty"]) * int(row["price_cents"]))
    return get_report(name)


def get_report(name):
    stored = r.hgetall(REPORT + name)
    return {field: int(stored[field]) for field in ("orders", "units", "revenue_cents")} if stored else None
