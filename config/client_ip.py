"""Who sent a request, for rate limits and the sign-in lockout.

Behind the reverse proxy every request comes from the proxy's address: counted by REMOTE_ADDR,
ten bad passwords from anyone would lock out everyone. With TRUST_PROXY_HEADERS on, the address
the proxy saw is read from X-Forwarded-For, but only from a request that really came from a
trusted proxy (TRUSTED_PROXIES), and only the hops those proxies added (TRUSTED_PROXY_COUNT):
what a client wrote into the header itself, from outside, is never believed.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 203.0.113.7:51234
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def client_ip(request: HttpRequest) -> str:
    """The address of the person behind the request (as a string, never empty)."""
    remote = _address(request.META.get("REMOTE_ADDR", "")) or ipaddress.IPv4Address(0)
    if not settings.TRUST_PROXY_HEADERS:
        return str(remote)
    trusted = _networks(tuple(settings.TRUSTED_PROXIES))
    if not any(remote in network for network in trusted):
        return str(remote)  # not through our proxy: its X-Forwarded-For is the client's own
    hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
    # Each trusted proxy appended the address it saw; walk back over exactly those hops.
    for hop in reversed(hops[-settings.TRUSTED_PROXY_COUNT :]):
        address = _address(hop)
        if address is None:
            break
        remote = address
        if not any(address in network for network in trusted):
            break
    return str(remote)
