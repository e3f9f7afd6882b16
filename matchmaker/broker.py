"""The embedded broker: kombu's SQLAlchemy transport on an SQLite file, polled faster.

kombu's virtual transports poll once a second, and the SQLAlchemy transport hands every
transport option to SQLAlchemy's create_engine, so `polling_interval` cannot be passed
as an option. A subclass sets it, registered under its own URL prefix:
``sqlite-poll+sqlite:///var/celery-broker.sqlite3``.

kombu's virtual channels take their queues in turn (`FairCycle`), whatever
`queue_order_strategy` says. Here every poll asks the queues in the order of
`matchmaker.queues.QUEUE_ORDER` and takes from the first that holds a message, as Redis
does with the "priority" strategy: people first, then a re-score's chunks, then bulk work.
"""

from queue import Empty

from kombu.transport import TRANSPORT_ALIASES
from kombu.transport.sqlalchemy import Channel as SQLAlchemyChannel
from kombu.transport.sqlalchemy import Transport as SQLAlchemyTransport
from kombu.utils.scheduling import FairCycle

from matchmaker.queues import QUEUE_ORDER

ALIAS = "sqlite-poll"
# Options meant for other brokers (the settings name one for Redis), which
# create_engine would refuse.
NOT_FOR_SQLALCHEMY = ("queue_order_strategy",)


def queue_rank(name: str) -> tuple[int, str]:
    """Known queues in their order, any other after them."""
    return (QUEUE_ORDER.index(name) if name in QUEUE_ORDER else len(QUEUE_ORDER), name)


class PriorityCycle(FairCycle):
    """Always start from the first queue in `QUEUE_ORDER` that is consumed."""

    def get(self, callback, **kwargs):
        ordered = sorted(self.resources, key=queue_rank)
        if not ordered:
            raise self.predicate()
        for queue in ordered:
            try:
                return self.fun(queue, callback, **kwargs)
            except self.predicate:
                continue
        raise self.predicate()


class Channel(SQLAlchemyChannel):
    def _reset_cycle(self):
        self._cycle = PriorityCycle(self._get_and_deliver, self._active_queues, Empty)

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
