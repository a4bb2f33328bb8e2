"""Pages of results: ``?page=2&page_size=100`` (200 at most)."""

from rest_framework.pagination import PageNumberPagination


class TicketPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
