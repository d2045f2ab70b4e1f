"""gunicorn's settings for production: ``gunicorn -c deploy/gunicorn.conf.py "app:create_app()"``.

Threaded workers (``gthread``): a request waiting on PostgreSQL, or a sign-in waiting for its
turn at password hashing (``app/services/accounts/passwords.py``), holds a thread, not a
process, so the other threads of the process keep serving pages. A few processes use the cores
(Python runs one thread at a time per process). ``--preload`` builds the matching index once in
the master before the workers fork (with ``WARM_MATCHING_INDEX=true``). Sizes are set by
WEB_WORKERS and WEB_THREADS; docs/performance.md explains the choice and how to scale out.
"""

import os

bind = os.environ.get("WEB_BIND", "127.0.0.1:8000")
worker_class = "gthread"
#: Processes: about 1.5 per core (2 cores: 3).
workers = int(os.environ.get("WEB_WORKERS", "3"))
#: Threads per process; each may hold a database connection (SQLAlchemy's pool: 5 + 10 overflow).
threads = int(os.environ.get("WEB_THREADS", "8"))
#: Requests of a process that run at once (app/concurrency.py): the other threads wait their
#: turn, and a sign-in waiting for the hashing thread steps aside. Set before the app loads.
os.environ.setdefault("WEB_ACTIVE_REQUESTS", "4")
preload_app = True
timeout = 60
graceful_timeout = 30
#: Seconds a proxy's idle keep-alive connection is kept (the proxy re-uses it).
keepalive = 5


def when_ready(server):
    """After the app is preloaded, before the workers fork: warm it, freeze it for the collector."""
    from app.server_tuning import DEFAULT_GEN0_THRESHOLD, prepare_for_workers
    from app.warm_start import warm_start

    server.log.info("warm start %s", warm_start(server.app.wsgi()))
    gen0 = int(os.environ.get("WEB_GC_GEN0", DEFAULT_GEN0_THRESHOLD))
    server.log.info("garbage collector thresholds %s", prepare_for_workers(gen0))
