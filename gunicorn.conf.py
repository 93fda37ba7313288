"""gunicorn's settings for ``gunicorn app:server`` (gunicorn reads this file from the folder it starts in).

Every value comes from the environment, with defaults for one machine behind a reverse proxy on the
same host.  Command-line options (``-w``, ``-b``) still win over this file.
"""

import gc
import os

bind = os.getenv("GUNICORN_BIND", f"{os.getenv('HOST', '127.0.0.1')}:{os.getenv('PORT', '8050')}")
# Processes, not threads, carry the load: pages are CPU-bound Python. Two per core is a fair start.
workers = int(os.getenv("WEB_CONCURRENCY", str(2 * (os.cpu_count() or 1))))
# A board pack or a large import may take a while; anything longer is stuck.
timeout = int(os.getenv("GUNICORN_TIMEOUT", "120"))
graceful_timeout = 30
# Recycle workers now and then, so a slow leak in any library can never grow without bound.
max_requests = int(os.getenv("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Which proxies may set X-Forwarded-* (gunicorn's own check; the app's TRUSTED_PROXIES decides what it
# believes).
forwarded_allow_ips = os.getenv("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.getenv("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"


# Python's cyclic garbage collector now and then walks every object that has survived two collections.
# A worker holds about 180,000 after start-up (Dash, plotly, pandas, SQLAlchemy and the app's layout), so
# each such walk took about 100 ms and fell on one filter change in ten or so: it was the page's 90th
# percentile.  Freezing what start-up made takes it out of the collector's sight (it lives as long as
# the worker anyway); what requests make is still collected.  A larger first generation (700 by
# default) also means fewer collections while a page builds its many short-lived objects.
GC_FIRST_GENERATION = 5000


def post_worker_init(worker):
    """Once the worker has imported the app: draw the board's pages once (pages._warm_up), collect
    start-up's garbage, then freeze what is left."""
    if worker is not None:
        from pages._warm_up import warm_up

        warm_up(worker.wsgi)
    gc.collect()
    gc.freeze()
    _, second, third = gc.get_threshold()
    gc.set_threshold(GC_FIRST_GENERATION, second, third)
