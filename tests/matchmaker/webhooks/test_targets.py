"""Deliveries cannot probe the platform's own network: loopback, private, link-local and
reserved targets are refused at registration and again at every send."""

import socket
from unittest import mock

import pytest

from matchmaker.webhooks import services as webhooks
from matchmaker.webhooks import transport
from matchmaker.webhooks.models import Delivery, DeliveryState
from matchmaker.webhooks.targets import TargetRefused, address_is_public, check_target
from tests.matchmaker.review.helpers import matched_pair


def resolving_to(*addresses):
    """getaddrinfo answering these addresses for any host."""

    def getaddrinfo(host, port, *args, **kwargs):
        return [
            (socket.AF_INET6 if ":" in a else socket.AF_INET, socket.SOCK_STREAM, 6, "", (a, port))
            for a in addresses
        ]

    return mock.patch("matchmaker.webhooks.targets.socket.getaddrinfo", getaddrinfo)


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1",
        "::1",
        "10.1.2.3",
        "172.16.0.9",
        "192.168.1.1",
        "169.254.169.254",
        "fe80::1",
        "100.64.0.1",
        "0.0.0.0",
        "240.0.0.1",
        "224.0.0.1",
        "::ffff:127.0.0.1",
        "fd00::1",
    ],
)
def test_inner_addresses_are_not_public(address):
    assert not address_is_public(address)


@pytest.mark.parametrize("address", ["8.8.8.8", "2001:4860:4860::8888"])
def test_public_addresses_are(address):
    assert address_is_public(address)


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hooks",
        "https://localhost/hooks",
        "https://[::1]:8443/",
        "https://10.0.0.5/",
    ],
)
def test_a_loopback_or_private_target_is_refused(url):
    with pytest.raises(TargetRefused):
        check_target(url)


def test_a_name_with_one_private_address_among_public_ones_is_refused():
    with resolving_to("93.184.216.34", "10.0.0.7"), pytest.raises(TargetRefused):
        check_target("https://hooks.bank.example/")
    with resolving_to("93.184.216.34"):
        check_target("https://hooks.bank.example/")


def test_plain_http_and_credentials_in_the_address_are_refused():
    with resolving_to("93.184.216.34"):
        with pytest.raises(TargetRefused):
            check_target("http://hooks.bank.example/")
        with pytest.raises(TargetRefused):
            check_target("https://user:pw@hooks.bank.example/")


def test_the_test_setting_allows_a_local_receiver(settings):
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = True
    check_target("http://127.0.0.1:9/hooks")


@pytest.mark.django_db
def test_a_name_that_later_resolves_inside_is_refused_at_send_time_without_connecting():
    """DNS rebinding: public when registered, loopback when sent."""
    pair = matched_pair()
    from matchmaker.accounts.membership import organization_of

    with resolving_to("93.184.216.34"):
        endpoint = webhooks.endpoint_create(
            organization=organization_of(pair.institution_user),
            url="https://hooks.bank.example/in",
            events=["match.decided"],
            by=pair.institution_user,
        )
    delivery = webhooks.endpoint_ping(endpoint=endpoint, by=pair.institution_user)
    with (
        resolving_to("127.0.0.1"),
        mock.patch.object(transport.urllib3, "HTTPSConnectionPool") as pool,
    ):
        assert webhooks.delivery_send(delivery_id=delivery.pk) is False
    pool.assert_not_called()
    delivery = Delivery.objects.get(pk=delivery.pk)
    assert delivery.state == DeliveryState.PENDING
    assert "private or reserved" in delivery.last_error


@pytest.mark.django_db
def test_the_connection_goes_to_the_address_that_was_checked():
    """The pool is opened on the checked IP with the host name for TLS, not re-resolved."""
    pair = matched_pair()
    from matchmaker.accounts.membership import organization_of

    with resolving_to("93.184.216.34"):
        endpoint = webhooks.endpoint_create(
            organization=organization_of(pair.institution_user),
            url="https://hooks.bank.example/in?x=1",
            events=["match.decided"],
            by=pair.institution_user,
        )
    delivery = webhooks.endpoint_ping(endpoint=endpoint, by=pair.institution_user)
    with (
        resolving_to("93.184.216.34"),
        mock.patch.object(transport.urllib3, "HTTPSConnectionPool") as pool,
    ):
        pool.return_value.urlopen.return_value.status = 204
        pool.return_value.urlopen.return_value.read.return_value = b""
        assert webhooks.delivery_send(delivery_id=delivery.pk)
    args, kwargs = pool.call_args
    assert args[:2] == ("93.184.216.34", 443)
    assert kwargs["server_hostname"] == kwargs["assert_hostname"] == "hooks.bank.example"
    method, path = pool.return_value.urlopen.call_args.args
    assert (method, path) == ("POST", "/in?x=1")
    call = pool.return_value.urlopen.call_args.kwargs
    assert call["headers"]["Host"] == "hooks.bank.example"
    assert call["redirect"] is False
