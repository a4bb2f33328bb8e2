"""Response headers for pages whose URL holds a secret (the tracking token).

Referrer policy: ``same-origin``, not ``no-referrer``. With ``no-referrer`` browsers send
``Origin: null`` on the page's own form posts, which Django's CSRF protection rightly
refuses; ``same-origin`` still never sends the URL (nor the token) to another site.
File downloads, which carry no form, use ``no-referrer``.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase

View = Callable[..., HttpResponseBase]


def private_link_page(*, referrer_policy: str = "same-origin") -> Callable[[View], View]:
    """Keep the tracking token out of other sites' Referer headers, search engines and caches."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            response = view(request, *args, **kwargs)
            response.headers["Referrer-Policy"] = referrer_policy
            response.headers["X-Robots-Tag"] = "noindex, nofollow"
            response.headers["Cache-Control"] = "private, no-store"
            return response

        return wrapper

    return decorator
