"""Exit 0 when the app process on 127.0.0.1:$PORT answers /livez with 200 (the container's
HEALTHCHECK; Kubernetes sends the same request from its probes, deploy/helm).

Production settings answer only host names in ALLOWED_HOSTS and send plain HTTP to HTTPS: the
request names the first allowed host and says it came over HTTPS, as the proxy in front does.
"""

import os
import sys
import urllib.request


def allowed_host(allowed_hosts: str) -> str:
    """A host name that ALLOWED_HOSTS (comma-separated) accepts."""
    for host in (part.strip() for part in allowed_hosts.split(",")):
        if host == "*":
            return "localhost"
        if host:
            return host.removeprefix(".")
    return "localhost"


def main() -> int:
    port = int(os.environ.get("PORT", "8000"))
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/livez",
        headers={
            "Host": allowed_host(os.environ.get("ALLOWED_HOSTS", "")),
            "X-Forwarded-Proto": "https",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310 (local)
            return 0 if response.status == 200 else 1
    except OSError as error:
        print(f"/livez: {error}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
