"""The task queues, in the order workers take them, and how many messages each holds.

- ``celery``: people's requests (score this project or offering, its packages).
- ``rescore``: a full re-score's chunks and its finishing step.
- ``bulk``: package building for many projects (after a re-score or an offering's change).

Workers consume all three, strictly in this order, on Redis and on the embedded broker
alike (`matchmaker.broker`). A second re-score therefore never waits behind the package
batches the first one left: its chunks are taken before any of them; a chunk waits at
most for the tasks already running.
"""

import logging

logger = logging.getLogger(__name__)

PEOPLE, RESCORE, BULK = "celery", "rescore", "bulk"
QUEUE_ORDER = (PEOPLE, RESCORE, BULK)


def queue_depths() -> dict[str, int]:
    """Messages waiting (not yet delivered to a worker) in each queue; raises when the
    broker cannot be reached."""
    from celery import current_app as app  # the project's app (matchmaker.celery) by then

    depths = {}
    with app.connection_for_read(app.conf.broker_url) as connection:
        channel = connection.default_channel
        for name in QUEUE_ORDER:
            try:
                depths[name] = channel.queue_declare(queue=name, passive=True).message_count
            except Exception:  # a queue nobody declared yet holds nothing
                logger.debug("queue %s not declared", name, exc_info=True)
                depths[name] = 0
                channel = connection.channel()  # a failed passive declare closes it (AMQP)
    return depths


def queue_is_empty(name: str) -> bool:
    """True only when the broker answers and no message waits in this queue. A broker
    that cannot be asked counts as busy: nothing is sent again on a guess."""
    try:
        return queue_depths()[name] == 0
    except Exception:
        logger.warning("Could not read the depth of queue %s", name, exc_info=True)
        return False
