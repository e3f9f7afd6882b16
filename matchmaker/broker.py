"""The embedded broker: kombu's SQLAlchemy transport on an SQLite file, polled faster.

kombu's virtual transports poll once a second, and the SQLAlchemy transport hands every
transport option to SQLAlchemy's create_engine, so `polling_interval` cannot be passed
as an option. A subclass sets it, registered under its own URL prefix:
``sqlite-poll+sqlite:///var/celery-broker.sqlite3``.
"""

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport.sqlalchemy import Channel as SQLAlchemyChannel
from kombu.transport.sqlalchemy import Transport as SQLAlchemyTransport

ALIAS = "sqlite-poll"
# Options meant for other brokers (the settings name one for Redis), which
# create_engine would refuse.
NOT_FOR_SQLALCHEMY = ("queue_order_strategy",)


class Channel(SQLAlchemyChannel):
    def _engine_from_config(self):
        client = self.connection.client
        shared = client.transport_options
        client.transport_options = {
            name: value for name, value in shared.items() if name not in NOT_FOR_SQLALCHEMY
        }
        try:
            return super()._engine_from_config()
        finally:
            client.transport_options = shared


class Transport(SQLAlchemyTransport):
    polling_interval = 0.05
    Channel = Channel


TRANSPORT_ALIASES[ALIAS] = "matchmaker.broker:Transport"
