"""JSON that cannot hurt the server: bounded nesting, a clear 400 otherwise.

Python's JSON decoder recurses once per level, so a body nested a few thousand levels
deep raised RecursionError (a 500). No request of this API nests more than a few levels.
"""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

MAX_JSON_DEPTH = 20


def depth_of(value) -> int:
    """How deeply lists and objects nest (a scalar is 0), without recursion."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            stack.extend((child, depth + 1) for child in children)
    return deepest


class BoundedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError as error:
            raise ParseError(self._too_deep()) from error
        if depth_of(data) > MAX_JSON_DEPTH:
            raise ParseError(self._too_deep())
        return data

    @staticmethod
    def _too_deep() -> str:
        return _("The JSON body nests lists or objects more than %(depth)s levels deep.") % {
            "depth": MAX_JSON_DEPTH
        }
