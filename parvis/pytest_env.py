"""Pytest plugin loaded first (``-p parvis.pytest_env``): environment for the test run.

pytest-django reads the settings before any conftest is imported, so the variables that
the settings read must be set here.
"""

import os

os.environ.setdefault("PARVIS_TESTING", "1")
# No default key any more (parvis/secret_key.py): the tests' own, long enough to pass the
# production check in the tests that start servers.
os.environ.setdefault("SECRET_KEY", "parvis-tests-only-" + "k7Qw" * 10)
# Mail is sent, to the in-memory mailer that Django's test setup puts in place.
os.environ.setdefault("PARVIS_MAIL_SEND", "1")
# Playwright's sync API runs an event loop in the test thread; the ORM calls made by the
# test itself are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
