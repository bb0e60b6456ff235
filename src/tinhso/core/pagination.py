"""API pagination (kept apart from core.api, which DRF's generics would import circularly)."""

from rest_framework import serializers
from rest_framework.pagination import LimitOffsetPagination


class Pagination(LimitOffsetPagination):
    """Limit/offset pages with bounds: at most 200 rows a page, offsets within what a database
    can count. A ``limit`` or ``offset`` that is not a whole number in range is a 400 with the
    parameter's message (DRF's own silently falls back to the first page); an empty one is as
    if it were not given."""

    default_limit = 50
    max_limit = 200
    max_offset = 10**9

    def get_limit(self, request):
        limit = self._number(request, self.limit_query_param, minimum=1)
        return self.default_limit if limit is None else min(limit, self.max_limit)

    def get_offset(self, request):
        offset = self._number(request, self.offset_query_param, minimum=0)
        return 0 if offset is None else min(offset, self.max_offset)

    @staticmethod
    def _number(request, name: str, *, minimum: int) -> int | None:
        raw = request.query_params.get(name, "")
        if raw == "":
            return None
        try:
            return serializers.IntegerField(min_value=minimum).run_validation(raw)
        except serializers.ValidationError as exc:
            raise serializers.ValidationError({name: exc.detail}) from None

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.limit_query_param:
                parameter["schema"]["minimum"] = 1
                parameter["description"] = (
                    f"Rows per page: {self.default_limit} by default, at most {self.max_limit} "
                    "(a larger limit gives that many)."
                )
            elif parameter["name"] == self.offset_query_param:
                parameter["schema"]["minimum"] = 0
                parameter["description"] = "The number of rows to skip."
        return parameters
