"""Pages of every API list: ``page_size`` from 1 up (more than 100 gives 100)."""

from django.utils.translation import gettext as _
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination

from matchmaker.review.selectors import IdsFirst


class PageNumbers(PageNumberPagination):
    """Every list's page number (the default for lists that name no paginator): an empty
    ``page`` is the client's mistake and says so (DRF read it as page 1, answering 200 to
    what the schema calls an integer); a page that is not a whole number is a 404 as
    before."""

    def get_page_number(self, request, paginator):
        if request.query_params.get(self.page_query_param) == "":
            raise ValidationError({self.page_query_param: [_("Give a whole number of 1 or more.")]})
        return super().get_page_number(request, paginator)


class Pages(PageNumbers):
    page_size = 25
    page_size_query_param = "page_size"
    max_page_size = 100

    def get_page_size(self, request) -> int:
        """A bad ``page_size`` is the client's mistake and says so; it used to fall back
        to the default silently (``page_size=null`` answered 25 items)."""
        raw = request.query_params.get(self.page_size_query_param)
        if raw is None:
            return self.page_size
        try:
            size = int(raw)
        except ValueError:
            size = 0
        if size < 1:
            raise ValidationError(
                {self.page_size_query_param: [_("Give a whole number of 1 or more.")]}
            )
        return min(size, self.max_page_size)

    def get_schema_operation_parameters(self, view) -> list[dict]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = _(
                    "Items per page, 25 by default; more than 100 gives 100."
                )
            if parameter["name"] == self.page_query_param:
                parameter["schema"]["minimum"] = 1
        return parameters


class MatchPages(Pages):
    """The match list's pages: ids first from the list's index, then the page's rows
    (`review.selectors.IdsFirst`)."""

    def paginate_queryset(self, queryset, request, view=None):
        key = getattr(view, "ids_cache_key", "")
        rows = getattr(view, "page_rows", None)
        read_ids = getattr(view, "read_ids", None)
        return super().paginate_queryset(IdsFirst(queryset, key, rows, read_ids), request, view)
