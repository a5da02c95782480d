# Generated from _async/__init__.py by scripts/unasync.py: edit that file, not this one.
"""The client's methods, one module per API area (composed in the client module).

``_async/`` is the one source: ``scripts/unasync.py`` generates ``_sync/`` from it.
"""
