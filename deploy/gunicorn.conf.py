"""gunicorn's settings for the `web` service of compose.yaml: Serambi's pages, over WSGI.

Sync workers: a page runs its few queries and returns. Slow clients do not hold a worker,
because the proxy in front (deploy/Caddyfile) buffers request and response bodies. The number
of workers comes from WEB_CONCURRENCY, which gunicorn reads by itself; to grow, add replicas
(WEB_REPLICAS) rather than workers.
"""

# The container's port; it is reachable only on the stack's private network, through the proxy.
bind = "0.0.0.0:8000"
worker_class = "sync"

# Both logs to the container's output, where `docker compose logs` finds them. The client's
# address is the one the proxy saw (X-Forwarded-For), not the proxy's own.
accesslog = "-"
errorlog = "-"
access_log_format = '%({x-forwarded-for}i)s "%(r)s" %(s)s %(b)s %(M)sms "%(a)s"'

# Only the proxy can reach gunicorn, so its X-Forwarded-Proto is trusted (wsgi.url_scheme).
forwarded_allow_ips = "*"

# The workers' heartbeat files live in memory, as gunicorn's docs advise for containers: on
# Docker's overlay filesystem a write to them can stall a worker long enough for it to be killed.
worker_tmp_dir = "/dev/shm"  # noqa: S108 - a directory for gunicorn's own files, not data

# Addresses of any length reach Django, which answers one over 4 KB with a page in the
# member's language (config.middleware); gunicorn's own 414 is a bare English page. The proxy
# bounds the size of a request's head (deploy/Caddyfile: max_header_size).
limit_request_line = 0

timeout = 30
graceful_timeout = 25  # within compose's stop_grace_period of 30 s

# Load Django once in the master and fork the workers from it: a recycled worker starts in
# milliseconds instead of reloading Django (0.6 to 1 s, measured with bench/).
preload_app = True
# Recycling each worker now and then bounds the damage of a slow memory leak. Not too often:
# at ~700 requests/s a limit of 2,000 restarted a worker every 3 s (bench/, p99 511 ms).
max_requests = 100_000
max_requests_jitter = 10_000
