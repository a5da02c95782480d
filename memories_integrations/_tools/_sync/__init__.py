# Generated from _tools/_async/__init__.py by scripts/unasync.py: edit that file, not this one.
"""The tool operations with async ``run``s (the source of the generated ``_sync/``)."""
