"""The embedded broker: kombu's SQLAlchemy transport on an SQLite file, polled faster.

kombu's virtual transports poll once a second, and the SQLAlchemy transport hands every
transport option to SQLAlchemy's create_engine, so `polling_interval` cannot be passed
as an option. A subclass sets it, registered under its own URL prefix:
``sqlite-poll+sqlite:///var/celery-broker.sqlite3``.
"""

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport.sqlalchemy import Transport as SQLAlchemyTransport

ALIAS = "sqlite-poll"


class Transport(SQLAlchemyTransport):
    polling_interval = 0.05


TRANSPORT_ALIASES[ALIAS] = "matchmaker.broker:Transport"
