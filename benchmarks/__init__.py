"""The dashboard's benchmark: ``python -m benchmarks`` (see docs/benchmarks.md).

It drives the app as a browser would, under gunicorn with two workers, on SQLite and PostgreSQL at
demo and large scale, and prints one markdown report. It discovers the app's callbacks, pages and data
at run time (``/_dash-dependencies``, the router's responses, the database's own tables), so it keeps
working while the pages and the data layer change underneath it.
"""
