"""The embedded broker: kombu's SQLAlchemy transport on an SQLite file, polled faster.

kombu's virtual transports poll once a second, and the SQLAlchemy transport hands every
transport option to SQLAlchemy's create_engine, so `polling_interval` cannot be passed
as an option. A subclass sets it, registered under its own URL prefix:
``sqlite-poll+sqlite:///var/celery-broker.sqlite3``.

kombu's virtual channels take their queues in turn (`FairCycle`), whatever
`queue_order_strategy` says. Here every poll asks the queues in the order of
`matchmaker.queues.QUEUE_ORDER` and takes from the first that holds a message, as Redis
does with the "priority" strategy: people first, then a re-score's chunks, then bulk work.

An idle worker polls less often: each empty poll doubles the wait, from 50 ms up to
`IDLE_POLLING_INTERVAL`, and a message, or a pool with no free process, brings it back to
50 ms. Polling every 50 ms (three queues, three queries) cost an idle worker 6–9 % of a
core, taken from the web processes on the same machine; the longest wait adds at most a
quarter of a second to a message sent to a worker that has been idle.
"""

from queue import Empty
from time import monotonic, sleep

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


# The longest wait between two empty polls of an idle worker, in seconds.
IDLE_POLLING_INTERVAL = 0.25


class Transport(SQLAlchemyTransport):
    polling_interval = 0.05
    Channel = Channel
    _idle_wait: float | None = None  # the last wait after an empty poll (`next_wait`)

    def drain_events(self, connection, timeout=None):
        """kombu's virtual `drain_events` (take one message, sleeping between empty polls
        until `timeout`), with the sleep doubling while the queues stay empty
        (`next_wait`) and starting again from `polling_interval` after a message."""
        started = monotonic()
        while True:
            try:
                self.cycle.get(self._deliver, timeout=timeout)
            except Empty:
                if timeout is not None and monotonic() - started >= timeout:
                    raise TimeoutError() from None
                wait = self.next_wait() if self._could_take() else self._busy_wait()
                sleep(wait if timeout is None else min(wait, timeout))
            else:
                self._idle_wait = None
                return

    def _could_take(self) -> bool:
        """Whether a poll asked the queues: a worker whose pool is full takes nothing (its
        polls ask no query) and must see the next message as soon as a process is free."""
        return any(channel.qos.can_consume() for channel in self.channels)

    def _busy_wait(self) -> float:
        self._idle_wait = None
        return self.polling_interval

    def next_wait(self) -> float:
        """The wait after one more empty poll of the queues: `polling_interval`, then twice
        the last wait, never more than `IDLE_POLLING_INTERVAL`."""
        last = self._idle_wait
        self._idle_wait = (
            self.polling_interval if last is None else min(2 * last, IDLE_POLLING_INTERVAL)
        )
        return self._idle_wait


TRANSPORT_ALIASES[ALIAS] = "matchmaker.broker:Transport"
