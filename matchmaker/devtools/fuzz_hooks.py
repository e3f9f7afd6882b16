"""schemathesis hooks for `make fuzz`: bodies that carry lone surrogates.

schemathesis never generates a lone surrogate (U+D800–U+DFFF): it cannot be encoded for
the wire as UTF-8. JSON carries one anyway, as the escape ``\\ud800``, and such a value
once turned every refused code field into a 500. Here a share of every generated JSON
body has one string (a value, a list item or a nested field) replaced by, or extended
with, a placeholder character; the JSON serializer below writes each placeholder as a
lone surrogate's escape. (schemathesis validates the cases it holds as UTF-8 text, so
the surrogate itself exists only in the bytes sent.) The server must answer 400.
"""

import json
from typing import Any

import schemathesis
from hypothesis import strategies as st

# Private-use characters standing for lone surrogates until the body is serialized.
PLACEHOLDERS = {
    "\U000f0d80": "\\ud800",
    "\U000f0dbf": "\\udbff",
    "\U000f0dc0": "\\udc00",
    "\U000f0dff": "\\udfff",
}
SURROGATES = st.sampled_from(sorted(PLACEHOLDERS))


def json_with_surrogates(value: Any) -> bytes:
    """The body as JSON with ASCII escapes, each placeholder written as a lone surrogate."""
    text = json.dumps(value, ensure_ascii=True)
    for placeholder, escape in PLACEHOLDERS.items():
        text = text.replace(json.dumps(placeholder)[1:-1], escape)
    return text.encode("ascii")


def string_places(body: Any, place: tuple = ()) -> list[tuple]:
    """Every place in a JSON body that holds a scalar (a string could stand there)."""
    if isinstance(body, dict):
        items = body.items()
    elif isinstance(body, list):
        items = enumerate(body)
    else:
        return [place]
    return [found for key, value in items for found in string_places(value, (*place, key))]


def replaced(body: Any, place: tuple, value: str) -> Any:
    if not place:
        return value
    head, rest = place[0], place[1:]
    if isinstance(body, dict):
        return {**body, head: replaced(body.get(head), rest, value)}
    copy = list(body)
    copy[head] = replaced(copy[head], rest, value)
    return copy


def with_lone_surrogate(body: Any) -> st.SearchStrategy:
    """The body, or the body with one string place holding a lone surrogate."""
    places = string_places(body)
    if not places:
        return st.just(body)
    hostile = st.builds(
        lambda place, prefix, surrogate: replaced(body, place, prefix + surrogate),
        st.sampled_from(places),
        st.sampled_from(["", "a", "launch"]),
        SURROGATES,
    )
    return st.one_of(st.just(body), hostile)


def with_lone_surrogate_in_case(case) -> st.SearchStrategy:
    """JSON bodies only: a form body would have to be UTF-8 on the wire, and a lone
    surrogate cannot be (the client itself fails before sending)."""
    if case.media_type != "application/json" or not isinstance(case.body, dict | list):
        return st.just(case)

    def hostile(body):
        case.body = body
        return case

    return with_lone_surrogate(case.body).map(hostile)


@schemathesis.hook
def flatmap_case(context, case):
    return with_lone_surrogate_in_case(case)


@schemathesis.serializer("application/json")
def surrogate_json(ctx, value):
    if isinstance(value, bytes) or value is None:
        return {"data": value if value is not None else b"null"}
    return {"data": json_with_surrogates(value)}
