"""Printing HTML documents to PDF on the server (the board pack), apart from Dash and the database.

A package of its own because it runs an external program: :mod:`printing.chromium` starts one headless
Chromium per document, waits for it with a timeout and removes everything it wrote.  It knows nothing
of Dash, pages or queries, so it can be tested, and replaced, on its own.
"""
