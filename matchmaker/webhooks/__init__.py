"""Signed webhooks: an organisation's own systems hear, within seconds, what changed.

`events.emit(event_type, organization, payload_builder)` is the one call other areas
make, inside the transaction of their change; the event and one delivery per subscribed
endpoint are written in that transaction (an outbox), and sent after commit.
"""
