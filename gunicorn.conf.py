"""gunicorn's settings for ``gunicorn app:server`` (gunicorn reads this file from the folder it starts in).

Every value comes from the environment, with defaults for one machine behind a reverse proxy on the
same host.  Command-line options (``-w``, ``-b``) still win over this file.
"""

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
