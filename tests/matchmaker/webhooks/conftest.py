import pytest

from tests.webhook_receiver import start_receiver


@pytest.fixture
def receiver(settings):
    """A local receiver; local targets allowed (as only tests do)."""
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = True
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()


@pytest.fixture
def second_receiver(settings):
    settings.WEBHOOK_ALLOW_LOCAL_TARGETS = True
    receiver, server = start_receiver()
    yield receiver
    server.shutdown()
    server.server_close()
