"""How a delivery is signed, and how a receiver checks it (the README shows the same
check for a bank's own system, with no dependency on this code).

The signature is HMAC-SHA256, keyed with the endpoint's secret, over
``f"{timestamp}.{body}"``, where the timestamp is the send time in Unix seconds (its
header) and the body the exact bytes received. A receiver refuses a timestamp outside
its replay window (five minutes is our advice) and deduplicates on the event id.
"""

import hashlib
import hmac
import secrets
import time

SIGNATURE_HEADER = "X-Matchmaker-Signature"
TIMESTAMP_HEADER = "X-Matchmaker-Timestamp"
EVENT_ID_HEADER = "X-Matchmaker-Event-Id"
EVENT_TYPE_HEADER = "X-Matchmaker-Event"
DELIVERY_HEADER = "X-Matchmaker-Delivery"
SCHEME = "v1"
REPLAY_WINDOW_SECONDS = 300


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """``v1=<hex digest>``: the value of the signature header."""
    message = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def signed_headers(secret: str, body: bytes, event_id: str, event_type: str, now=None) -> dict:
    timestamp = int(now if now is not None else time.time())
    return {
        "Content-Type": "application/json",
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        TIMESTAMP_HEADER: str(timestamp),
        EVENT_ID_HEADER: event_id,
        EVENT_TYPE_HEADER: event_type,
    }


def verify(
    secret: str,
    body: bytes,
    signature_header: str,
    timestamp_header: str,
    now: float | None = None,
    window: int = REPLAY_WINDOW_SECONDS,
) -> bool:
    """True when the body was signed with `secret` at a time inside the replay window."""
    try:
        timestamp = int(timestamp_header)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - timestamp) > window:
        return False
    expected = signature(secret, timestamp, body)
    return hmac.compare_digest(expected.encode(), (signature_header or "").encode())
