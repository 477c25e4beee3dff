"""The reference solutions pass on the embedded fakeredis AND on a real redis-server."""

from __future__ import annotations

import pytest

from tests.course_index import all_exercises, is_app, reference_body

APP_PARTS = [(ex, part) for ex in all_exercises() if is_app(ex) for part in ex.parts]
IDS = [f"{ex.notebook}-{ex.name}-{part}" for ex, part in APP_PARTS]


@pytest.mark.parametrize("exercise, part", APP_PARTS, ids=IDS)
def test_reference_passes_on_embedded_fakeredis(exercise, part, tmp_path, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = tmp_path / exercise.app_file
    app.write_text(reference_body(exercise))
    result = exercise.evaluate(part, hidden=True, app=app)
    assert result.passed, result.text()


@pytest.mark.redis_server
@pytest.mark.parametrize("exercise, part", APP_PARTS, ids=IDS)
def test_reference_passes_on_a_real_redis_server(
    exercise, part, tmp_path, monkeypatch, redis_server_url
):
    monkeypatch.setenv("REDIS_URL", redis_server_url)
    app = tmp_path / exercise.app_file
    app.write_text(reference_body(exercise))
    result = exercise.evaluate(part, hidden=True, app=app)
    assert result.passed, result.text()
