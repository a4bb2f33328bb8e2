"""WSGI entry point (gunicorn parvis.wsgi).

A production start with no secret key or a known one stops here, with the reason
(parvis/secret_key.py): gunicorn's worker fails to boot and logs it.

What start-up made (modules, models, URL patterns and the views they import) lives as long
as the worker: ``gc.freeze()`` takes it out of the collector's way, so that a full
collection walks only what requests leave behind (docs/benchmarks.md, session 10: about
half of a web worker's collection time).
"""

import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parvis.settings")
application = get_wsgi_application()

from parvis.secret_key import refuse_insecure_start  # noqa: E402 - needs Django set up

refuse_insecure_start()

from django.urls import get_resolver  # noqa: E402 - needs Django set up

get_resolver().url_patterns  # noqa: B018 - imports every view now, before the freeze
gc.freeze()
