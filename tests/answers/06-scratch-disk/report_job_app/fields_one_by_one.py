# expect: all_or_nothing=0 failed_download=2
# reason: partial_result
"""Stores the report field by field in a hash: a reader can find half of it."""
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
    with tempfile.TemporaryDirectory() as folder:
        report = summarise_file(download(name, folder))
    for field, value in report.items():
        r.hset(REPORT + name, field, value)
    return report


def get_report(name):
    stored = r.hgetall(REPORT + name)
    return {field: int(value) for field, value in stored.items()} if stored else None
