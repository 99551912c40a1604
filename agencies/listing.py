"""Long lists of the register (agencies, champions): one page of rows, in the order the reader
chose by a column heading, with the filters kept in every link.

The address keeps the parameters people have bookmarked: ``?sort=name`` or ``?sort=-name`` and
``?page=2``, next to the filters of the list.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


@dataclass(frozen=True)
class Column:
    """A column of a list: its heading and, if it can be sorted, the fields it sorts by."""

    key: str
    label: str
    order_by: tuple[str, ...] = ()

    @property
    def sortable(self) -> bool:
        return bool(self.order_by)


@dataclass(frozen=True)
class Heading:
    label: str
    url: str | None  # sorts the list by this column (the other way if it already does)
    aria_sort: str | None  # "ascending" or "descending" on the column the list is sorted by


@dataclass
class Listing:
    page: Page
    headings: list[Heading]

    @property
    def rows(self):
        return self.page.object_list

    @property
    def total(self) -> int:
        return self.page.paginator.count


def listing(
    request,
    queryset: QuerySet,
    *,
    columns: list[Column],
    per_page: int,
    count: int | None = None,
) -> Listing:
    """A page of ``queryset`` sorted as ``?sort=`` asks (the queryset's own order otherwise).

    ``count``: the number of rows, when the view has already counted them (saves a query).
    """
    by_key = {column.key: column for column in columns if column.sortable}
    sort = request.GET.get("sort", "")
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    column = by_key.get(key)
    if column is not None:
        fields = [f"-{field}" if descending else field for field in column.order_by]
        queryset = queryset.order_by(*fields, "pk")
    else:
        sort = ""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached property: the view's figure stands in for a COUNT query
    page = paginator.get_page(request.GET.get("page"))
    return Listing(page=page, headings=[_heading(request, c, sort) for c in columns])


def address_key(request, *, leave_out: tuple[str, ...] = ()) -> str:
    """The list's parameters in the address (filters, order, page; less ``leave_out``) as a short
    stable key, for what is cached of the list."""
    pairs = sorted((key, value) for key, values in request.GET.lists() if key not in leave_out for value in values)
    return hashlib.sha256(repr(pairs).encode()).hexdigest()[:32]


def filters_key(request) -> str:
    """The list's filters alone (not its page or order): what a count of the filtered rows is cached under."""
    return address_key(request, leave_out=("page", "sort"))


def _heading(request, column: Column, sort: str) -> Heading:
    if not column.sortable:
        return Heading(column.label, None, None)
    params = request.GET.copy()
    params.pop("page", None)
    aria_sort = None
    if sort == column.key:
        aria_sort, params["sort"] = "ascending", f"-{column.key}"
    else:
        if sort == f"-{column.key}":
            aria_sort = "descending"
        params["sort"] = column.key
    return Heading(column.label, f"?{params.urlencode()}", aria_sort)
