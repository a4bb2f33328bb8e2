"""WSGI entry point (gunicorn parvis.wsgi).

A production start with no secret key or a known one stops here, with the reason
(parvis/secret_key.py): gunicorn's worker fails to boot and logs it.
"""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parvis.settings")
application = get_wsgi_application()

from parvis.secret_key import refuse_insecure_start  # noqa: E402 - needs Django set up

refuse_insecure_start()
