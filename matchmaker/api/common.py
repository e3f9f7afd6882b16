"""REST API v1: shared by the API's modules: what every list viewset does alike."""


class FilterListsOnly:
    """Query filters narrow a list; an id in the path names one object whatever the query
    string says (a stray ``?status=x`` on a detail or action is not an error)."""

    def filter_queryset(self, queryset):
        if self.action != "list":
            return queryset
        return super().filter_queryset(queryset)
