"""Health check of the web and ws containers: does /healthz on this container answer 200?

compose.yaml runs it as `python deploy/healthcheck.py <port>`. /healthz answers 503 when the
database is down, which marks the container unhealthy; when only Redis or Elasticsearch is down
it answers 200 ("degraded"), because Serambi still serves pages then (DESIGN.md, failure model).

Django answers 400 to a Host header it does not serve, so the request names the site's host
(the first ALLOWED_HOSTS entry), as requests coming through the proxy do.
"""

from __future__ import annotations

import http.client
import os
import sys
import urllib.request

TIMEOUT_SECONDS = 5


def site_host() -> str:
    first = os.environ.get("ALLOWED_HOSTS", "").split(",")[0].strip().lstrip(".")
    return first if first and first != "*" else "localhost"


def main(port: int) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/healthz", headers={"Host": site_host()}
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            return 0 if response.status == 200 else 1
    except (OSError, http.client.HTTPException) as error:  # a 503 arrives as HTTPError
        print(f"/healthz on port {port}: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1])))
