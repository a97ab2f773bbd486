"""The client as every per-address limit counts it: one key, used by all of them.

An IPv4 address is one client. An IPv6 client usually holds a whole /64 (2^64 addresses), and
a fresh address for each guess would make every per-address limit count one guess per
address. So an IPv6 address counts as its network of HTTPAUTH_IPV6_PREFIX_LENGTH bits (64),
written as that network's first address (``2001:db8:1:2::``), which stays a valid IP address
wherever one is stored (django-axes keeps it in a GenericIPAddressField).

``client_key(request)`` is django-axes' ``AXES_CLIENT_IP_CALLABLE`` (the lockout), httpauth's
address throttle's key, and the password reset limit's (accounts). ``REMOTE_ADDR`` itself
stays exact, for the session lists and the logs.
"""

import functools
import ipaddress

from django.http import HttpRequest

from httpauth.conf import app_settings


def client_key(request: HttpRequest) -> str:
    """The key of the request's client: its IPv4 address, or its IPv6 network (see above);
    whatever ``REMOTE_ADDR`` holds when it is not an IP address."""
    return key_of(request.META.get("REMOTE_ADDR", ""), app_settings.IPV6_PREFIX_LENGTH)


@functools.lru_cache(maxsize=1024)
def key_of(address: str, ipv6_prefix_length: int) -> str:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address
    if ip.version == 4:
        return address
    if ip.ipv4_mapped is not None:  # ::ffff:192.0.2.1 is the IPv4 client 192.0.2.1
        return str(ip.ipv4_mapped)
    return str(ipaddress.ip_network(f"{ip}/{ipv6_prefix_length}", strict=False).network_address)
