"""The signature a receiver checks, and the README's verification example, run against a
real delivery's bytes and headers."""

import re
import time
from pathlib import Path

import pytest

from matchmaker.models import MatchStatus
from matchmaker.review import services as review
from matchmaker.webhooks import signing
from tests.matchmaker.review.helpers import matched_pair
from tests.matchmaker.webhooks.test_delivery import endpoint_for

README = Path(__file__).resolve().parents[3] / "README.md"


def readme_verification_example():
    """The README's Python block defining `verified`, executed as a bank would paste it."""
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(), re.S)
    [source] = [block for block in blocks if "def verified(" in block]
    namespace = {}
    exec(compile(source, "README.md", "exec"), namespace)
    return namespace["verified"]


def test_a_signature_verifies_only_with_the_same_secret_body_and_time():
    body, now = b'{"id": "x"}', int(time.time())
    header = signing.signature("whsec_a", now, body)
    assert signing.verify("whsec_a", body, header, str(now))
    assert not signing.verify("whsec_b", body, header, str(now))
    assert not signing.verify("whsec_a", body + b" ", header, str(now))
    assert not signing.verify("whsec_a", body, header, str(now + 1))


def test_a_timestamp_outside_the_replay_window_is_refused():
    body, sent = b"{}", int(time.time()) - signing.REPLAY_WINDOW_SECONDS - 5
    header = signing.signature("whsec_a", sent, body)
    assert not signing.verify("whsec_a", body, header, str(sent))
    assert signing.verify("whsec_a", body, header, str(sent), now=sent + 10)
    assert not signing.verify("whsec_a", body, header, "yesterday")


@pytest.mark.django_db
def test_the_readme_example_verifies_a_real_delivery(receiver, django_capture_on_commit_callbacks):
    verified = readme_verification_example()
    pair = matched_pair()
    endpoint = endpoint_for(pair.institution_user, receiver)
    with django_capture_on_commit_callbacks(execute=True):
        review.match_move(
            match=pair.match, to_status=MatchStatus.SHORTLISTED, by=pair.institution_user
        )
    [delivery] = receiver.received
    signature = delivery.headers[signing.SIGNATURE_HEADER]
    timestamp = delivery.headers[signing.TIMESTAMP_HEADER]
    assert verified(endpoint.secret, delivery.body, signature, timestamp)
    assert not verified("whsec_wrong", delivery.body, signature, timestamp)
    assert not verified(
        endpoint.secret, delivery.body.replace(b"shortlisted", b"declined"), signature, timestamp
    )
    old = str(int(timestamp) - 600)
    assert not verified(
        endpoint.secret,
        delivery.body,
        signing.signature(endpoint.secret, int(old), delivery.body),
        old,
    )
