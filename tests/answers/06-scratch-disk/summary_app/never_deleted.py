# expect: private_temp_files=2 clean_disk=0
# reason: left_on_disk
"""A fresh temp file per request, but never deleted: the disk fills up."""
import csv
import os
import tempfile

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
    with tempfile.NamedTemporaryFile(suffix=".csv", delete=False) as f:
        path = f.name
        with requests.get(f"{FILES_URL}/{name}", stream=True, timeout=DOWNLOAD_TIMEOUT) as response:
            response.raise_for_status()
            for chunk in response.iter_content(chunk_size=65536):
                f.write(chunk)
    return summarise_file(path)
