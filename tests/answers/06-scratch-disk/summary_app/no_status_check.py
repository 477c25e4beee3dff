# expect: private_temp_files=2 clean_disk=0
# reason: error_hidden
"""Never looks at the status code: a 404 page is summarised as if it were the CSV."""
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
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "orders.csv")
        response = requests.get(f"{FILES_URL}/{name}", stream=True, timeout=DOWNLOAD_TIMEOUT)
        with open(path, "wb") as f:
            for chunk in response.iter_content(chunk_size=65536):
                f.write(chunk)
        return summarise_file(path)
