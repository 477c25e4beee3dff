"""The file host serves real HTTP, misbehaves exactly once when asked, and the platform
reads a process's disk from outside: what notebook 06's checks stand on."""

from __future__ import annotations

import pytest
import requests

from autograder.cluster import Cluster
from autograder.filehost import (
    CUT,
    STALL,
    FileHost,
    disk_files,
    enforce_quota,
    process_disk,
)
from tests.conftest import write_app

BODY = b"order_id,item,qty,price_cents\n" + b"".join(
    b"%d,apple,%d,45\n" % (n, n % 9 + 1) for n in range(3000)
)


@pytest.fixture
def host():
    with FileHost({"orders.csv": BODY}) as files:
        yield files


def test_serves_a_file_and_404s_a_missing_one(host):
    got = requests.get(f"{host.url}/orders.csv", timeout=2)
    assert got.status_code == 200 and got.content == BODY
    missing = requests.get(f"{host.url}/nope.csv", timeout=2)
    assert missing.status_code == 404
    assert host.downloads == [("orders.csv", 200, ""), ("nope.csv", 404, "")]


def test_a_cut_download_raises_once_then_the_file_comes_whole(host):
    host.fail_next("orders.csv", CUT)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        with requests.get(f"{host.url}/orders.csv", stream=True, timeout=2) as response:
            b"".join(response.iter_content(4096))
    assert requests.get(f"{host.url}/orders.csv", timeout=2).content == BODY


def test_a_stalled_download_needs_a_timeout(host):
    host.fail_next("orders.csv", STALL)
    with pytest.raises(requests.exceptions.ConnectionError):
        with requests.get(f"{host.url}/orders.csv", stream=True, timeout=0.3) as response:
            b"".join(response.iter_content(4096))


def test_put_keeps_every_version(host):
    host.put("orders.csv", b"new")
    assert host.files["orders.csv"] == b"new"
    assert host.history["orders.csv"] == [BODY, b"new"]
    host.reset()
    assert host.files == {} and host.history == {}


KEEPER = """
import os, tempfile, requests

def fetch(name):
    path = os.path.join(tempfile.gettempdir(), name)
    with open(path, "wb") as f:
        f.write(requests.get(os.environ["FILES_URL"] + "/" + name, timeout=2).content)
    return os.path.getsize(path)

def fetch_and_clean(name):
    size = fetch(name)
    os.remove(os.path.join(tempfile.gettempdir(), name))
    return size
"""


def test_the_disk_is_read_from_outside_and_a_process_over_quota_is_evicted(
    host, tmp_path, redis_service
):
    app = write_app(tmp_path, "keeper.py", KEEPER)
    with Cluster(app, processes=2, redis=redis_service, env={"FILES_URL": host.url}) as cluster:
        assert cluster.send("fetch_and_clean", {"name": "orders.csv"}, to=0).value == len(BODY)
        assert disk_files(process_disk(cluster.processes[0])) == {}
        cluster.send("fetch", {"name": "orders.csv"}, to=1)
        assert disk_files(process_disk(cluster.processes[1])) == {"tmp/orders.csv": len(BODY)}
        before = cluster.pids
        lines = enforce_quota(cluster, quota_bytes=len(BODY) - 1)
        assert len(lines) == 1 and f"evicted pid {before[1]}" in lines[0]
        assert cluster.pids[0] == before[0] and cluster.pids[1] != before[1]
        assert disk_files(process_disk(cluster.processes[1])) == {}
        assert enforce_quota(cluster, quota_bytes=len(BODY) - 1) == []


SHARED_NAME = """
import os, tempfile, requests
PATH = os.path.join(tempfile.gettempdir(), "download.csv")

def lines(name):
    with requests.get(os.environ["FILES_URL"] + "/" + name, stream=True, timeout=2) as r:
        with open(PATH, "wb") as f:
            for chunk in r.iter_content(1024):
                f.write(chunk)
    with open(PATH) as f:
        count = sum(1 for _ in f)
    os.remove(PATH)
    return count
"""


def test_a_request_paused_half_way_through_its_download_lets_another_overwrite_its_file(
    host, tmp_path, redis_service
):
    host.put("small.csv", b"a\nb\n" * 1000)
    app = write_app(tmp_path, "shared.py", SHARED_NAME)
    with Cluster(app, processes=1, redis=redis_service, env={"FILES_URL": host.url}) as cluster:
        # Alone, both requests are right.
        assert cluster.send("lines", {"name": "orders.csv"}).value == 3001
        assert cluster.send("lines", {"name": "small.csv"}).value == 2000
        paused = cluster.begin("lines", to=0, pause_after="DOWNLOADING", name="orders.csv")
        assert paused.is_paused and paused.commands == ["DOWNLOADING"]
        assert cluster.send("lines", {"name": "small.csv"}, to=0).value == 2000
        served = paused.finish()
        assert served.error and served.error["kind"] == "FileNotFoundError"
    # Outside a begun request the hook is inert: a plain download is not disturbed.
    assert requests.get(f"{host.url}/orders.csv", timeout=2).content == BODY
