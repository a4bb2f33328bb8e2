"""Errors that carry a sentence for the person who meets them.

A plain ``Http404`` says nothing about why: its message, if any, is for developers and is
never shown. ``ExplainedNotFound`` carries a sentence written for the reader (French,
translated) that the error pages show; whoever raises it answers for its saying nothing
the reader may not know.
"""

from django.http import Http404


class ExplainedNotFound(Http404):
    """A 404 whose ``explanation`` the error page may show as it is."""

    def __init__(self, explanation: str) -> None:
        super().__init__(explanation)
        self.explanation = explanation
