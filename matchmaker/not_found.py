"""The app's own "page not found" also under DEBUG (`make run`).

With DEBUG on, Django answers a missing page with its technical 404 (English, the URL
patterns listed) instead of `handler404`. People try the product under `make run`, so
this middleware swaps that page for ours, in the reader's language (and under /api/,
for the API's JSON 404). Outside DEBUG `handler404` already answers and this does nothing.
"""

from django.conf import settings

from matchmaker.errors import not_found


class AppNotFoundUnderDebugMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            settings.DEBUG
            and response.status_code == 404
            and response.get("Content-Type", "").startswith("text/html")
            and not getattr(response, "app_page", False)
        ):
            return not_found(request)
        return response
