# expect: private_temp_files=2 clean_disk=2
# reason: correct
"""Correct, another way: the whole body in memory (fine for files this small), no disk at all."""
import csv
import os
import io

import requests

FILES_URL = os.environ["FILES_URL"]
DOWNLOAD_TIMEOUT = 2


def summarise_file(path):
    orders = units = revenue = 0
    with open(path, newline="") as f:
        for row in csv.DictReader(f):
            orders += 1
            units += int(row["qty"])
            revenue += int(row["qty"]) * int(row["price_cents"])
    return {"orders": orders, "units": units, "revenue_cents": revenue}


def summarise(name):
    response = requests.get(f"{FILES_URL}/{name}", timeout=DOWNLOAD_TIMEOUT)
    response.raise_for_status()
    orders = units = revenue = 0
    for row in csv.DictReader(io.StringIO(response.text)):
        orders += 1
        units += int(row["qty"])
        revenue += int(row["qty"]) * int(row["price_cents"])
    return {"orders": orders, "units": units, "revenue_cents": revenue}
