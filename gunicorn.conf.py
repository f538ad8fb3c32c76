"""gunicorn settings for SEND Tracker (README "Deployment"): `gunicorn -c gunicorn.conf.py send_tracker.wsgi`.

Every value can be changed from the environment without a new image.
"""

from __future__ import annotations

import gc
import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    return int(raw) if raw else default


wsgi_app = "send_tracker.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Sync workers: one request at a time each, so a slow PDF render never shares a process with a page. The
# classic 2 × cores + 1 keeps every core busy while some workers wait on PostgreSQL. Each worker holds one
# database connection (kept for DATABASE_CONN_MAX_AGE seconds), so replicas × workers must stay below
# PostgreSQL's max_connections (100 by default).
workers = _int("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1)
# GUNICORN_THREADS > 1 switches to gthread workers (threads per worker), e.g. behind a load balancer that
# does not buffer slow clients; the default keeps one thread per process.
threads = _int("GUNICORN_THREADS", 1)

# Load Django and import every view once in the master process, before forking: workers start (and restart
# after max_requests) already warm instead of spending seconds on imports during their first request, and
# share that memory copy-on-write. Code changes need a new container (or a full restart), not a HUP.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") != "0"


def when_ready(server) -> None:
    """In the master, with the app preloaded: import the URLconf (and so every view), drop any database
    connection so that no worker inherits a socket it would share with its siblings, and freeze what is
    loaded out of the garbage collector's reach.

    Frozen objects (about 170,000: Django and every module) are never walked by a full collection, which
    otherwise took 80–130 ms of whichever request set it off (tests/bench), nor written to by one, so the
    workers keep sharing their pages with the master.
    """
    if not preload_app:
        return
    from django.db import connections
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (loading it imports every view)
    connections.close_all()
    gc.collect()
    gc.freeze()


# A request still running after this long is killed (the committee paper PDF takes about 3 s at most).
timeout = _int("GUNICORN_TIMEOUT", 60)
# On a deploy or scale-in, requests in flight get this long to finish.
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Longer than a load balancer's idle timeout would be pointless; used by gthread workers only.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so memory taken by a large PDF render is given back; jitter staggers them.
max_requests = _int("GUNICORN_MAX_REQUESTS", 1000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 100)

# Containers often have a disk-backed /tmp; the workers' heartbeat files belong in memory.
SHARED_MEMORY = "/dev/shm"  # noqa: S108 (only gunicorn's own heartbeat files, as its docs advise)
if os.path.isdir(SHARED_MEMORY):
    worker_tmp_dir = SHARED_MEMORY

# Access log to stdout without personal data: no client address, user, query string (search terms and
# filters), referrer or user agent; the method, the path (ids only), status, size, time in ms and worker.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms %(p)s'
errorlog = "-"
# gunicorn's control socket (for gunicornc) is not used here, and would need a writable home directory.
control_socket_disable = True
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
