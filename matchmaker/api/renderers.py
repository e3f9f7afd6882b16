"""The API's JSON renderer, which can always answer.

The parser already refuses lone surrogates in bodies, but an error may still repeat a
value that came another way (a path, a header). ``json.dumps(ensure_ascii=False)`` keeps
such a character and encoding the answer then fails, turning a 400 into a 500; this
renderer falls back to ASCII escapes for that answer, which any JSON reader decodes.
"""

import json

from rest_framework.renderers import JSONRenderer


class SafeJSONRenderer(JSONRenderer):
    def render(self, data, accepted_media_type=None, renderer_context=None):
        try:
            return super().render(data, accepted_media_type, renderer_context)
        except UnicodeEncodeError:
            return json.dumps(data, cls=self.encoder_class, ensure_ascii=True).encode("ascii")
