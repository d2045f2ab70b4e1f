"""Garbage-collector settings for the preforked web server (``deploy/gunicorn.conf.py``).

The master process builds the app and the matching index before forking the workers
(``preload_app``): a few hundred thousand objects that live as long as the process. CPython's
cyclic collector walks every tracked object of a generation when that generation is collected,
so each full collection walks all of them again, in every worker, while the request threads
wait on the interpreter lock. ``gc.freeze()`` moves them to a permanent generation that no
collection visits (and the workers' copies of those pages stay shared: a collection writes to
the objects it visits). A request allocates thousands of short-lived objects (ORM rows,
template output); with eight request threads in flight, a young-generation threshold of 700
collects many times a request and promotes the live objects of the other threads, which the
older generations then walk again. A larger first threshold collects less often; memory stays
bounded because reference counting frees almost all of them at once, and cycles wait at most
one collection longer. The figures of the choice are in docs/performance.md ("Round
three").
"""

from __future__ import annotations

import gc

#: Allocations (minus deallocations) before a young-generation collection; CPython's is 700.
DEFAULT_GEN0_THRESHOLD = 50_000


def prepare_for_workers(gen0: int = DEFAULT_GEN0_THRESHOLD) -> tuple[int, int, int]:
    """Freeze what the master built and set the collector's thresholds; return them.

    ``gen0`` is the young-generation threshold (gunicorn's ``WEB_GC_GEN0``; 0 keeps CPython's
    own); the older generations keep CPython's ratios.
    """
    gc.collect()
    gc.freeze()
    _default0, gen1, gen2 = gc.get_threshold()
    if gen0 > 0:
        gc.set_threshold(gen0, gen1, gen2)
    return gc.get_threshold()
