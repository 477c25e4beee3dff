# expect: all_or_nothing=0 failed_download=2
# reason: partial_result
"""Deletes the old report and writes the new one as soon as the first rows are counted."""
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
    totals = {"orders": 0, "units": 0, "revenue_cents": 0}
    with tempfile.TemporaryDirectory() as folder:
        with open(download(name, folder), newline="") as f:
            for n, row in enumerate(csv.DictReader(f)):
                totals["orders"] += 1
                totals["units"] += int(row["qty"])
                totals["revenue_cents"] += int(row["qty"]) * int(row["price_cents"])
                if n % 500 == 0:  # show progress to whoever asks
                    r.set(REPORT + name, json.dumps(totals))
    r.set(REPORT + name, json.dumps(totals))
    return totals


def get_report(name):
    stored = r.get(REPORT + name)
    return json.loads(stored) if stored is not None else None
