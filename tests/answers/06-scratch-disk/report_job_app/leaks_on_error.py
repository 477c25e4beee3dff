# expect: all_or_nothing=3 failed_download=0
# reason: left_on_disk
"""Re-downloads every time and stores the report in one SET, but an error skips the clean-up."""
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
    folder = tempfile.mkdtemp()
    report = summarise_file(download(name, folder))
    os.remove(os.path.join(folder, "orders.csv"))
    os.rmdir(folder)
    r.set(REPORT + name, json.dumps(report))
    return report


def get_report(name):
    stored = r.get(REPORT + name)
    return json.loads(stored) if stored is not None else None
