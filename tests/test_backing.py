import threading

import redis

from autograder import backing
from autograder.backing import RedisService


def test_embedded_service_speaks_redis_over_tcp(redis_service):
    assert redis_service.kind == backing.EMBEDDED
    assert redis_service.url.startswith("redis://127.0.0.1:")
    client = redis.Redis.from_url(redis_service.url)
    assert client.incr("n") == 1
    assert client.eval("return redis.call('INCR', KEYS[1])", 1, "n") == 2  # Lua works
    client.close()


def test_close_leaves_no_server_thread(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    before = {t.name for t in threading.enumerate()}
    service = RedisService()
    client = service.client()
    client.set("k", "v")  # an open, idle connection must not block shutdown
    service.close()
    client.close()
    alive = {t.name for t in threading.enumerate()} - before
    assert "autograder-fakeredis" not in alive


def test_attaches_to_redis_url_from_environment(monkeypatch, redis_service):
    monkeypatch.setenv("REDIS_URL", redis_service.url)
    attached = RedisService()
    assert attached.kind == backing.ATTACHED
    attached.admin.set("seen", "yes")
    assert redis_service.admin.get("seen") == "yes"
    attached.close()  # does not stop a server it did not start
    assert redis_service.admin.ping()


def test_snapshot_lists_types_and_ttls(redis_service):
    admin = redis_service.admin
    admin.set("s", "1", ex=100)
    admin.hset("h", mapping={"a": "1"})
    admin.rpush("l", "x", "y")
    admin.sadd("set", "b", "a")
    rows = {row["key"]: row for row in redis_service.snapshot()}
    assert rows["s"]["type"] == "string" and 0 < rows["s"]["ttl"] <= 100
    assert rows["h"]["value"] == {"a": "1"}
    assert rows["l"]["value"] == ["x", "y"]
    assert rows["set"]["value"] == ["a", "b"]
    assert rows["h"]["ttl"] == -1


def test_shared_service_sets_redis_url_and_marks_it_embedded(monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("AUTOGRADER_EMBEDDED_URL", raising=False)
    monkeypatch.setattr(backing, "_shared", None)
    service = backing.shared_service()
    try:
        import os

        assert os.environ["REDIS_URL"] == service.url == os.environ["AUTOGRADER_EMBEDDED_URL"]
        assert backing.shared_service() is service
    finally:
        backing._close_shared()


def test_closing_the_shared_service_takes_back_redis_url(monkeypatch):
    import os

    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.setattr(backing, "_shared", None)
    backing.shared_service()
    backing._close_shared()
    assert "REDIS_URL" not in os.environ and "AUTOGRADER_EMBEDDED_URL" not in os.environ
