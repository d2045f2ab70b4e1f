"""The warm start before the fork (app/warm_start.py): what a worker's first request would do."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

SCRIPT = textwrap.dedent(
    """
    import sys
    from app import create_app
    from app.warm_start import warm_start

    app = create_app()
    names = app.jinja_env.list_templates()
    print("before", len(app.jinja_env.cache), "numpy.ma" in sys.modules)
    counts = warm_start(app)
    print("after", len(app.jinja_env.cache), "numpy.ma" in sys.modules, len(names))
    print("counts", counts["templates"], counts["languages"], counts["proposals"])

    # A migrated database with a request awaiting a decision: the proposal is ranked once.
    from sqlmodel import Session
    from app.migrate import upgrade
    from app.models.enums import Role
    from tests.factories import Factory

    upgrade(app.config["DATABASE_URL"])
    engine = app.extensions["db_engine"]
    with Session(engine) as session:
        factory = Factory(session)
        factory.booking_request(factory.user(Role.ORDERER))
        session.commit()
    again = warm_start(app)
    print("ranked", again["proposals"], engine.pool.checkedout())
    """
)


def test_a_fresh_process_has_every_template_compiled_and_numpys_lazy_module_loaded(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": str(ROOT),
            "DATABASE_URL": f"sqlite:///{tmp_path / 'warm.db'}",
            "SECRET_KEY": "w" * 40,
        },
    )
    assert done.returncode == 0, done.stderr
    lines = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)
    cached, loaded = lines["before"].split()
    assert (cached, loaded) == ("0", "False")
    cached, loaded, listed = lines["after"].split()
    assert loaded == "True"
    assert int(listed) > 100 and int(cached) == int(listed)
    # An empty database (no tables yet) ranks nothing and does not stop the start.
    assert lines["counts"].split() == [listed, "2", "0"]
    assert lines["ranked"].split() == ["1", "0"]
