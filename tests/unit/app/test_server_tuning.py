"""The web server's collector settings and warm start (app/server_tuning.py, deploy/gunicorn.conf.py)."""

from __future__ import annotations

import gc
import importlib.util
import logging
from pathlib import Path

import pytest

from app.server_tuning import DEFAULT_GEN0_THRESHOLD, prepare_for_workers

CONF = Path(__file__).resolve().parents[3] / "deploy" / "gunicorn.conf.py"


@pytest.fixture
def restored_gc():
    before = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*before)


def test_freezes_what_exists_and_raises_the_young_threshold(restored_gc):
    gc.unfreeze()
    kept = [object() for _ in range(10)]  # noqa: F841 - objects that exist before the fork
    thresholds = prepare_for_workers()
    assert gc.get_freeze_count() > 1000
    assert thresholds[0] == DEFAULT_GEN0_THRESHOLD == gc.get_threshold()[0]


def test_a_threshold_of_its_own_and_zero_keeps_cpythons(restored_gc):
    gc.set_threshold(700, 10, 10)
    assert prepare_for_workers(5000) == (5000, 10, 10)
    gc.set_threshold(700, 10, 10)
    assert prepare_for_workers(0) == (700, 10, 10)


def test_gunicorn_warms_the_app_and_freezes_it_before_forking(restored_gc, caplog, app):
    spec = importlib.util.spec_from_file_location("gunicorn_conf", CONF)
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    gc.unfreeze()
    gc.set_threshold(700, 10, 10)

    class Preloaded:
        def wsgi(self):
            return app

    class Server:
        log = logging.getLogger("gunicorn-test")
        app = Preloaded()

    with caplog.at_level(logging.INFO, logger="gunicorn-test"):
        conf.when_ready(Server())
    assert gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == DEFAULT_GEN0_THRESHOLD
    assert "garbage collector thresholds" in caplog.text
    assert len(app.jinja_env.cache) == len(app.jinja_env.list_templates())
    assert f"warm start {{'templates': {len(app.jinja_env.list_templates())}" in caplog.text
