# expect: private_temp_files=2 clean_disk=0
# reason: left_on_disk
"""A private temp file, deleted after a success; an error skips the delete."""
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
    handle, path = tempfile.mkstemp(suffix=".csv")
    with os.fdopen(handle, "wb") as f:
        with requests.get(f"{FILES_URL}/{name}", stream=True, timeout=DOWNLOAD_TIMEOUT) as response:
            response.raise_for_status()
            for chunk in response.iter_content(chunk_size=65536):
                f.write(chunk)
    summary = summarise_file(path)
    os.remove(path)
    return summary
