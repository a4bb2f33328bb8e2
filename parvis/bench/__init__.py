"""Benchmarks of Parvis: ``python -m parvis.bench`` (``make bench``), see docs/benchmarks.md.

The harness process stays free of Django: it drives a PostgreSQL database, subprocesses
(``parvis.manage`` commands, the seeder, gunicorn) and a small HTTP load client.
"""
