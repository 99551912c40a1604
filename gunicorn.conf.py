"""gunicorn's settings for the portal, read from the working directory by ``gunicorn esafety.wsgi``.

Workers are sized to the machine's cores (gunicorn's rule of thumb: 2 × cores + 1); set
``WEB_CONCURRENCY`` to override. Each worker keeps its own database connection open
(``CONN_MAX_AGE``), so the database must accept web containers × workers connections.
"""

import gc
import multiprocessing
import os
import shutil
from pathlib import Path

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
timeout = 60
# Load the portal once in the master and fork the workers from it: a new or replaced worker answers at once.
preload_app = True
graceful_timeout = 30
accesslog = "-"
# Replace a worker after this many requests (jittered so they don't all restart at once): bounds memory growth.
max_requests = 2000
max_requests_jitter = 200

# With PROMETHEUS_MULTIPROC_DIR set, each worker writes its metrics there and a scrape adds them up.
# Start from an empty folder (before the portal is loaded), so an earlier run's figures are not added in.
if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    shutil.rmtree(os.environ["PROMETHEUS_MULTIPROC_DIR"], ignore_errors=True)
    Path(os.environ["PROMETHEUS_MULTIPROC_DIR"]).mkdir(parents=True)


def when_ready(server):
    """With the portal loaded in the master, compile its templates there: workers are forked warm."""
    from esafety.warmup import warm_up

    server.log.info("Warmed up before forking workers: %s", warm_up())


def pre_fork(server, worker):
    """What the master loaded lives as long as every worker: move it out of the garbage collector's
    reach, so a worker's collections scan only what its requests made (shorter pauses) and leave the
    pages shared with the master untouched."""
    gc.freeze()


def child_exit(server, worker):
    """A recycled worker's gauges no longer count (its counters stay in the totals)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
