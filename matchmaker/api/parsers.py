"""JSON that cannot hurt the server: bounded nesting, real text only, a clear 400 otherwise.

Python's JSON decoder recurses once per level, so a body nested a few thousand levels
deep raised RecursionError (a 500). No request of this API nests more than a few levels.

JSON's ``\\ud800`` escape decodes to a lone surrogate: a Python string that is no text in
any encoding. Every field that repeats a refused value in its error ("“…” is not a valid
choice") then failed while the answer was encoded (a 500). Such a body is refused here, at
the one door every API body passes, naming where the surrogate sits.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 20


def depth_of(value) -> int:
    """How deeply lists and objects nest (a scalar is 0), without recursion."""
    return inspect_json(value)[0]


def has_surrogate(text: str) -> bool:
    """A lone surrogate (U+D800–U+DFFF): never valid text, cannot be encoded as UTF-8."""
    return any("\ud800" <= char <= "\udfff" for char in text)


def inspect_json(value) -> tuple[int, str | None]:
    """(depth, where the first lone surrogate sits or None), in one walk without recursion.

    The place reads like ``needs[0].instrument``; a key holding one is named by its
    parent's place."""
    deepest, surrogate_at = 0, None
    stack = [(value, 1, "")]
    while stack:
        item, depth, place = stack.pop()
        if isinstance(item, str):
            if surrogate_at is None and has_surrogate(item):
                surrogate_at = place
            continue
        if isinstance(item, dict):
            deepest = max(deepest, depth)
            for key, child in item.items():
                if surrogate_at is None and has_surrogate(key):
                    surrogate_at = place or "(body)"
                    child_place = place
                else:
                    child_place = f"{place}.{key}" if place else key
                stack.append((child, depth + 1, child_place))
        elif isinstance(item, list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1, f"{place}[{i}]") for i, child in enumerate(item))
    return deepest, surrogate_at


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(self._too_deep()) from error
        depth, surrogate_at = inspect_json(data)
        if depth > MAX_JSON_DEPTH:
            raise ParseError(self._too_deep())
        if surrogate_at is not None:
            raise ParseError(
                _(
                    "The value of %(field)s holds a lone surrogate (an escape such as "
                    "\\ud800 that stands for no character); send the text itself."
                )
                % {"field": surrogate_at or _("the body")}
            )
        return data

    @staticmethod
    def _too_deep() -> str:
        return _("The JSON body nests lists or objects more than %(depth)s levels deep.") % {
            "depth": MAX_JSON_DEPTH
        }
