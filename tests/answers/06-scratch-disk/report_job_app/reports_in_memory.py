# expect: all_or_nothing=0 failed_download=0
# reason: state_lost_on_restart
"""Keeps the reports in a dict of the process: other processes and restarts do not see them."""
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


reports = {}


def build_report(name):
    with tempfile.TemporaryDirectory() as folder:
        reports[name] = summarise_file(download(name, folder))
    return reports[name]


def get_report(name):
    return reports.get(name)
