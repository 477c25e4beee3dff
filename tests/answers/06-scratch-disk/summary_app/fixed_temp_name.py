# expect: private_temp_files=0 clean_disk=2
# reason: temp_file_shared
"""One temp file name for every request: orders.csv in the temp folder, removed after."""
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
    path = os.path.join(tempfile.gettempdir(), "orders.csv")
    try:
        with requests.get(f"{FILES_URL}/{name}", stream=True, timeout=DOWNLOAD_TIMEOUT) as response:
            response.raise_for_status()
            with open(path, "wb") as f:
                for chunk in response.iter_content(chunk_size=65536):
                    f.write(chunk)
        return summarise_file(path)
    finally:
        if os.path.exists(path):
            os.remove(path)
