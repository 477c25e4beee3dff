# expect: private_temp_files=0 clean_disk=0
# reason: stale_copy
"""Keeps each downloaded file on disk "for next time" and reuses it when it is there."""
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
    path = os.path.join(tempfile.gettempdir(), name)
    if not os.path.exists(path):  # downloaded before? then save the download
        with requests.get(f"{FILES_URL}/{name}", stream=True, timeout=DOWNLOAD_TIMEOUT) as response:
            response.raise_for_status()
            with open(path, "wb") as f:
                for chunk in response.iter_content(chunk_size=65536):
                    f.write(chunk)
    return summarise_file(path)
