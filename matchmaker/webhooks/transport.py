"""The one HTTP seam: POST a signed body to an endpoint, on an address checked just now.

The host is resolved and checked at send time, and the connection goes to the checked
address itself (TLS still verifies the certificate against the host name), so what was
checked is what is reached. Redirects are not followed (a redirect could point inside).
"""

from dataclasses import dataclass

import urllib3
from django.conf import settings
from django.utils.translation import gettext as _

from matchmaker.webhooks.targets import TargetRefused, checked_addresses, split_target

RESPONSE_EXCERPT_BYTES = 300


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str


class DeliveryFailed(Exception):
    """No HTTP answer (refused target, timeout, connection or TLS error)."""


def post(url: str, body: bytes, headers: dict) -> Answer:
    try:
        scheme, host, port = split_target(url)
        address = checked_addresses(host, port)[0]
    except TargetRefused as error:
        raise DeliveryFailed(str(error)) from error
    timeout = urllib3.Timeout(
        connect=settings.WEBHOOK_TIMEOUT_SECONDS, read=settings.WEBHOOK_TIMEOUT_SECONDS
    )
    default_port = 443 if scheme == "https" else 80
    host_header = host if port == default_port else f"{host}:{port}"
    if ":" in host and not host.startswith("["):
        host_header = f"[{host}]" if port == default_port else f"[{host}]:{port}"
    pool_options = {"timeout": timeout, "retries": False, "maxsize": 1}
    if scheme == "https":
        pool = urllib3.HTTPSConnectionPool(
            address,
            port,
            server_hostname=host,
            assert_hostname=host,
            cert_reqs="CERT_REQUIRED",
            **pool_options,
        )
    else:
        pool = urllib3.HTTPConnectionPool(address, port, **pool_options)
    parts = urllib3.util.parse_url(url)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        response = pool.urlopen(
            "POST",
            path,
            body=body,
            headers={**headers, "Host": host_header, "User-Agent": "matchmaker-webhooks/1"},
            redirect=False,
            preload_content=False,
        )
        excerpt = response.read(RESPONSE_EXCERPT_BYTES)
        response.release_conn()
    except urllib3.exceptions.TimeoutError as error:
        raise DeliveryFailed(_("No answer in time.")) from error
    except urllib3.exceptions.SSLError as error:
        raise DeliveryFailed(_("The receiver's TLS certificate was refused.")) from error
    except urllib3.exceptions.HTTPError as error:
        raise DeliveryFailed(_("Could not connect to the receiver.")) from error
    finally:
        pool.close()
    return Answer(response.status, excerpt.decode("utf-8", "replace"))
