"""Where deliveries may go: never the platform's own network.

A target's host is resolved and every address it resolves to must be a public one (no
loopback, private, link-local, shared, multicast, reserved or unspecified address, in
IPv4 or IPv6, IPv4-mapped included). It is checked when the endpoint is registered and
again at every send, on the addresses the connection then uses (`transport.post`), so a
name that later resolves inside (DNS rebinding) is refused. Plain HTTP and local targets
are allowed only with `WEBHOOK_ALLOW_LOCAL_TARGETS` (tests and a developer's machine).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


class TargetRefused(Exception):
    """The address may not receive deliveries; the message says why, for the owner."""


def local_targets_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_LOCAL_TARGETS", False))


def address_is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def split_target(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an acceptable URL, or TargetRefused."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as error:
        raise TargetRefused(_("This address is not a valid URL.")) from error
    scheme, host = parts.scheme.lower(), parts.hostname
    allowed = {"https", "http"} if local_targets_allowed() else {"https"}
    if scheme not in allowed:
        raise TargetRefused(_("Deliveries go only to https:// addresses."))
    if not host:
        raise TargetRefused(_("This address names no host."))
    if parts.username or parts.password:
        raise TargetRefused(_("Put no user name or password in the address."))
    return scheme, host, port or (443 if scheme == "https" else 80)


def resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise TargetRefused(_("This host name does not resolve.")) from error
    return list(dict.fromkeys(info[4][0] for info in infos))


def checked_addresses(host: str, port: int) -> list[str]:
    """Every address `host` resolves to, all of them allowed, or TargetRefused."""
    addresses = resolve(host, port)
    if not addresses:
        raise TargetRefused(_("This host name does not resolve."))
    if not local_targets_allowed() and not all(address_is_public(a) for a in addresses):
        raise TargetRefused(
            _(
                "This address leads to a private or reserved network; deliveries go only "
                "to public addresses."
            )
        )
    return addresses


def check_target(url: str) -> None:
    """Refuse a URL that may not receive deliveries (when it is registered)."""
    _scheme, host, port = split_target(url)
    checked_addresses(host, port)
