"""The client's address behind the proxies the site trusts (``OPS_TRUSTED_PROXIES``).

Behind a proxy every request comes from the proxy's address; the client's is in
``X-Forwarded-For``, which any client can also send. ``ClientAddressMiddleware`` believes
that header only from a trusted proxy, and reads it from the right: each trusted proxy
appends the address it saw, so the first address from the right that is not a trusted
proxy is the client's; what lies to its left the client wrote itself. That address
replaces ``REMOTE_ADDR``, which django-axes (its lockouts), the session lists ("From") and
gunicorn's access log all read: this is the one place the client's address is worked out.
The default, no trusted proxy, believes no header.

gunicorn trusts the proxy's scheme header (``X-Forwarded-Proto``) from the same addresses
(``gunicorn.conf.py``), so ``request.is_secure()`` is true only for what the proxy says.
"""

import functools
import ipaddress

from ops.conf import app_settings


@functools.lru_cache(maxsize=8)
def _networks(trusted):
    return tuple(ipaddress.ip_network(network) for network in trusted)


def _address(text):
    """An IP address from a forwarded hop (``"203.0.113.7"``, ``"[2001:db8::1]:443"``), or
    None when it is not one."""
    text = text.strip()
    if text.startswith("["):
        text = text[1 : text.find("]")]
    elif text.count(":") == 1:
        text = text.partition(":")[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def from_trusted_proxy(remote_addr, trusted):
    """Whether the peer's address is that of a trusted proxy."""
    peer = _address(remote_addr)
    return peer is not None and any(peer in net for net in _networks(tuple(trusted)))


def client_address(remote_addr, forwarded_for, trusted):
    """The client's address, from the peer's address, its X-Forwarded-For and the trusted
    proxies' networks."""
    if not forwarded_for or not from_trusted_proxy(remote_addr, trusted):
        return remote_addr
    networks = _networks(tuple(trusted))
    hops = [_address(hop) for hop in forwarded_for.split(",")]
    for hop in reversed(hops):
        if hop is None:  # a malformed hop where the client's address should be
            return remote_addr
        if not any(hop in net for net in networks):
            return str(hop)
    return str(hops[0])  # every hop is a trusted proxy: the leftmost is the client


class ClientAddressMiddleware:
    """Put the client's address in ``REMOTE_ADDR`` (early in MIDDLEWARE, see above)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        meta["REMOTE_ADDR"] = client_address(
            meta.get("REMOTE_ADDR", ""),
            meta.get("HTTP_X_FORWARDED_FOR"),
            app_settings.TRUSTED_PROXIES,
        )
        return self.get_response(request)
