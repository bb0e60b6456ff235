"""API pagination (kept apart from core.api, which DRF's generics would import circularly)."""

from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """Limit/offset pages with bounds: at most 200 rows a page, offsets within what a database
    can count."""

    default_limit = 50
    max_limit = 200
    max_offset = 10**9

    def get_offset(self, request):
        return min(super().get_offset(request), self.max_offset)
